"""PDFs: the official results of a publication, and certificates with a QR verification link.

Vietnamese text needs the DejaVu fonts of ``core.pdf``; QR codes come from ``core.pdf.qr_image``.
"""

import io

from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.exports import local_date, local_datetime, pdf_text
from core.pdf import qr_image, register_fonts
from leaderboard.certificates import certificate_number, issuer_of, revoked_rows
from leaderboard.exports import paper
from leaderboard.exports.tables import columns, ordering_legend, pct_decimals, rows, text_of
from leaderboard.models import Publication
from schools.models import Student

RESULT_ROWS = 2000  # the official PDF lists the top of very long rankings


def results_pdf(pub: Publication) -> bytes:
    """The official results: every text escaped for ReportLab's markup (content never becomes
    a tag, so no resource it names is fetched), local time, Vietnamese numbers."""
    regular, bold = register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, title=pub.title)
    title = ParagraphStyle("t", fontName=bold, fontSize=14, leading=18, alignment=TA_CENTER)
    small = ParagraphStyle("s", fontName=regular, fontSize=9, leading=12)
    cells = ParagraphStyle("c", fontName=regular, fontSize=8, leading=10)
    story = [
        paper.heading_table(
            issuer=issuer_of(pub), fonts=(regular, bold), when=pub.published_at, width=landscape(A4)[0] - 24 * mm
        ),
        Spacer(1, 4 * mm),
        Paragraph(pdf_text(_("KẾT QUẢ CHÍNH THỨC")), title),
        Paragraph(pdf_text(pub.title), small),
        Paragraph(
            pdf_text(
                _("Phiên bản %(v)s · công bố lúc %(at)s · người công bố: %(who)s")
                % {"v": pub.version, "at": local_datetime(pub.published_at), "who": pub.publisher_name}
            ),
            small,
        ),
        Paragraph(pdf_text(ordering_legend(pub)), small),
        Spacer(1, 4 * mm),
    ]
    cols = columns(pub, full=False)
    decimals = pct_decimals(r.values.get("participation_rate") for r in pub.rows.order_by("position")[:RESULT_ROWS])
    data = [[Paragraph(pdf_text(c.title), cells) for c in cols]]
    for i, values in enumerate(rows(pub, full=False)):
        if i >= RESULT_ROWS:
            break
        data.append(
            [Paragraph(pdf_text(text_of(v, c.kind, decimals)), cells) for v, c in zip(values, cols, strict=True)]
        )
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buf.getvalue()


def verify_url(base_url: str, code: str) -> str:
    return base_url.rstrip("/") + reverse("leaderboard:verify", args=[code])


def _births(pub: Publication, rows) -> dict[int, str]:
    """Pupils' dates of birth (dd/mm/yyyy) by student id; one query. Units have none."""
    if pub.is_units:
        return {}
    ids = [r.subject_id for r in rows if r.subject_id]
    return {
        pk: born.strftime("%d/%m/%Y")
        for pk, born in Student.objects.filter(pk__in=ids, date_of_birth__isnull=False).values_list(
            "pk", "date_of_birth"
        )
    }


def _details(pub: Publication, row, born: str) -> list[str]:
    """The lines under the name: who the certificate is for, in full (it is handed to them)."""
    if pub.is_units:
        return [x for x in (row.school_name, row.commune_name) if x and x != row.name][:1]
    first = []
    if born:
        first.append(_("Ngày sinh: %(date)s") % {"date": born})
    if row.class_name:
        first.append(_("Lớp: %(name)s") % {"name": row.class_name})
    lines = [" · ".join(first)] if first else []
    if row.school_name:
        lines.append(_("Trường: %(name)s") % {"name": row.school_name})
    return lines


