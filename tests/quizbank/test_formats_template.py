"""Our XLSX/CSV template: a filled-in sheet, a hand-typed sheet with mistakes, CSV in the
encodings Excel really writes, formula cells, and the downloadable template itself."""

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from quizbank.formats import parse, template_csv, template_xlsx

FILES = Path(__file__).parent / "files"


def _parse(name: str, **kwargs):
    return parse((FILES / name).read_bytes(), filename=Path(name).name, **kwargs)


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_filled_template_every_type():
    result = _parse("xlsx/mau-cau-hoi.xlsx")
    assert result.format == "xlsx"
    assert result.errors == [] and result.skipped == []
    # Row 6 is blank; the "STT" column (numbered by =ROW()-1) is not ours and is ignored.
    assert [(q.line, q.qtype) for q in result.items] == [
        (2, "single"),
        (3, "multiple"),
        (4, "multiple"),
        (5, "truefalse"),
        (7, "short"),
        (8, "numeric"),
        (9, "ordering"),
        (10, "single"),
        (11, "single"),
    ]
    items = {q.line: q for q in result.items}
    first = items[2]
    assert [c["correct"] for c in first.choices] == [False, True, False, False]
    assert (first.difficulty, first.time_limit_s, first.language) == (1, 30, "vi")
    assert first.topics == ["An toàn trên mạng/Lừa đảo và mã OTP"]
    assert first.tags == ["otp", "lừa đảo"]
    assert first.source == "Khuyến cáo phòng, chống lừa đảo trực tuyến của các ngân hàng"
    assert items[3].partial_credit is True and [c["weight"] for c in items[3].choices] == [0.5, 0.0, 0.5]
    assert items[4].partial_credit is False  # type guessed from "A;B", all-or-nothing by default
    assert items[5].difficulty == 2 and [c["correct"] for c in items[5].choices] == [False, True]
    assert items[7].answer == {"accepted": ["Hà Nội", "Thành phố Hà Nội"], "ignore_accents": True}
    assert items[8].answer == {"value": 3.5, "tolerance": 0.1}
    assert [c["text"] for c in items[9].choices] == [
        "Đăng nhập bằng VNeID",
        "Chọn thủ tục",
        "Điền tờ khai",
        "Nộp hồ sơ",
    ]
    assert (items[10].language, items[10].difficulty) == ("en", 3)
    assert [c["correct"] for c in items[11].choices] == [False, True, False, False]  # "2" means B


def test_hand_typed_sheet_unaccented_headers_and_mistakes():
    result = _parse("xlsx/mau-loi.xlsx")
    assert [(e.line, e.message) for e in result.errors] == [
        (5, "Loại câu hỏi “Tự luận” không hợp lệ."),
        (6, "Thiếu đáp án đúng."),
        (7, "Đáp án đúng “E” không khớp với lựa chọn nào."),
        (8, "Ô G8 chứa công thức “=CHAR(65)”; Hội thi Số không tính công thức, hãy dán giá trị vào ô."),
        (9, "Độ khó “Rất khó” không hợp lệ; hãy ghi 1, 2, 3 hoặc Dễ, Trung bình, Khó."),
        (10, "Ngôn ngữ “fr” không hợp lệ; hãy ghi vi hoặc en."),
        (11, "Thời gian trả lời phải là số giây từ 5 đến 3.600."),
        (12, "Đáp án đúng “B” không khớp với lựa chọn nào."),
        (13, "Câu hỏi không có nội dung."),
    ]
    assert [(q.line, q.qtype) for q in result.items] == [(4, "single"), (14, "truefalse")]


def test_formula_cells_are_never_evaluated():
    data = _xlsx(
        [
            ["Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án đúng", "Giải thích"],
            ['=CONCAT("Câu ", 1)', "Có", "Không", "A", ""],
            ["Câu hai", "Có", "Không", "A", '=HYPERLINK("http://evil.example","bấm vào đây")'],
        ]
    )
    result = parse(data, filename="cong-thuc.xlsx")
    assert result.items == []
    assert [(e.line, e.message) for e in result.errors] == [
        (2, 'Ô A2 chứa công thức “=CONCAT("Câu ", 1)”; Hội thi Số không tính công thức, hãy dán giá trị vào ô.'),
        (
            3,
            'Ô E3 chứa công thức “=HYPERLINK("http://evil.example","bấm vào đây")”; '
            "Hội thi Số không tính công thức, hãy dán giá trị vào ô.",
        ),
    ]


