"""Hostile-file defences shared by the parsers: size limits, safe XML, bounded ZIP archives.

- XML is parsed only with defusedxml, with DTDs, entity declarations and external references
  all refused: Moodle XML and QTI never need them, and they are how "billion laughs" and XXE
  attacks work.
- ZIP containers (XLSX, QTI packages) are checked before anything is extracted: the sizes the
  archive declares bound what ``zipfile`` will inflate, so checking them stops ZIP bombs.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from quizbank.formats.base import FileRejected, max_bytes
from quizbank.formats.textio import decode

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000


def check_size(data: bytes) -> None:
    if not data:
        raise FileRejected(_("Tệp trống."))
    if len(data) > max_bytes():
        mb = 1024 * 1024
        raise FileRejected(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(max)s MB.")
            % {
                # Rounded up: a file just over 5 MB must not read as "5,0 MB".
                "size": number_format(math.ceil(len(data) * 10 / mb) / 10, decimal_pos=1),
                "max": number_format(max_bytes() / mb, decimal_pos=0),
            }
        )


class _LineNumberingParser(DefusedXMLParser):
    """defusedxml's parser (the pure-Python one, which exposes expat) that also records the
    line where each element starts, so errors can point at the question."""

    def __init__(self):
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.lines: dict[int, int] = {}

    def _start(self, tag, attr_list):
        element = super()._start(tag, attr_list)
        self.lines[id(element)] = self.parser.CurrentLineNumber
        return element


class XmlDocument:
    def __init__(self, root: Element, lines: dict[int, int]):
        self.root = root
        self._lines = lines

    def line(self, element: Element | None) -> int:
        return self._lines.get(id(element), 0) if element is not None else 0


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_text(data: bytes) -> str:
    """The document as text. Decoding here (not in expat) lets files declared as
    windows-1258, which expat does not know, be read too."""
    head = data[:200]
    declared = _DECLARED.match(head) if not head.startswith((b"\xff\xfe", b"\xfe\xff")) else None
    encoding = declared.group(1).decode("ascii") if declared else None
    if encoding and encoding.lower().replace("_", "-") in ("utf-16", "utf-16le", "utf-16be"):
        encoding = None  # trust the BOM / byte pattern instead
    return decode(data, encoding)


def parse_xml(data: bytes) -> XmlDocument:
    text = xml_text(data)
    parser = _LineNumberingParser()
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException:
        raise FileRejected(
            _("Tệp XML chứa khai báo DTD hoặc thực thể (ENTITY); vì lý do an toàn, tệp bị từ chối.")
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise FileRejected(
            _("Tệp XML không hợp lệ ở dòng %(line)s, cột %(column)s.") % {"line": line, "column": column + 1},
            line=line,
        ) from None
    return XmlDocument(root, parser.lines)


def local(tag: str) -> str:
    """Tag name without its namespace: "{http://...imsqti_v2p1}choiceInteraction" -> "choiceInteraction"."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def open_zip(data: bytes) -> zipfile.ZipFile:
    """A ZIP archive whose declared contents stay within the limits; FileRejected otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError, OSError):
        raise FileRejected(_("Tệp nén (ZIP) bị hỏng hoặc không hợp lệ.")) from None
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
        raise FileRejected(_("Tệp nén quá lớn khi giải nén; vì lý do an toàn, tệp bị từ chối."))
    return archive


def read_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError):
        # damaged data, an encrypted entry or an unknown compression method
        raise FileRejected(_("Tệp nén (ZIP) bị hỏng hoặc không hợp lệ.")) from None
