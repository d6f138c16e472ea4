"""Moodle GIFT import: a realistic Moodle export, escapes, and a file full of mistakes."""

from pathlib import Path

from quizbank.formats import parse

FILES = Path(__file__).parent / "files"


def _parse(name: str, **kwargs):
    return parse((FILES / name).read_bytes(), filename=Path(name).name, **kwargs)


def _by_line(result):
    return {q.line: q for q in result.items}


def test_moodle_export_counts_and_skips_by_name():
    result = _parse("gift/ky-nang-so.gift")
    assert result.format == "gift"
    assert result.errors == []
    assert len(result.items) == 10
    assert [(s.line, s.name, s.kind) for s in result.skipped] == [
        (44, "Tự luận", "essay"),
        (46, "Ghép đôi", "matching"),
        (52, "Giới thiệu", "description"),
    ]
    assert result.skipped[0].reason == "Loại câu hỏi “essay” chưa được hỗ trợ nên đã bỏ qua."
    assert [q.qtype for q in result.items] == [
        "single",
        "multiple",
        "numeric",
        "numeric",
        "numeric",
        "short",
        "truefalse",
        "truefalse",
        "short",
        "single",
    ]


def test_html_question_with_feedback_category_and_tags():
    q = _by_line(_parse("gift/ky-nang-so.gift"))[8]
    assert q.stem == 'Khi nhận được tin nhắn đề nghị cung cấp **mã OTP** để "nhận quà", em nên làm gì?'
    assert [c["text"] for c in q.choices][:2] == [
        "Gửi ngay mã OTP để nhận quà",
        "Không cung cấp mã OTP và báo cho bố mẹ, thầy cô",
    ]
    assert [c["correct"] for c in q.choices] == [False, True, False, False]
    assert q.explanation == "Ngân hàng không bao giờ yêu cầu khách hàng cung cấp mã OTP."
    assert q.topics == ["Kỹ năng số/An toàn trên mạng"]
    assert q.tags == ["otp", "lừa đảo"]
    assert (q.difficulty, q.language, q.time_limit_s) == (2, "vi", None)


def test_weights_and_escapes():
    q = _by_line(_parse("gift/ky-nang-so.gift"))[17]
    assert q.qtype == "multiple" and q.partial_credit is True
    assert [(c["text"], c["correct"], c["weight"]) for c in q.choices] == [
        ("Tr@ng-Xanh_2026!", True, 0.5),
        ("Hoa#Sen:9x={K}", True, 0.5),
        ("12345678", False, -1.0),
        ("matkhau", False, -1.0),
    ]
    escaped = _by_line(_parse("gift/ky-nang-so.gift"))[56]
    assert escaped.stem == "Trong biểu thức 2 = 1 + 1, dấu # và dấu ~ dùng để làm gì?"
    assert escaped.choices[1]["text"] == "Để viết chú thích \\ ghi chú"
    assert escaped.topics == ["Kinh tế số"]


def test_numeric_forms_and_missing_word():
    items = _by_line(_parse("gift/ky-nang-so.gift"))
    assert items[25].answer == {"value": 111.0, "tolerance": 0.0}
    assert items[25].stem == "Số điện thoại của Tổng đài quốc gia bảo vệ trẻ em là _____."
    assert items[27].answer == {"value": 75.0, "tolerance": 0.5}
    assert items[29].answer == {"value": 2.0, "tolerance": 1.0}  # {#1..3}


def test_short_answer_and_true_false():
    items = _by_line(_parse("gift/ky-nang-so.gift"))
    assert items[34].answer == {"accepted": ["VNeID", "VNe ID"], "ignore_accents": False}
    assert items[34].topics == ["Kỹ năng số/Chính phủ số"]
    assert items[37].choices == [
        {"text": "Đúng", "correct": True, "weight": 1.0},
        {"text": "Sai", "correct": False, "weight": 0.0},
    ]
    assert items[37].explanation == "Luật Giao dịch điện tử 2023 công nhận chữ ký số."
    assert [c["correct"] for c in items[39].choices] == [False, True]
    assert items[41].stem == "Ngày Chuyển đổi số quốc gia là ngày _____ hằng năm."


def test_malformed_file_reports_each_question_by_line():
    result = _parse("gift/loi-cu-phap.gift")
    assert [(e.line, e.message) for e in result.errors] == [
        (4, "Thiếu dấu ngoặc nhọn “{” hoặc “}” quanh phần đáp án."),
        (6, "Đáp án số “ba mươi” không hợp lệ."),
        (8, "Câu hỏi chưa có đáp án đúng."),
        (10, "Hai lựa chọn trùng nhau: “hà nội”."),
        (12, "Chú thích “hoithiso” không phải là JSON hợp lệ."),
        (15, "Trọng số trong “%150%Một” không hợp lệ."),
    ]
    assert [q.stem for q in result.items] == ["Câu duy nhất hợp lệ trong tệp"]
    assert str(result.errors[0]) == "Dòng 4: Thiếu dấu ngoặc nhọn “{” hoặc “}” quanh phần đáp án."


def test_our_metadata_comment_and_partial_credit_answers():
    data = """
// hoithiso: {"difficulty": 3, "language": "en", "source": "Quyết định 749/QĐ-TTg", "time_limit_s": 45}
::t::Which year? {#2020}

// hoithiso: {"difficulty": 9}
::u::Bad level {T}

::v::Accepted spellings {=Hà Nội =%50%HN}
""".encode()
    result = parse(data, filename="x.gift")
    assert [(e.line, e.message) for e in result.errors] == [
        (6, "Thông tin bổ sung “difficulty” không hợp lệ."),
    ]
    q = result.items[0]
    assert (q.difficulty, q.language, q.source, q.time_limit_s) == (3, "en", "Quyết định 749/QĐ-TTg", 45)
    assert result.items[-1].answer["accepted"] == ["Hà Nội"]
    assert [(w.line, w.message) for w in result.warnings] == [
        (8, "Đáp án được một phần điểm không được nhập; chỉ giữ các đáp án đúng hoàn toàn.")
    ]


def test_gift_with_crlf_bom_and_utf16():
    text = "::a::Ứng dụng nào là ví điện tử?{=MoMo ~Word}\r\n\r\n::b::Thủ đô?{=Hà Nội}\r\n"
    for data in (("\ufeff" + text).encode("utf-8"), text.encode("utf-16")):
        result = parse(data, filename="x.gift")
        assert [q.stem for q in result.items] == ["Ứng dụng nào là ví điện tử?", "Thủ đô?"]
