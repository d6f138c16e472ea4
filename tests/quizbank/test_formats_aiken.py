"""Aiken import: Moodle's plain-text single-choice format."""

from pathlib import Path

from quizbank.formats import parse

FILES = Path(__file__).parent / "files"


def _parse(name: str):
    return parse((FILES / name).read_bytes(), filename=Path(name).name)


def test_aiken_file_with_both_option_styles_and_multiline_stem():
    result = _parse("aiken/an-toan-mang.txt")
    assert result.format == "aiken"
    assert result.errors == [] and result.skipped == []
    assert [(q.line, q.qtype) for q in result.items] == [(1, "single"), (8, "single"), (14, "single"), (20, "single")]
    first = result.items[0]
    assert first.stem == "Mã OTP dùng để làm gì?"
    assert [(c["text"], c["correct"]) for c in first.choices] == [
        ("Xác thực giao dịch hoặc đăng nhập", True),
        ("Trang trí tin nhắn", False),
        ("Tăng tốc độ mạng", False),
        ("Chia sẻ với bạn bè", False),
    ]
    assert [c["correct"] for c in result.items[1].choices] == [False, True, False]  # "B)" style
    assert result.items[2].choices[3] == {"text": "111", "correct": True, "weight": 1.0}
    # No blank line before it, a stem over two lines, and the Vietnamese "Đáp án:" line.
    assert result.items[3].stem == (
        "Mạng Wi-Fi công cộng không đặt mật khẩu\ncó an toàn để đăng nhập tài khoản ngân hàng không?"
    )
    assert [c["correct"] for c in result.items[3].choices] == [False, True]


def test_aiken_mistakes_are_reported_by_line():
    result = _parse("aiken/thieu-dap-an.txt")
    assert [(e.line, e.message) for e in result.errors] == [
        (1, "Thiếu dòng “ANSWER:” cho câu hỏi."),
        (5, "Đáp án đúng “E” không khớp với lựa chọn nào."),
        (10, "Dòng “ANSWER:” không đi sau câu hỏi và các lựa chọn nào."),
        (17, "Thiếu dòng “ANSWER:” cho câu hỏi."),
    ]
    assert [q.stem for q in result.items] == ["Câu hỏi đúng chuẩn"]


def test_aiken_needs_two_options():
    result = parse("Chỉ một lựa chọn?\nA. Có\nANSWER: A\n".encode(), filename="x.txt", fmt="aiken")
    assert [(e.line, e.message) for e in result.errors] == [(1, "Câu hỏi cần ít nhất hai lựa chọn.")]
