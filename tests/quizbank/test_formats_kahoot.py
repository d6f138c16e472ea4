"""The Kahoot! quiz spreadsheet: header on row 8, answers 1-4, correct answers as "1,3"."""

from pathlib import Path

from quizbank.formats import parse

FILES = Path(__file__).parent / "files"


def test_kahoot_template_file():
    result = parse((FILES / "kahoot/kahoot-quiz.xlsx").read_bytes(), filename="kahoot-quiz.xlsx")
    assert result.format == "kahoot"
    assert [(q.line, q.qtype, q.time_limit_s) for q in result.items] == [
        (9, "single", 20),
        (10, "single", 30),
        (11, "single", 20),
        (12, "truefalse", 10),
        (15, "single", 240),
    ]
    # Rows 16-28 hold only Kahoot's row numbers: not questions, not errors.
    assert [(e.line, e.message) for e in result.errors] == [
        (13, "Đáp án đúng “5” không khớp với lựa chọn nào."),
        (14, "Thiếu đáp án đúng."),
    ]
    items = {q.line: q for q in result.items}
    assert [(c["text"], c["correct"]) for c in items[10].choices] == [
        ("Zalo", False),
        ("Shopee", False),
        ("VNeID", True),
        ("TikTok", False),
    ]
    # "1,3": in Kahoot! a player picks one answer and either scores.
    assert [c["correct"] for c in items[11].choices] == [True, False, True]
    assert [c["text"] for c in items[11].choices] == ["Bật xác thực 2 lớp", "Chia sẻ mật khẩu", "Đổi mật khẩu mạnh"]
    assert [c["correct"] for c in items[12].choices] == [False, True]  # Đúng / Sai, correct 2
    assert items[9].choices[1] == {"text": "Không", "correct": True, "weight": 1.0}
    assert [c["correct"] for c in items[15].choices] == [True, False]  # a numeric cell 1


def test_kahoot_layout_given_explicitly_but_missing():
    data = (FILES / "xlsx/mau-cau-hoi.xlsx").read_bytes()
    result = parse(data, filename="x.xlsx", fmt="kahoot")
    assert [e.message for e in result.errors] == [
        "Không tìm thấy dòng tiêu đề của mẫu Kahoot! (Question, Answer 1-4, Correct answer(s))."
    ]
