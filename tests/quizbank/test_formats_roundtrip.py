"""Export then import gives back the same questions, in GIFT, Moodle XML and the XLSX template."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from quizbank.formats import EXPORT_EXTENSIONS, ParsedQuestion, export, parse
from quizbank.formats.base import canonicalise
from quizbank.formats.checks import problems

FILES = Path(__file__).parent / "files"
EXPORTS = ["gift", "moodlexml", "xlsx"]


def _c(text, correct, weight=None):
    return {"text": text, "correct": correct, "weight": weight}


def _canonical(**fields) -> ParsedQuestion:
    """A valid question in canonical form (missing weights filled in), as the bank stores it."""
    q = ParsedQuestion(**fields)
    canonicalise(q)
    assert problems(q) == [], q
    return q


def awkward_questions() -> list[ParsedQuestion]:
    """Every type, and the texts most likely to break a writer."""
    return [
        _canonical(
            qtype="single",
            stem="= 2 + 3 bằng mấy? Dùng ký tự đặc biệt: ~ = # { } : \\ và `code`\n\nĐoạn **thứ hai**.",
            choices=[
                _c("=5", True, 1.0),
                _c("{6}", False, 0.0),
                _c("7 # bảy", False, 0.5),
                _c("C:\\thư mục", False, 0.0),
            ],
            difficulty=1,
            explanation="Dòng một\nDòng hai với dấu ####",
            source="Quyết định 749/QĐ-TTg ngày 03/6/2020",
            topics=["Chính sách chuyển đổi số", "Kỹ năng số/An toàn"],
            tags=["phép cộng", "toán"],
            time_limit_s=30,
        ),
        _canonical(
            qtype="multiple",
            stem="Chọn các ví điện tử (tính điểm từng phần).",
            choices=[
                _c("MoMo", True, 1 / 3),
                _c("ZaloPay", True, 1 / 3),
                _c("VNPay", True, 1 / 3),
                _c("Excel", False, -1.0),
            ],
            partial_credit=True,
            topics=["Kinh tế số/Thanh toán số"],
        ),
        _canonical(
            qtype="multiple",
            stem="Chọn các dịch vụ công trực tuyến (đúng hết mới có điểm).",
            choices=[_c("Khai sinh", True), _c("Cắt tóc", False), _c("Đăng ký tạm trú", True)],
            partial_credit=False,
            topics=[],
            tags=["a]b", "x<y"],
        ),
        _canonical(
            qtype="single",
            stem="Kahoot-style: either correct answer scores.",
            choices=[_c("Một", True), _c("Hai", False), _c("Ba", True)],
            language="en",
            difficulty=3,
        ),
        _canonical(
            qtype="truefalse", stem="Chữ ký số có giá trị pháp lý.", choices=[_c("Đúng", True), _c("Sai", False)]
        ),
        _canonical(
            qtype="truefalse",
            stem="Public Wi-Fi is always safe.",
            choices=[_c("True", False), _c("False", True)],
            language="en",
            time_limit_s=10,
        ),
        _canonical(
            qtype="short",
            stem="Ứng dụng định danh điện tử quốc gia tên là gì?",
            answer={"accepted": ["VNeID", "VNe ID"], "ignore_accents": True},
            topics=["Chính phủ số"],
        ),
        _canonical(
            qtype="numeric",
            stem="Nhiệt độ thấp nhất là bao nhiêu độ C?",
            answer={"value": -2.75, "tolerance": 0.125},
            explanation="Đọc trên nhiệt kế.",
        ),
        _canonical(qtype="numeric", stem="Một phần mười triệu", answer={"value": 1e-07, "tolerance": 0.0}),
        _canonical(
            qtype="ordering",
            stem="Sắp xếp các bước nộp hồ sơ trực tuyến.",
            choices=[_c("Đăng nhập", True), _c("Chọn thủ tục", True), _c("Nộp hồ sơ", True)],
            explanation="Theo hướng dẫn của Cổng Dịch vụ công quốc gia.",
            topics=["Chính phủ số/Dịch vụ công"],
            tags=["thủ tục"],
            difficulty=3,
        ),
        _canonical(
            qtype="single",
            stem="Tám lựa chọn: cần thêm cột Đáp án G, H.",
            choices=[_c(f"Lựa chọn {i}", i == 7) for i in range(1, 9)],
            topics=["Kỹ năng số"],
        ),
    ]


def fixture_questions() -> list[ParsedQuestion]:
    questions = []
    for name in ("gift/ky-nang-so.gift", "moodle/ngan-hang-moodle.xml", "xlsx/mau-cau-hoi.xlsx", "qti/chon-nhieu.xml"):
        questions += parse((FILES / name).read_bytes(), filename=Path(name).name).items
    return questions


@pytest.mark.parametrize("fmt", EXPORTS)
@pytest.mark.parametrize("source", [awkward_questions, fixture_questions])
def test_export_then_import_gives_the_same_questions(fmt, source):
    questions = source()
    data = export(questions, fmt)
    result = parse(data, filename="xuat" + EXPORT_EXTENSIONS[fmt])
    assert result.format == fmt
    assert result.errors == [] and result.skipped == [] and result.warnings == []
    assert len(result.items) == len(questions)
    for original, again in zip(questions, result.items, strict=True):
        assert again == original


def test_xlsx_export_writes_text_cells_never_formulas():
    data = export(awkward_questions()[:1], "xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].value.startswith("= 2 + 3")
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix  # still text when edited in Excel
    assert sheet["C2"].value == "=5" and sheet["C2"].data_type == "s" and sheet["C2"].quotePrefix


def test_gift_export_is_plain_moodle_gift():
    text = export(awkward_questions(), "gift").decode()
    assert "$CATEGORY: $course$/top/Chính sách chuyển đổi số" in text
    assert (
        "::[markdown]\\= 2 + 3 bằng mấy? Dùng ký tự đặc biệt\\: \\~ \\= \\# \\{ \\} \\: \\\\ và `code`"
        "\\n\\nĐoạn **thứ hai**. {\n"
    ) in text
    assert "\t=\\=5\n\t~\\{6\\}\n\t~%50%7 \\# bảy\n" in text
    assert "// [tag:phép cộng] [tag:toán]" in text
    assert '"partial_credit": false' in text  # all-or-nothing: GIFT cannot say it, our comment does
    # Ordering has no GIFT syntax: it travels in a comment that Moodle ignores.
    assert (
        '// hoithiso: {"difficulty": 3, "qtype": "ordering", "stem": "Sắp xếp các bước nộp hồ sơ trực tuyến.", '
        '"items": ["Đăng nhập", "Chọn thủ tục", "Nộp hồ sơ"]'
    ) in text


def test_moodle_xml_export_uses_moodle_types():
    text = export(awkward_questions(), "moodlexml").decode()
    for qtype in ("multichoice", "multichoiceset", "truefalse", "shortanswer", "numerical", "ordering"):
        assert f'<question type="{qtype}">' in text
    assert '<answer fraction="33.33333" format="markdown">' in text
    assert "<text>$course$/top/Kinh tế số/Thanh toán số</text>" in text
