"""PDF building blocks shared by login cards, results and certificates.

ReportLab's built-in fonts have no Vietnamese glyphs, so we register DejaVu Sans (vendored in
``core/fonts`` with its licence). QR codes are drawn from segno's PNG output.
"""

import io
from functools import cache
from pathlib import Path

import segno
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the Vietnamese-capable fonts once; returns (regular, bold) font names."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


def qr_image(data: str, *, scale: int = 4) -> ImageReader:
    """A QR code of ``data`` as an image ReportLab can draw (``canvas.drawImage``)."""
    buf = io.BytesIO()
    segno.make(data, error="m").save(buf, kind="png", scale=scale, border=2)
    buf.seek(0)
    return ImageReader(buf)


def qr_svg(data: str, *, scale: int = 6) -> str:
    """A QR code as inline SVG markup, for pages (join links, verification links)."""
    buf = io.BytesIO()
    segno.make(data, error="m").save(buf, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True)
    return buf.getvalue().decode()
