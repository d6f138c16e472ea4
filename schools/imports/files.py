"""Read an uploaded CSV or XLSX into rows keyed by column, matching headers loosely.

Schools keep their own spreadsheets: headers come in any case, spacing and accents
("HỌ VÀ TÊN", "Ho va ten"), often below a title block. A file is read whole (it is small: a
class, a list of schools) and never stored.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import ValidationFailed
from core.text import normalise_header

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# What an XLSX may inflate to: its parts' declared sizes are checked before anything is read,
# so a zip bomb (a megabyte that inflates to gigabytes) is refused at once.
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
HEADER_SEARCH_ROWS = 15  # title rows a school export may carry above the header


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the canonical header, as documented (Vietnamese)
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, header: str) -> bool:
        return header in {normalise_header(self.label), *(normalise_header(a) for a in self.aliases)}


@dataclass
class Sheet:
    columns: dict[str, int]  # key -> column index
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number in the file, values)
    # Footer and summary rows left out, with a warning: [{"row": n, "column": "", "message", "params"}]
    warnings: list[dict] = field(default_factory=list)


def row_error(row: int, column: str, message: str, **params) -> dict:
    """An error entry; ``message`` is a Vietnamese msgid (marked with gettext_noop) translated on output."""
    return {"row": row, "column": column, "message": message, "params": params}


def _read_csv(data: bytes) -> list[list]:
    # UTF-16 only with its byte-order mark (Excel's "Unicode text"): without one, almost any
    # bytes decode as UTF-16, and a file that is not UTF-8 would be read as gibberish.
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationFailed(_("Tệp CSV phải được lưu với mã hoá UTF-8."), code="bad_file") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook  # defusedxml is installed, so openpyxl parses safely

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise ValidationFailed(_("Không đọc được tệp Excel (.xlsx)."), code="bad_file") from exc
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise ValidationFailed(_("Tệp Excel quá lớn khi giải nén; vì lý do an toàn, tệp bị từ chối."), code="bad_file")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationFailed(_("Không đọc được tệp Excel (.xlsx)."), code="bad_file") from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(name: str, data: bytes) -> list[list]:
    if len(data) > MAX_BYTES:
        raise ValidationFailed(_("Tệp quá lớn (tối đa 5 MB)."), code="bad_file")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(data)
    raise ValidationFailed(_("Chỉ nhận tệp .xlsx hoặc .csv."), code="bad_file")


def _find_header(table: list[list], columns: list[Column]) -> tuple[int, dict[str, int]] | None:
    required = [c for c in columns if c.required]
    for index, raw in enumerate(table[:HEADER_SEARCH_ROWS]):
        headers = [normalise_header(v) for v in raw]
        mapping = {}
        for column in columns:
            found = next((i for i, header in enumerate(headers) if header and column.matches(header)), None)
            if found is not None:
                mapping[column.key] = found
        if all(c.key in mapping for c in required):
            return index, mapping
    return None


# Footer rows a school export carries below the list: a total ("Tổng cộng: 8 học sinh",
# "Sĩ số: 35"), a place and date, a signature line. They are matched with their accents
# ("tổng", not "tống", a family name) and only with a number, a colon or as a lone cell, so a
# pupil's row is never taken for one.
_TOTAL = re.compile(r"^(tổng cộng|tổng số|tổng|cộng|sĩ số|số lượng)\s*(:|\d|học sinh\b|hs\b)|^(tổng cộng|tổng số)$")
_SIGNATURE = re.compile(
    r"^(người lập( bảng| biểu| danh sách)?|hiệu trưởng|giáo viên chủ nhiệm|gvcn|xác nhận|ghi chú)\b"
    r"|ngày\s*\S*\s*tháng\s*\S*\s*năm"
)
MSG_FOOTER = gettext_noop("Bỏ qua dòng tổng kết/chân trang: “%(text)s”.")


def footer_text(raw: list) -> str | None:
    """The text of a footer or summary row, or None for any other row."""
    cells = [cell_text(v) for v in raw]
    filled = [c for c in cells if c]
    if not filled:
        return None
    first = unicodedata.normalize("NFC", filled[0]).casefold()
    if _TOTAL.search(first) or (len(filled) <= 2 and _SIGNATURE.search(first)):
        return " ".join(filled)[:120]
    return None


def read_sheet(name: str, data: bytes, columns: list[Column]) -> Sheet:
    """Find the header row, map the columns, and return the non-empty data rows."""
    table = read_table(name, data)
    found = _find_header(table, columns)
    if found is None:
        labels = ", ".join(f"“{c.label}”" for c in columns if c.required)
        raise ValidationFailed(
            _("Không tìm thấy dòng tiêu đề với các cột bắt buộc: %(columns)s.") % {"columns": labels},
            code="bad_header",
        )
    index, mapping = found
    sheet = Sheet(columns=mapping)
    for number, raw in enumerate(table[index + 1 :], start=index + 2):
        values = {key: _json_cell(raw[i] if i < len(raw) else None) for key, i in mapping.items()}
        footer = footer_text(raw)
        if footer is not None:
            sheet.warnings.append({"row": number, "column": "", "message": MSG_FOOTER, "params": {"text": footer}})
            continue
        if all(cell_text(v) == "" for v in values.values()):
            continue
        sheet.rows.append((number, values))
    if len(sheet.rows) > MAX_ROWS:
        raise ValidationFailed(_("Tệp có quá nhiều dòng (tối đa %(max)s).") % {"max": MAX_ROWS}, code="bad_file")
    if not sheet.rows:
        raise ValidationFailed(_("Tệp không có dòng dữ liệu nào."), code="empty_file")
    return sheet


def _json_cell(value):
    """Keep a cell JSON-safe (the rows are stored on the import job): dates as ISO text."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores codes typed as numbers as floats
    return " ".join(str(value).split())


DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def cell_date(value) -> datetime.date | None:
    """A date from an Excel date cell or text as dd/mm/yyyy (or ISO); None when unreadable."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).split(" ")[0] if cell_text(value) else ""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


# Messages shared by every import (translated when shown).
MSG_REQUIRED = gettext_noop("Thiếu giá trị bắt buộc.")
MSG_TOO_LONG = gettext_noop("Quá dài (tối đa %(max)s ký tự).")
MSG_DUPLICATE = gettext_noop("Trùng với dòng %(other)s.")
# A name starting like a spreadsheet formula (=, +, -, @) is refused: it would run when a
# list of names is opened in a spreadsheet program elsewhere.
MSG_FORMULA = gettext_noop("Tên không được bắt đầu bằng =, +, - hoặc @ (công thức bảng tính).")
