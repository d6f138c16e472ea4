"""The parts of an official Vietnamese paper, shared by certificates and the results PDF.

The layout follows the administrative-document convention (Decree 30/2020/NĐ-CP): the
organising body top left, the national heading and motto top right, the place and date under
them ("Vĩnh Long, ngày 05 tháng 12 năm 2026", a day below 10 and the months 1 and 2 written
with a leading zero), and the signer's title and name bottom right with room for the signature
and seal. Texts come from the organiser (``certificates.issuer_of``); on a canvas they are drawn
as plain strings, in a ``Paragraph`` they are escaped (``pdf_text``).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from core.exports import pdf_text

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập – Tự do – Hạnh phúc"
BLANK_PLACE = "…………"


def place_and_date(place: str, when) -> str:
    """``"Vĩnh Long, ngày 05 tháng 12 năm 2026"`` in local time; dots for an unset place."""
    day = timezone.localtime(when).date()
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": place or BLANK_PLACE,
        "d": f"{day.day:02d}",
        "m": month,
        "y": day.year,
    }


def fit_size(text: str, font: str, size: float, width: float, least: float = 8) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width`` (never below ``least``)."""
    while size > least and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def draw_centred(c, text: str, x: float, y: float, font: str, size: float, width: float) -> None:
    c.setFont(font, fit_size(text, font, size, width))
    c.drawCentredString(x, y, text)


def draw_heading(c, *, left_x: float, right_x: float, top: float, issuer: dict, fonts, number: str, when) -> float:
    """The two-column heading on a canvas; returns the y under it. ``number`` is printed
    under the organiser ("Số: …") when given."""
    regular, bold = fonts
    col = 120 * mm
    organiser = (issuer.get("organiser") or "").upper()
    y = top
    if organiser:
        draw_centred(c, organiser, left_x, y, bold, 11, col)
        c.setLineWidth(0.6)
        c.line(left_x - 18 * mm, y - 2.5 * mm, left_x + 18 * mm, y - 2.5 * mm)
    if number:
        c.setFont(regular, 11)
        c.drawCentredString(left_x, y - 9 * mm, _("Số: %(number)s") % {"number": number})
    draw_centred(c, NATION, right_x, y, bold, 11, col)
    c.setFont(bold, 12)
    c.drawCentredString(right_x, y - 6 * mm, MOTTO)
    half = stringWidth(MOTTO, bold, 12) / 2
    c.setLineWidth(0.6)
    c.line(right_x - half, y - 8 * mm, right_x + half, y - 8 * mm)
    draw_centred(c, place_and_date(issuer.get("place", ""), when), right_x, y - 15 * mm, regular, 11, col)
    return y - 15 * mm


def draw_signature(c, *, x: float, top: float, issuer: dict, fonts) -> None:
    """The signer's title, the room for the signature and seal, and the signer's name."""
    regular, bold = fonts
    title = (issuer.get("signer_title") or _("Trưởng Ban tổ chức")).upper()
    draw_centred(c, title, x, top, bold, 12, 110 * mm)
    c.setFont(regular, 9)
    c.drawCentredString(x, top - 5 * mm, _("(Ký, ghi rõ họ tên và đóng dấu)"))
    name = issuer.get("signer_name") or ""
    if name:
        draw_centred(c, name, x, top - 32 * mm, bold, 13, 110 * mm)


def heading_table(*, issuer: dict, fonts, when, width: float) -> Table:
    """The same heading as a flowable, for the results PDF."""
    regular, bold = fonts
    centred = ParagraphStyle("hc", fontName=bold, fontSize=10, leading=13, alignment=TA_CENTER)
    dated = ParagraphStyle("hd", fontName=regular, fontSize=10, leading=13, alignment=TA_CENTER)
    organiser = (issuer.get("organiser") or "").upper()
    left = Paragraph(pdf_text(organiser), centred)
    nation = Paragraph(
        pdf_text(NATION) + "<br/>" + pdf_text(MOTTO) + "<br/>" + "―" * 12,
        centred,
    )
    table = Table(
        [[left, nation], ["", Paragraph(pdf_text(place_and_date(issuer.get("place", ""), when)), dated)]],
        colWidths=[width * 0.45, width * 0.55],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table
