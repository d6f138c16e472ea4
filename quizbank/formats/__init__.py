"""Import and export of question files: Moodle GIFT and XML, Aiken, our XLSX/CSV template,
Kahoot! and Quizizz spreadsheets, and QTI 2.1 items.

``parse()`` never touches the database and never raises on a bad file: every problem comes
back as a ``ParseError`` with its line (row) number and a translated message, so the caller
can show a preview and save nothing until the user confirms. See docs/import-formats.md.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from quizbank.formats import (
    aiken,
    gift,
    gift_export,
    kahoot,
    moodlexml,
    moodlexml_export,
    qti,
    quizizz,
    tables,
    template,
)
from quizbank.formats.base import (
    Collector,
    FileRejected,
    ParsedQuestion,
    ParseError,
    ParseResult,
    Skipped,
    truefalse_choices,
)
from quizbank.formats.detect import detect
from quizbank.formats.safety import check_size
from quizbank.formats.template_export import export_xlsx, template_csv, template_xlsx

__all__ = [
    "EXPORT_EXTENSIONS",
    "EXPORT_FORMATS",
    "FORMATS",
    "FileRejected",
    "ParseError",
    "ParseResult",
    "ParsedQuestion",
    "Skipped",
    "detect",
    "export",
    "parse",
    "template_csv",
    "template_xlsx",
    "truefalse_choices",
]

_PARSERS = {
    "gift": gift.parse,
    "aiken": aiken.parse,
    "moodlexml": moodlexml.parse,
    "xlsx": template.parse_xlsx,
    "csv": template.parse_csv,
    "kahoot": kahoot.parse,
    "quizizz": quizizz.parse,
    "qti": qti.parse,
}
FORMATS = ("auto", *_PARSERS)
_EXPORTERS = {"gift": gift_export.export, "moodlexml": moodlexml_export.export, "xlsx": export_xlsx}
EXPORT_FORMATS = tuple(_EXPORTERS)
EXPORT_EXTENSIONS = {"gift": ".gift.txt", "moodlexml": ".xml", "xlsx": ".xlsx"}


def parse(data: bytes, *, filename: str, fmt: str = "auto") -> ParseResult:
    """Read a question file. ``fmt="auto"`` picks the format from the name and the content."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Định dạng “%(fmt)s” không được hỗ trợ.") % {"fmt": fmt})
    out = Collector(fmt)
    try:
        check_size(data)
        if fmt == "auto":
            fmt = detect(data, filename)
            out.result.format = fmt
        _PARSERS[fmt](data, out)
    except FileRejected as exc:
        result = ParseResult(format=out.result.format)
        result.errors.append(ParseError(line=exc.line, message=exc.message))
        return result
    finally:
        tables.forget()
    result = out.result
    if not (result.items or result.skipped or result.errors):
        result.errors.append(ParseError(line=0, message=_("Không tìm thấy câu hỏi nào trong tệp.")))
    result.errors.sort(key=lambda e: e.line)
    return result


def export(questions: list[ParsedQuestion], fmt: str) -> bytes:
    """The questions as a GIFT, Moodle XML or XLSX template file."""
    if fmt not in _EXPORTERS:
        raise ValidationFailed(_("Định dạng “%(fmt)s” không được hỗ trợ.") % {"fmt": fmt})
    return _EXPORTERS[fmt](questions)
