"""Which format a file is in, from its name and its content.

The extension says what kind of container it is (spreadsheet, XML, text); the content
decides the layout: a spreadsheet's header row (Kahoot!, Quizizz or our template), an XML
root element (<quiz> or <assessmentItem>), a text file's syntax (GIFT braces or Aiken
"ANSWER:" lines).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from quizbank.formats import kahoot, quizizz, template
from quizbank.formats.base import FileRejected
from quizbank.formats.safety import open_zip, xml_text
from quizbank.formats.tables import find_header, is_zip, read_csv, read_xlsx
from quizbank.formats.textio import decode

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls
_AIKEN = re.compile(r"^\s*(?:ANSWER|ĐÁP ÁN)\s*:\s*[A-Za-z]\s*$", re.IGNORECASE | re.MULTILINE)
_GIFT = re.compile(r"(?<!\\)\{|^\s*::|^\s*\$CATEGORY:", re.MULTILINE)
_ROOT = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def _not_recognised(filename: str) -> FileRejected:
    return FileRejected(
        _("Không nhận ra định dạng của tệp “%(name)s”. Hãy chọn định dạng khi nhập.") % {"name": filename}
    )


def table_layout(tables, plain: str) -> str:
    """ "kahoot", "quizizz" or our template ("xlsx"/"csv", given as ``plain``)."""
    if find_header(tables, kahoot.is_header):
        return "kahoot"
    if find_header(tables, quizizz.is_header):
        return "quizizz"
    return plain


def xml_root(data: bytes) -> str:
    text = xml_text(data[:20000]) if len(data) > 20000 else xml_text(data)
    text = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", text, flags=re.DOTALL)
    match = _ROOT.search(text)
    return match.group(2) if match else ""


def _xml(data: bytes, filename: str) -> str:
    root = xml_root(data)
    if root == "quiz":
        return "moodlexml"
    if root == "assessmentItem":
        return "qti"
    raise _not_recognised(filename)


def _zip(data: bytes, filename: str) -> str:
    names = open_zip(data).namelist()
    if "xl/workbook.xml" in names:
        return table_layout(read_xlsx(data), "xlsx")
    if any(n.lower().endswith(".xml") for n in names):
        return "qti"
    raise _not_recognised(filename)


def _text(data: bytes, filename: str) -> str:
    content = decode(data)
    if content.lstrip().startswith("<"):
        return _xml(data, filename)
    gift, aiken = len(_GIFT.findall(content)), len(_AIKEN.findall(content))
    if gift or aiken:
        return "gift" if gift >= aiken else "aiken"
    tables = read_csv(data)
    if find_header(tables, kahoot.is_header) or find_header(tables, quizizz.is_header):
        return table_layout(tables, "csv")
    if find_header(tables, template._is_header):
        return "csv"
    raise _not_recognised(filename)


def detect(data: bytes, filename: str) -> str:
    """The format key of ``data``; FileRejected (translated) when it cannot be told."""
    suffix = PurePosixPath(filename.replace("\\", "/").lower()).suffix
    if data.startswith(_OLE) or suffix == ".xls":
        raise FileRejected(_("Tệp Excel .xls (Excel 97-2003) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx."))
    if suffix == ".gift":
        return "gift"
    if suffix == ".aiken":
        return "aiken"
    if is_zip(data):
        return _zip(data, filename)
    if suffix in (".xlsx", ".xlsm"):
        raise FileRejected(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."))
    if suffix == ".xml":
        return _xml(data, filename)
    if suffix in (".csv", ".tsv"):
        return table_layout(read_csv(data), "csv")
    return _text(data, filename)
