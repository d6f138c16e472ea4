"""What every export (CSV, XLSX, PDF) does to the content it carries, in one place.

Content is data wherever it goes:
- **Spreadsheets.** A value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is read as a formula by spreadsheet programs (OWASP "CSV injection"). In CSV it is
  prefixed with ``'``; in XLSX it is written as a text cell with Excel's quote prefix, so it
  stays text even when someone edits the cell, and the value itself is unchanged (the bank
  export can be imported back). Numbers stay numbers: XLSX cells keep their type and get a
  number format, so the reader's spreadsheet shows them in its own locale.
- **PDFs.** ReportLab's ``Paragraph`` reads its text as markup (``<img src=…>`` fetches a
  file or URL, ``&name;`` is an entity), so every value is escaped before it becomes one
  (:func:`pdf_text`). Canvas ``drawString`` text is not markup and needs nothing.
- **What a person reads.** Times are local (``TIME_ZONE``), dates ``dd/mm/yyyy``, numbers in the
  active language's format (``1.234,5`` in Vietnamese): :func:`local_datetime`, :func:`number`.
"""

import csv
import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Excel number formats; the reader's locale decides the separators it shows.
XLSX_INT = "#,##0"
XLSX_DECIMAL_1 = "#,##0.0"
XLSX_DECIMAL_2 = "#,##0.00"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value):
    """A CSV cell's value that no spreadsheet program runs as a formula."""
    if is_formula_like(value):
        return "'" + value
    return value


EXCEL_VI = "excel-vi"


def csv_form(request) -> str:
    """The CSV form a download asks for: ``?dang=excel-vi`` for Excel set to Vietnamese
    (semicolons, decimal commas), else the plain machine-readable form (commas, dots)."""
    return EXCEL_VI if request.GET.get("dang") == EXCEL_VI else ""


def _excel_vi_cell(value):
    # Excel set to Vietnamese reads "12,5" as a number; no grouping, which it would read as text.
    if isinstance(value, float):
        return repr(value).replace(".", ",") if value == value else ""
    return value


def csv_bytes(header: list, rows, *, form: str = "") -> bytes:
    """UTF-8 CSV with a BOM (so spreadsheet programs read Vietnamese), every cell neutralised.

    ``form=EXCEL_VI``: separated by semicolons with decimal commas, as Excel set to Vietnamese
    opens a file by double-click; the default is commas and decimal dots.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if form == EXCEL_VI else ",")
    cell = _excel_vi_cell if form == EXCEL_VI else (lambda v: v)
    writer.writerow([neutralise(h) for h in header])
    for values in rows:
        writer.writerow(["" if v is None else neutralise(cell(v)) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_value(cell, value, number_format: str | None = None):
    """Put ``value`` into an openpyxl cell: text is always text, numbers keep a number format."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if is_formula_like(value):
            cell.quotePrefix = True  # and still text after someone edits it in Excel
    else:
        cell.value = value
        if number_format and isinstance(value, int | float) and not isinstance(value, bool):
            cell.number_format = number_format
    return cell


def xlsx_row(ws, values, number_formats=None, *, font=None) -> list:
    """Write-only worksheet cells for one row (``ws.append`` them)."""
    number_formats = number_formats or [None] * len(values)
    out = []
    for value, fmt in zip(values, number_formats, strict=False):
        cell = xlsx_value(WriteOnlyCell(ws), value, fmt)
        if font is not None:
            cell.font = font
        out.append(cell)
    return out


def pdf_text(value) -> str:
    """Text for a ReportLab ``Paragraph``: markup characters escaped, so nothing in it is a
    tag (no image is fetched, no link made) or an entity."""
    return escape("" if value is None else str(value))


def local_datetime(value, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A stored (UTC) time as a person reads it: local time, ``dd/mm/yyyy HH:MM``."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime(fmt)


def local_date(value) -> str:
    return local_datetime(value, "%d/%m/%Y")


def number(value, decimals: int = 0, *, trim: bool = True) -> str:
    """A number in the active language's format, grouped: ``1.234,5`` in Vietnamese.

    With ``trim`` trailing zeros go (``100`` not ``100,00``; ``1,25`` stays).
    """
    if value is None:
        return ""
    text = formats.number_format(round(float(value), decimals), decimals, use_l10n=True, force_grouping=True)
    if trim and decimals:
        sep = formats.get_format("DECIMAL_SEPARATOR")
        if sep in text:
            text = text.rstrip("0").rstrip(sep)
    return text


def percent(value, decimals: int = 1) -> str:
    """A percentage (already times 100) printed one way everywhere: "12,9 %" in Vietnamese
    ("12.9 %" in English), a space before the sign, trailing zeros dropped; "—" for no data."""
    if value is None or value == "":
        return "—"
    return f"{number(value, decimals)} %"
