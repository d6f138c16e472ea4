"""The API's JSON parser: any malformed body is a 400, never a 500.

DRF's parser turns ``ValueError`` into a 400 but lets ``RecursionError`` (a body nested a
thousand levels deep) through as a 500. This one refuses bodies nested deeper than
``MAX_DEPTH`` before parsing (a scan of the bytes, without recursion), and treats any decoding
failure as a parse error.
"""

import codecs

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils import json

MAX_DEPTH = 64  # no input of this API nests more than a few levels


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[`` / ``{`` in a JSON text, ignoring brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in "]}":
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (ValueError, LookupError) as exc:
            raise ParseError(_("Dữ liệu JSON không hợp lệ.")) from exc
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(_("Dữ liệu JSON lồng nhau quá sâu."))
        try:
            parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("Dữ liệu JSON không hợp lệ.")) from exc
