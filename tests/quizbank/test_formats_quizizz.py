"""The Quizizz spreadsheet layout, as CSV (and XLSX)."""

import io
from pathlib import Path

from openpyxl import Workbook

from quizbank.formats import parse

FILES = Path(__file__).parent / "files"


def test_quizizz_csv():
    result = parse((FILES / "quizizz/quizizz.csv").read_bytes(), filename="quizizz.csv")
    assert result.format == "quizizz"
    # Row 2 is Quizizz's own instructions row: ignored.
    assert [(q.line, q.qtype, q.time_limit_s) for q in result.items] == [
        (3, "single", 30),
        (4, "multiple", 45),
        (5, "short", 20),
    ]
    assert [(s.line, s.kind, s.name) for s in result.skipped] == [
        (6, "Open-Ended", "Em thích học môn Tin học vì sao?"),
        (7, "Poll", "Em dùng thiết bị nào để học trực tuyến nhiều nhất?"),
    ]
    assert [(e.line, e.message) for e in result.errors] == [
        (8, "Đáp án đúng “6” không khớp với lựa chọn nào."),
        (9, "Thời gian trả lời phải là số giây từ 5 đến 3.600."),
    ]
    first, checkbox, blank = result.items
    assert first.stem == "Ứng dụng nào dùng để nộp hồ sơ dịch vụ công?\n\n![](https://example.edu.vn/anh/vneid.png)"
    assert first.explanation == "VNeID tích hợp nhiều dịch vụ công trực tuyến."
    assert [c["correct"] for c in first.choices] == [True, False, False]
    assert checkbox.partial_credit is False
    assert [c["correct"] for c in checkbox.choices] == [True, False, True]
    assert checkbox.choices[2]["text"] == 'Hối thúc chuyển tiền gấp, "nếu không sẽ bị khoá"'
    assert blank.answer == {"accepted": ["10/10", "10 tháng 10", "ngày 10 tháng 10"], "ignore_accents": False}


def test_quizizz_xlsx_is_detected_too():
    book = Workbook()
    book.active.append(["Question Text", "Question Type", "Option 1", "Option 2", "Correct Answer", "Time in seconds"])
    book.active.append(["Ví điện tử nào của Việt Nam?", "Multiple Choice", "MoMo", "PayPal", 1, 20])
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse(buffer.getvalue(), filename="wayground.xlsx")
    assert result.format == "quizizz"
    assert [(q.qtype, q.time_limit_s) for q in result.items] == [("single", 20)]
