"""Spreadsheets (XLSX) and CSV files as rows of cells, for the table layouts: our template,
Kahoot! and Quizizz.

XLSX is read with openpyxl in read-only mode and *without* ``data_only``: a cell holding a
formula then shows its formula instead of a value Excel cached (or did not), and the
layouts report such a cell as an error. Nothing is ever calculated.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.text import normalise_header
from quizbank.formats.base import FileRejected, max_items, too_many_items
from quizbank.formats.safety import open_zip
from quizbank.formats.textio import decode, format_number

MAX_COLUMNS = 60
MAX_SHEETS = 20
MAX_EMPTY_RUN = 1000  # styled but empty rows after the data: stop reading


@dataclass
class Cell:
    value: object
    ref: str
    formula: str = ""


@dataclass
class Row:
    number: int
    cells: list[Cell]

    def cell(self, column: int | None) -> Cell | None:
        if column is None or column >= len(self.cells):
            return None
        return self.cells[column]

    def is_empty(self) -> bool:
        return all(text(c) == "" and not c.formula for c in self.cells)


@dataclass
class Table:
    name: str  # sheet title, or "" for CSV
    rows: list[Row]


def text(cell: Cell | None) -> str:
    """What a cell shows, as text: numbers without a spurious ".0", dates as dd/mm/yyyy."""
    value = cell.value if cell is not None else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour, value.minute) != (0, 0) else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def header_key(value) -> str:
    """ "Thời gian (giây)" -> "thoi gian"; "Đáp án A" -> "dap an a"."""
    key = re.sub(r"\([^)]*\)", " ", normalise_header(value))
    return " ".join(re.sub(r"[^\w/ ]+", " ", key).split())


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _check_count(found: int) -> None:
    # Headers and notes take a few rows; any more than the item limit can only be questions.
    if found > max_items() + 50:
        raise too_many_items()


# Auto-detection reads a spreadsheet to see its header, then the parser reads it again: keep
# the last one read, until ``forget()`` at the end of ``parse()``. Tables are never modified.
@functools.lru_cache(maxsize=1)
def read_xlsx(data: bytes) -> list[Table]:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRejected(_("Tệp Excel .xls (Excel 97-2003) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx."))
    if not is_zip(data):
        raise FileRejected(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."))
    open_zip(data)  # size limits before openpyxl inflates anything
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        try:
            return [_read_sheet(ws) for ws in book.worksheets[:MAX_SHEETS]]
        finally:
            book.close()
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises a zoo of types on damaged files
        raise FileRejected(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")) from None


def _read_sheet(ws) -> Table:
    ws.reset_dimensions()  # some writers store a wrong <dimension>; read what is there
    rows: list[Row] = []
    found = empty_run = 0
    for number, raw in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        cells = []
        for index, c in enumerate(raw):
            value, formula = getattr(c, "value", None), ""
            if getattr(c, "data_type", None) == "f":
                formula = value if isinstance(value, str) else str(getattr(value, "text", "") or "=…")
                value = None
            cells.append(Cell(value=value, ref=f"{get_column_letter(index + 1)}{number}", formula=formula))
        row = Row(number=number, cells=cells)
        if row.is_empty():
            empty_run += 1
            if empty_run > MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        found += 1
        _check_count(found)
        rows.append(row)
    return Table(name=ws.title, rows=rows)


def _delimiter(first_line: str) -> str:
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


@functools.lru_cache(maxsize=1)
def read_csv(data: bytes) -> list[Table]:
    """One table. Excel on Vietnamese Windows writes ";"-separated CSV in Windows-1258."""
    content = decode(data)
    first = next((line for line in content.split("\n") if line.strip()), "")
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=_delimiter(first))
    rows: list[Row] = []
    start = 1
    try:
        for record in reader:
            cells = [
                Cell(value=value, ref=f"{get_column_letter(i + 1)}{start}")
                for i, value in enumerate(record[:MAX_COLUMNS])
            ]
            row = Row(number=start, cells=cells)
            start = reader.line_num + 1
            if not row.is_empty():
                rows.append(row)
                _check_count(len(rows))
    except csv.Error:
        raise FileRejected(
            _("Tệp CSV không hợp lệ ở dòng %(line)s.") % {"line": reader.line_num}, line=reader.line_num
        ) from None
    return [Table(name="", rows=rows)]


def forget() -> None:
    read_xlsx.cache_clear()
    read_csv.cache_clear()


def read_table(data: bytes) -> list[Table]:
    return read_xlsx(data) if is_zip(data) or data[:4] == b"\xd0\xcf\x11\xe0" else read_csv(data)


def find_header(tables: list[Table], matches: Callable[[list[str]], bool], within: int = 20):
    """The first (table, header row index, header keys) whose header row ``matches``."""
    for table in tables:
        for index, row in enumerate(table.rows[:within]):
            keys = [header_key(text(c)) for c in row.cells]
            if matches(keys):
                return table, index, keys
    return None


def formula_error(cell: Cell) -> str:
    return _("Ô %(cell)s chứa công thức “%(formula)s”; Hội thi Số không tính công thức, hãy dán giá trị vào ô.") % {
        "cell": cell.ref,
        "formula": cell.formula,
    }
