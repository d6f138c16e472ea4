"""PDFs: the official results of a publication, and certificates with a QR verification link.

Vietnamese text needs the DejaVu fonts of ``core.pdf``; QR codes come from ``core.pdf.qr_image``.
"""

import io

from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.exports import local_date, local_datetime, pdf_text
from core.pdf import qr_image, register_fonts
from leaderboard.exports.tables import columns, ordering_legend, pct_decimals, rows, text_of
from leaderboard.models import Publication

RESULT_ROWS = 2000  # the official PDF lists the top of very long rankings


def results_pdf(pub: Publication) -> bytes:
    """The official results: every text escaped for ReportLab's markup (content never becomes
    a tag, so no resource it names is fetched), local time, Vietnamese numbers."""
    regular, bold = register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, title=pub.title)
    title = ParagraphStyle("t", fontName=bold, fontSize=14, leading=18)
    small = ParagraphStyle("s", fontName=regular, fontSize=9, leading=12)
    cells = ParagraphStyle("c", fontName=regular, fontSize=8, leading=10)
    story = [
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


def certificates_pdf(pub: Publication, *, base_url: str, progress=None) -> bytes:
    """One landscape A4 page per prize: who, which prize, which ranking, and a QR code of the
    public verification page. Names follow consent, as on the public page."""
    from leaderboard.selectors import display_names

    regular, bold = register_fonts()
    winners = list(pub.rows.exclude(code=None).order_by("position"))
    names = display_names(pub, winners)
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setTitle(_("Giấy chứng nhận") + " · " + pub.title)
    for i, row in enumerate(winners, start=1):
        c.setStrokeColor(colors.HexColor("#0b5cad"))
        c.setLineWidth(3)
        c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        c.setFont(bold, 30)
        c.drawCentredString(width / 2, height - 45 * mm, _("GIẤY CHỨNG NHẬN"))
        c.setFont(regular, 14)
        c.drawCentredString(width / 2, height - 58 * mm, pub.contest.name)
        c.setFont(bold, 24)
        c.drawCentredString(width / 2, height - 85 * mm, names[row.pk])
        c.setFont(regular, 14)
        detail = " · ".join(x for x in (row.class_name, row.school_name, row.commune_name) if x and x != names[row.pk])
        if detail:
            c.drawCentredString(width / 2, height - 97 * mm, detail)
        c.setFont(bold, 20)
        c.drawCentredString(width / 2, height - 117 * mm, _("Đạt %(prize)s") % {"prize": row.prize})
        c.setFont(regular, 11)
        c.drawCentredString(width / 2, height - 129 * mm, pub.title[:140])
        c.drawCentredString(
            width / 2,
            height - 137 * mm,
            _("Hạng %(rank)s · phiên bản %(v)s · %(at)s")
            % {"rank": row.rank, "v": pub.version, "at": local_date(pub.published_at)},
        )
        url = verify_url(base_url, row.code)
        c.drawImage(qr_image(url, scale=4), width - 62 * mm, 18 * mm, 40 * mm, 40 * mm)
        c.setFont(regular, 8)
        c.drawRightString(width - 20 * mm, 15 * mm, url)
        c.drawString(22 * mm, 22 * mm, _("Mã xác minh: %(code)s") % {"code": row.code})
        c.showPage()
        if progress is not None and (i % 20 == 0 or i == len(winners)):
            progress(i, len(winners))
    if not winners:
        c.setFont(regular, 14)
        c.drawString(30 * mm, height / 2, _("Bảng xếp hạng này không có giải nào."))
        c.showPage()
    c.save()
    return buf.getvalue()