def test_windows_1258_csv_with_semicolons():
    raw = (FILES / "csv/mau-cp1258.csv").read_bytes()
    raw.decode("cp1258")  # the fixture really is Windows-1258...
    assert b"\xcc" in raw or b"\xec" in raw or b"\xf2" in raw  # ...with combining tone marks
    result = _parse("csv/mau-cp1258.csv")
    assert result.format == "csv" and result.errors == []
    assert [q.stem for q in result.items] == [
        "Thương mại điện tử là gì?",
        "Giá trị của 7 chia 2 là bao nhiêu?",
        "Chọn các hình thức thanh toán số; sai sẽ bị trừ điểm.",
    ]
    assert result.items[0].topics == ["Kinh tế số"]  # NFC, so equal to text typed elsewhere
    assert result.items[1].answer == {"value": 3.5, "tolerance": 0.05}
    weighted = result.items[2]
    assert weighted.partial_credit is True  # weights given: partial credit wanted
    assert [(c["correct"], c["weight"]) for c in weighted.choices] == [(True, 0.5), (False, -1.0), (True, 0.5)]


def test_excel_unicode_text_is_utf16_with_tabs():
    result = _parse("csv/mau-unicode.txt")
    assert result.format == "csv"
    assert [(q.line, q.qtype, q.stem) for q in result.items] == [
        (2, "single", "Đâu là một trình duyệt web?"),
        (3, "truefalse", "Internet vạn vật (IoT) kết nối các thiết bị với nhau qua mạng."),
    ]


def test_utf8_csv_with_bom_commas_and_quoted_newlines():
    text = (
        "\ufeffSTT,Câu hỏi,Đáp án A,Đáp án B,Đáp án đúng\r\n"
        '1,"Dòng một\r\ndòng hai",Có,Không,A\r\n'
        "2,Câu thứ hai,Có,Không,X\r\n"
    )
    result = parse(text.encode("utf-8"), filename="cau-hoi.csv")
    assert result.items[0].stem == "Dòng một\ndòng hai"
    assert [(e.line, e.message) for e in result.errors] == [(4, "Đáp án đúng “X” không khớp với lựa chọn nào.")]


def test_sheet_without_our_headers():
    result = parse(_xlsx([["Họ tên", "Lớp"], ["An", "8A"]]), filename="lop.xlsx")
    assert [(e.line, e.message) for e in result.errors] == [
        (
            0,
            "Không tìm thấy dòng tiêu đề có cột “Câu hỏi” và các cột “Đáp án”; hãy dùng tệp mẫu của Hội thi Số.",
        )
    ]


def test_downloadable_template_has_vietnamese_headers_and_an_example_that_imports():
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["Câu hỏi", "Loại"]
    assert headers[2:9] == [f"Đáp án {letter}" for letter in "ABCDEF"] + ["Đáp án đúng"]
    for name in ("Độ khó", "Chủ đề", "Giải thích", "Nguồn", "Thẻ", "Thời gian (giây)", "Ngôn ngữ"):
        assert name in headers
    assert sheet.max_row == 2
    assert book.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    result = parse(template_xlsx(), filename="mau.xlsx")
    assert result.errors == [] and len(result.items) == 1
    example = result.items[0]
    assert example.stem.startswith("Khi nhận được tin nhắn đề nghị cung cấp mã OTP")
    assert parse(template_csv(), filename="mau.csv").items == [example]


def test_template_csv_opens_in_excel_with_accents():
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("Câu hỏi,Loại,Đáp án A,")


def test_numbered_choice_columns_and_the_answer_written_out():
    data = _xlsx(
        [
            ["Nội dung câu hỏi", "Phương án 1", "Phương án 2", "Phương án 3", "Đáp án"],
            ["Đâu là ví điện tử?", "MoMo", "Microsoft Word", "Paint", "momo"],
            ["Đâu là trình duyệt?", "Excel", "Cốc Cốc", "Paint", "B"],
        ]
    )
    result = parse(data, filename="de-thi.xlsx")
    assert result.errors == []
    assert [[c["correct"] for c in q.choices] for q in result.items] == [[True, False, False], [False, True, False]]
