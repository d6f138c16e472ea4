"""Printable login cards for a class: name, class, date of birth, username, initial password, login QR.

Ten cards to an A4 page, with cut lines. A pupil who has already set their own password gets
a card saying so instead of a stale password.
"""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from core.pdf import qr_image, register_fonts
from schools.models import SchoolClass
from schools.selectors import class_roster

COLS, ROWS = 2, 5
MARGIN = 10 * mm


def _fit(c, text: str, font: str, size: float, width: float) -> float:
    """Shrink long names rather than cutting them."""
    while size > 6 and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def login_cards_pdf(*, school_class: SchoolClass, login_url: str) -> bytes:
    regular, bold = register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(_("Thẻ đăng nhập lớp %(name)s") % {"name": school_class.name})
    page_w, page_h = A4
    card_w, card_h = (page_w - 2 * MARGIN) / COLS, (page_h - 2 * MARGIN) / ROWS
    qr = qr_image(login_url, scale=4)
    students = list(class_roster(school_class))
    school_name = school_class.school.name
    for i, student in enumerate(students):
        slot = i % (COLS * ROWS)
        if i and slot == 0:
            c.showPage()
        x = MARGIN + (slot % COLS) * card_w
        y = page_h - MARGIN - (slot // COLS + 1) * card_h
        c.setDash(3, 3)
        c.setStrokeGray(0.6)
        c.rect(x, y, card_w, card_h)
        c.setDash()
        pad, text_w = 5 * mm, card_w - 38 * mm
        top = y + card_h - pad
        c.setFont(bold, 9)
        c.drawString(x + pad, top - 3 * mm, "Hội thi Số")
        c.setFont(regular, 7.5)
        c.drawString(x + pad, top - 7 * mm, school_name[:60])
        size = _fit(c, student.full_name, bold, 12, text_w)
        c.setFont(bold, size)
        c.drawString(x + pad, top - 14 * mm, student.full_name)
        c.setFont(regular, 9)
        line = _("Lớp: %(name)s") % {"name": school_class.name}
        if student.date_of_birth:  # tells pupils with the same name apart
            line += " · " + _("Ngày sinh: %(date)s") % {"date": student.date_of_birth.strftime("%d/%m/%Y")}
        c.drawString(x + pad, top - 19.5 * mm, line)
        c.drawString(x + pad, top - 26 * mm, _("Tên đăng nhập:"))
        c.drawString(x + pad, top - 34 * mm, _("Mật khẩu:"))
        c.setFont("Courier-Bold", 13)
        c.drawString(x + pad, top - 31 * mm, student.user.username)
        changed = not student.initial_password or student.user.password != student.initial_password_hash
        if changed:
            c.setFont(regular, 9)
            c.drawString(x + pad, top - 39 * mm, _("(học sinh đã tự đặt mật khẩu)"))
        else:
            c.drawString(x + pad, top - 39.5 * mm, student.initial_password)
        c.drawImage(qr, x + card_w - 33 * mm, y + 10 * mm, 28 * mm, 28 * mm)
        c.setFont(regular, 6)
        c.drawRightString(x + card_w - pad, y + 6 * mm, login_url[:70])
    if not students:
        c.setFont(regular, 12)
        c.drawString(
            MARGIN, page_h - MARGIN - 10 * mm, _("Lớp %(name)s chưa có học sinh.") % {"name": school_class.name}
        )
    c.save()
    return buf.getvalue()
