"""Automatic format detection: from the extension, then from the content."""

import io
import zipfile
from pathlib import Path

import pytest

from core.errors import ValidationFailed
from quizbank.formats import detect, parse

FILES = Path(__file__).parent / "files"


@pytest.mark.parametrize(
    ("path", "filename", "expected"),
    [
        ("gift/ky-nang-so.gift", "ky-nang-so.gift", "gift"),
        ("gift/ky-nang-so.gift", "cau-hoi.txt", "gift"),  # .txt: GIFT by its braces
        ("aiken/an-toan-mang.txt", "an-toan-mang.txt", "aiken"),  # .txt: Aiken by "ANSWER:"
        ("aiken/an-toan-mang.txt", "khong-duoi", "aiken"),
        ("moodle/ngan-hang-moodle.xml", "moodle.xml", "moodlexml"),
        ("moodle/ngan-hang-moodle.xml", "moodle.txt", "moodlexml"),
        ("qti/chon-mot.xml", "item.xml", "qti"),
        ("xlsx/mau-cau-hoi.xlsx", "mau.xlsx", "xlsx"),
        ("xlsx/mau-loi.xlsx", "de-kiem-tra.xlsx", "xlsx"),
        ("kahoot/kahoot-quiz.xlsx", "kahoot.xlsx", "kahoot"),
        ("kahoot/kahoot-quiz.xlsx", "tai-ve", "kahoot"),  # no extension: a ZIP holding a workbook
        ("quizizz/quizizz.csv", "quizizz.csv", "quizizz"),
        ("csv/mau-cp1258.csv", "mau.csv", "csv"),
        ("csv/mau-unicode.txt", "mau.txt", "csv"),
    ],
)
def test_detect(path, filename, expected):
    assert detect((FILES / path).read_bytes(), filename) == expected


def test_detect_a_qti_package():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(FILES / "qti/imsmanifest.xml", "imsmanifest.xml")
        archive.write(FILES / "qti/chon-mot.xml", "items/chon-mot.xml")
    assert detect(buffer.getvalue(), "goi.zip") == "qti"


def test_auto_parse_reports_the_detected_format():
    assert parse((FILES / "kahoot/kahoot-quiz.xlsx").read_bytes(), filename="k.xlsx").format == "kahoot"


def test_unrecognised_file():
    result = parse("Danh sách lớp 8A\nNguyễn Văn An\nTrần Thị Bình\n".encode(), filename="lop-8a.txt")
    assert [(e.line, e.message) for e in result.errors] == [
        (0, "Không nhận ra định dạng của tệp “lop-8a.txt”. Hãy chọn định dạng khi nhập.")
    ]
    other_xml = b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'
    assert parse(other_xml, filename="tin.xml").errors[0].message == (
        "Không nhận ra định dạng của tệp “tin.xml”. Hãy chọn định dạng khi nhập."
    )


def test_unknown_format_name_is_a_validation_error():
    with pytest.raises(ValidationFailed) as caught:
        parse(b"x", filename="a.txt", fmt="docx")
    assert str(caught.value.message) == "Định dạng “docx” không được hỗ trợ."


def test_explicit_format_wins_over_the_extension():
    result = parse((FILES / "aiken/an-toan-mang.txt").read_bytes(), filename="a.gift", fmt="aiken")
    assert result.format == "aiken" and len(result.items) == 4