def certificates_pdf(pub: Publication, *, base_url: str, progress=None) -> bytes:
    """One landscape A4 page per prize, laid out as an official paper (``paper``): heading,
    number, the winner's full name with date of birth, class and school (the paper is handed
    to the pupil; the public verification page behind the QR code shows only the public name),
    the prize, the signature and seal block, and the QR code of the verification page."""
    regular, bold = register_fonts()
    winners = list(pub.rows.exclude(code=None).order_by("position"))
    births = _births(pub, winners)
    revoked = revoked_rows(pub, winners)  # printing an older version: its revoked papers say so
    issuer = issuer_of(pub)
    buf = io.BytesIO()
    width, height = landscape(A4)
    mid, text_width = width / 2, width - 60 * mm
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setTitle(_("Giấy chứng nhận") + " · " + pub.title)
    for i, row in enumerate(winners, start=1):
        c.setStrokeColor(colors.HexColor("#0b5cad"))
        c.setLineWidth(3)
        c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
        c.setLineWidth(0.8)
        c.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)
        c.setStrokeColor(colors.black)
        paper.draw_heading(
            c,
            left_x=75 * mm,
            right_x=width - 80 * mm,
            top=height - 26 * mm,
            issuer=issuer,
            fonts=(regular, bold),
            number=certificate_number(row),
            when=pub.published_at,
        )
        c.setFillColor(colors.HexColor("#b3121b"))
        paper.draw_centred(c, _("GIẤY CHỨNG NHẬN"), mid, height - 66 * mm, bold, 30, text_width)
        c.setFillColor(colors.black)
        paper.draw_centred(c, pub.contest.name, mid, height - 76 * mm, regular, 14, text_width)
        c.setFont(regular, 12)
        c.drawCentredString(mid, height - 87 * mm, _("Chứng nhận"))
        paper.draw_centred(c, row.name, mid, height - 98 * mm, bold, 24, text_width)
        for n, line in enumerate(_details(pub, row, births.get(row.subject_id, ""))):
            paper.draw_centred(c, line, mid, height - (107 + 7 * n) * mm, regular, 13, text_width)
        c.setFillColor(colors.HexColor("#b3121b"))
        paper.draw_centred(c, _("Đạt %(prize)s") % {"prize": row.prize}, mid, height - 128 * mm, bold, 20, text_width)
        c.setFillColor(colors.black)
        paper.draw_centred(c, pub.title, mid, height - 137 * mm, regular, 10, text_width)
        c.setFont(regular, 10)
        c.drawCentredString(
            mid,
            height - 143 * mm,
            _("Hạng %(rank)s · phiên bản %(v)s · công bố %(at)s")
            % {"rank": row.rank, "v": pub.version, "at": local_date(pub.published_at)},
        )
        paper.draw_signature(c, x=width - 80 * mm, top=height - 152 * mm, issuer=issuer, fonts=(regular, bold))
        url = verify_url(base_url, row.code)
        c.drawImage(qr_image(url, scale=4), 22 * mm, 24 * mm, 30 * mm, 30 * mm)
        c.setFont(regular, 8)
        c.drawString(56 * mm, 44 * mm, _("Xác minh giấy chứng nhận:"))
        c.drawString(56 * mm, 39 * mm, url[:90])
        c.drawString(56 * mm, 34 * mm, _("Mã xác minh: %(code)s") % {"code": row.code})
        if row.pk in revoked:
            _stamp_revoked(c, width, height, bold)
        c.showPage()
        if progress is not None and (i % 20 == 0 or i == len(winners)):
            progress(i, len(winners))
    if not winners:
        c.setFont(regular, 14)
        c.drawString(30 * mm, height / 2, _("Bảng xếp hạng này không có giải nào."))
        c.showPage()
    c.save()
    return buf.getvalue()


def _stamp_revoked(c, width: float, height: float, bold: str) -> None:
    """A revoked certificate of an older version is printed crossed with "ĐÃ THU HỒI"."""
    c.saveState()
    c.setFillColor(colors.Color(0.75, 0.05, 0.1, alpha=0.35))
    c.translate(width / 2, height / 2)
    c.rotate(20)
    c.setFont(bold, 64)
    c.drawCentredString(0, 0, _("ĐÃ THU HỒI"))
    c.setFont(bold, 14)
    c.drawCentredString(0, -12 * mm, _("Xem giấy chứng nhận hiện hành tại trang xác minh."))
    c.restoreState()


def _kind_slug(pub: Publication) -> str:
    return {"individual": "ca-nhan", "class": "lop", "school": "truong", "commune": "xa-phuong"}.get(pub.kind, "tinh")


def file_name(pub: Publication, what: str) -> str:
    """``ket-qua-ca-nhan-1-p7-v1.pdf``, ``giay-chung-nhan-truong-1-p8-v1.pdf``: the kind and the
    publication tell the individual and school files (and two series of one kind) apart."""
    return f"{what}-{_kind_slug(pub)}-{pub.contest_id}-p{pub.pk}-v{pub.version}.pdf"
