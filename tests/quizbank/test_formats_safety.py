"""Hostile and broken files: limits, XML bombs, ZIP bombs, legacy and binary files."""

import io
import zipfile
from pathlib import Path

from quizbank.formats import parse

FILES = Path(__file__).parent / "files"
SAFETY_REFUSAL = "Tệp XML chứa khai báo DTD hoặc thực thể (ENTITY); vì lý do an toàn, tệp bị từ chối."


def _messages(result):
    return [(e.line, e.message) for e in result.errors]


def test_billion_laughs_is_refused_without_expanding():
    result = parse((FILES / "moodle/billion-laughs.xml").read_bytes(), filename="bomb.xml")
    assert result.items == []
    assert _messages(result) == [(0, SAFETY_REFUSAL)]


def test_external_entities_are_refused():
    result = parse((FILES / "moodle/xxe.xml").read_bytes(), filename="xxe.xml", fmt="moodlexml")
    assert _messages(result) == [(0, SAFETY_REFUSAL)]
    assert "root:" not in repr(result)


def test_bomb_inside_a_qti_package_is_refused_per_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(FILES / "moodle/billion-laughs.xml", "items/bomb.xml")
        archive.write(FILES / "qti/chon-mot.xml", "items/chon-mot.xml")
    result = parse(buffer.getvalue(), filename="goi.zip")
    assert _messages(result) == [(0, f"items/bomb.xml: {SAFETY_REFUSAL}")]
    assert len(result.items) == 1


def _zip_bomb(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(name, b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def test_zip_bombs_are_refused_before_inflating():
    refusal = "Tệp nén quá lớn khi giải nén; vì lý do an toàn, tệp bị từ chối."
    bomb = _zip_bomb("xl/worksheets/sheet1.xml")
    assert len(bomb) < 1024 * 1024
    assert _messages(parse(bomb, filename="bom.xlsx")) == [(0, refusal)]
    assert _messages(parse(bomb, filename="bom.xlsx", fmt="xlsx")) == [(0, refusal)]
    assert _messages(parse(_zip_bomb("items/q.xml"), filename="bom.zip", fmt="qti")) == [(0, refusal)]


def test_file_size_limit():
    data = b"// " + b"x" * (5 * 1024 * 1024 + 200_000) + b"\n"
    assert _messages(parse(data, filename="lon.gift")) == [(0, "Tệp quá lớn (5,2 MB); giới hạn là 5 MB.")]


def test_item_limit_counts_every_question_found():
    data = "\n\n".join(f"Câu {i}? {{=Có ~Không}}" for i in range(2001)).encode()
    result = parse(data, filename="nhieu.gift")
    assert result.items == []
    assert _messages(result) == [(0, "Tệp có quá nhiều câu hỏi; mỗi lần chỉ nhập được tối đa 2.000 câu.")]
    assert len(parse(data[: data.rindex(b"\n\n")], filename="du.gift").items) == 2000


def test_item_limit_is_a_setting(settings):
    settings.QUIZBANK_IMPORT_MAX_ITEMS = 2
    data = (FILES / "aiken/an-toan-mang.txt").read_bytes()
    assert _messages(parse(data, filename="a.txt")) == [
        (0, "Tệp có quá nhiều câu hỏi; mỗi lần chỉ nhập được tối đa 2 câu.")
    ]


def test_legacy_xls_and_broken_xlsx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert _messages(parse(ole, filename="cu.xls")) == [
        (0, "Tệp Excel .xls (Excel 97-2003) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx.")
    ]
    truncated = (FILES / "xlsx/mau-cau-hoi.xlsx").read_bytes()[:3000]
    assert _messages(parse(truncated, filename="hong.xlsx")) == [(0, "Tệp nén (ZIP) bị hỏng hoặc không hợp lệ.")]
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert _messages(parse(not_a_workbook.getvalue(), filename="x.xlsx")) == [
        (0, "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")
    ]


def test_empty_binary_and_questionless_files():
    assert _messages(parse(b"", filename="a.gift")) == [(0, "Tệp trống.")]
    assert _messages(parse(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", filename="anh.txt")) == [
        (0, "Tệp không phải là tệp văn bản.")
    ]
    assert _messages(parse(b"// chi co chu thich\n", filename="a.gift")) == [
        (0, "Không tìm thấy câu hỏi nào trong tệp.")
    ]


def test_limits_on_a_single_question():
    long_stem = "Câu hỏi rất dài " * 700
    data = f"{long_stem}{{=Có ~Không}}\n\nCâu hai {{{' '.join(f'~Ý {i}' for i in range(11))} =Đúng}}".encode()
    assert _messages(parse(data, filename="x.gift")) == [
        (1, "Nội dung câu hỏi quá dài (tối đa 10.000 ký tự)."),
        (3, "Câu hỏi có quá nhiều lựa chọn (tối đa 10)."),
    ]
