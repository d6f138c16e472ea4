"""``core.exports``: what every CSV/XLSX/PDF does to content (issue #18 item 3, issue #11
item 3). The rankings' and the bank's files are tested where they are made; this pins the
shared rules."""

import csv
import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from core import exports

DANGEROUS = ["=1+1", "+33 6", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil.example","x")']


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_cells_never_start_a_formula(value):
    text = exports.csv_bytes(["Tên"], [[value, 3, None]]).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[0] == "'" + value and row[1:] == ["3", ""]


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_text_stays_text_with_a_quote_prefix_and_its_value(value):
    wb = Workbook()
    exports.xlsx_value(wb.active.cell(row=1, column=1), value)
    exports.xlsx_value(wb.active.cell(row=1, column=2), -2.5, exports.XLSX_DECIMAL_2)
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    cell, number = ws.cell(row=1, column=1), ws.cell(row=1, column=2)
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == value.replace("\r", "\n")  # XML stores CR as LF
    assert number.value == -2.5 and number.data_type == "n" and number.number_format == "#,##0.00"


def test_pdf_text_is_never_markup():
    text = exports.pdf_text('<img src="http://127.0.0.1:9/x.png"/> TH&THCS <b>x</b>')
    para = Paragraph(text, ParagraphStyle("p"))
    assert "<img" not in text and "&lt;img" in text and "TH&amp;THCS" in text
    plain = "".join(f.text for f in para.frags)
    assert plain == '<img src="http://127.0.0.1:9/x.png"/> TH&THCS <b>x</b>'


def test_local_time_and_vietnamese_numbers():
    at = datetime.datetime(2026, 11, 30, 20, 30, tzinfo=datetime.UTC)
    assert exports.local_datetime(at) == "01/12/2026 03:30" and exports.local_date(at) == "01/12/2026"
    with translation.override("vi"):
        assert exports.number(1234.5, 2) == "1.234,5"
        assert exports.number(100.0, 2) == "100"
        assert exports.number(1.25, 2, trim=False) == "1,25"
        assert exports.number(350, 1) == "350"
    with translation.override("en"):
        assert exports.number(1234.5, 2) == "1,234.5"
