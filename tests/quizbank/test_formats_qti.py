"""QTI 2.1 items: single and multiple choice, ordering, and packages."""

import io
import zipfile
from pathlib import Path

from quizbank.formats import parse

FILES = Path(__file__).parent / "files" / "qti"


def _package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FILES / "imsmanifest.xml", "imsmanifest.xml")
        for name in ("chon-mot", "chon-nhieu", "sap-xep", "dien-tu"):
            archive.write(FILES / f"{name}.xml", f"items/{name}.xml")
    return buffer.getvalue()


def test_single_choice_item():
    result = parse((FILES / "chon-mot.xml").read_bytes(), filename="chon-mot.xml")
    assert result.format == "qti" and result.errors == []
    (q,) = result.items
    assert q.qtype == "single"
    assert q.stem == "Bạn Minh dùng cùng một mật khẩu cho mọi tài khoản.\n\nLời khuyên nào **đúng** nhất cho Minh?"
    assert [(c["text"], c["correct"]) for c in q.choices] == [
        ("Giữ nguyên vì dễ nhớ", False),
        ("Dùng mật khẩu riêng cho từng tài khoản và bật xác thực hai lớp", True),
        ("Ghi mật khẩu lên mạng xã hội để khỏi quên", False),
    ]
    assert (q.language, q.line) == ("vi", 18)


def test_package_of_items():
    result = parse(_package(), filename="goi-cau-hoi.zip")
    assert result.format == "qti" and result.errors == []
    assert [q.qtype for q in result.items] == ["single", "multiple", "ordering"]
    multiple = result.items[1]
    assert multiple.partial_credit is True  # mapped values: 1, -1, 1
    assert [(c["correct"], c["weight"]) for c in multiple.choices] == [(True, 0.5), (False, -0.5), (True, 0.5)]
    assert multiple.explanation == "Nền tảng số kết nối người mua và người bán qua Internet."
    assert [c["text"] for c in result.items[2].choices] == [
        "Dừng lại, không chia sẻ ngay",
        "Kiểm tra nguồn tin chính thống",
        "Chỉ chia sẻ khi đã chắc chắn",
    ]
    assert [(s.line, s.name, s.kind) for s in result.skipped] == [
        (2, "items/dien-tu.xml: Điền tên ứng dụng", "textEntryInteraction")
    ]


def test_choice_naming_a_missing_identifier():
    data = (FILES / "chon-mot.xml").read_text(encoding="utf-8").replace("<value>ChoiceB</value>", "<value>X</value>")
    result = parse(data.encode(), filename="a.xml")
    assert [(e.line, e.message) for e in result.errors] == [
        (18, "Đáp án đúng (correctResponse) không khớp với lựa chọn nào.")
    ]
