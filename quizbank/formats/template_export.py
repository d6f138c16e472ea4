"""Our XLSX/CSV template: the empty template with an example row, and the XLSX export.

Text cells are always written as text (``core.exports``): openpyxl would otherwise store a stem
starting with "=" as a formula (a formula-injection hole, and the stem would be lost); such a
cell also gets Excel's quote prefix, so it stays text when edited, and its value is unchanged.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import csv_bytes, xlsx_value
from quizbank.formats.base import ParsedQuestion, default_weights
from quizbank.formats.template import HEADERS, LETTERS, TYPE_LABELS
from quizbank.formats.textio import percent

BASE_CHOICES = 6  # Đáp án A..F; more columns are added when a question needs them

_BEFORE = ["stem", "qtype"]
_AFTER = [
    "answer",
    "difficulty",
    "topics",
    "explanation",
    "source",
    "tags",
    "time",
    "language",
    "partial",
    "weights",
    "tolerance",
    "accents",
]
_WIDTHS = {"stem": 60, "qtype": 16, "answer": 14, "topics": 30, "explanation": 40, "source": 30, "tags": 20}

EXAMPLE = ParsedQuestion(
    qtype="single",
    stem="Khi nhận được tin nhắn đề nghị cung cấp mã OTP để “nhận quà tri ân”, em nên làm gì?",
    choices=[
        {"text": "Gửi ngay mã OTP để nhận quà", "correct": False, "weight": 0.0},
        {"text": "Không cung cấp mã OTP cho bất kỳ ai và báo cho bố mẹ, thầy cô", "correct": True, "weight": 1.0},
        {"text": "Đăng mã OTP lên mạng xã hội để hỏi bạn bè", "correct": False, "weight": 0.0},
        {"text": "Gọi lại số điện thoại trong tin nhắn để hỏi thêm", "correct": False, "weight": 0.0},
    ],
    difficulty=1,
    explanation=(
        "Mã OTP là mật khẩu dùng một lần để xác nhận giao dịch. Ngân hàng và các tổ chức uy tín "
        "không bao giờ yêu cầu khách hàng cung cấp mã OTP qua tin nhắn hay điện thoại."
    ),
    source="Khuyến cáo phòng, chống lừa đảo trực tuyến của các ngân hàng",
    topics=["An toàn trên mạng/Lừa đảo và mã OTP"],
    tags=["otp", "lừa đảo"],
    time_limit_s=30,
)

GUIDE = [
    ("Cột", "Bắt buộc", "Cách ghi"),
    ("Câu hỏi", "Có", "Nội dung câu hỏi. Có thể dùng Markdown: **đậm**, *nghiêng*, ![mô tả](https://…) để chèn hình."),
    ("Loại", "Không", "Một đáp án, Nhiều đáp án, Đúng/Sai, Trả lời ngắn, Số, Sắp xếp. Để trống: tự nhận biết."),
    ("Đáp án A … F", "Tùy loại", "Các lựa chọn. Cần thêm thì thêm cột “Đáp án G”, “Đáp án H”… (tối đa 10)."),
    (
        "Đáp án đúng",
        "Có",
        "Một đáp án: B. Nhiều đáp án: A, C. Đúng/Sai: Đúng hoặc Sai. Trả lời ngắn: các cách trả lời "
        "được chấp nhận, ngăn cách bằng |. Số: giá trị, ví dụ 3,5. Sắp xếp: để trống nếu các lựa chọn "
        "đã theo thứ tự đúng, hoặc ghi thứ tự, ví dụ C, A, B, D.",
    ),
    ("Độ khó", "Không", "1, 2, 3 hoặc Dễ, Trung bình, Khó (hoặc Nhận biết, Thông hiểu, Vận dụng). Mặc định: 2."),
    ("Chủ đề", "Không", "Đường dẫn chủ đề, các cấp ngăn cách bằng /, nhiều chủ đề ngăn cách bằng ;"),
    ("Giải thích", "Không", "Hiển thị cho học sinh sau khi trả lời."),
    ("Nguồn", "Không", "Văn bản, tài liệu làm căn cứ, ví dụ Quyết định 749/QĐ-TTg."),
    ("Thẻ", "Không", "Các thẻ ngăn cách bằng dấu phẩy."),
    ("Thời gian (giây)", "Không", "Thời gian trả lời, từ 5 đến 3600 giây."),
    ("Ngôn ngữ", "Không", "vi hoặc en. Mặc định: vi."),
    ("Tính điểm từng phần", "Không", "Câu nhiều đáp án: Có (điểm theo từng lựa chọn), Không (đúng hết mới có điểm)."),
    ("Trọng số (%)", "Không", "Nâng cao: phần trăm điểm của từng lựa chọn, ví dụ 50; 50; -100; 0."),
    ("Sai số", "Không", "Câu dạng số: sai số cho phép, ví dụ 0,5."),
    ("Chấp nhận không dấu", "Không", "Câu trả lời ngắn: Có nếu chấp nhận câu trả lời viết không dấu."),
]


def _columns(choices: int) -> list[tuple[str, str]]:
    """(key, header) for every column, with ``choices`` answer columns."""
    letters = [(f"choice:{LETTERS[i]}", f"Đáp án {LETTERS[i]}") for i in range(choices)]
    return [(k, HEADERS[k]) for k in _BEFORE] + letters + [(k, HEADERS[k]) for k in _AFTER]


def _weights(q: ParsedQuestion) -> str:
    if q.qtype not in ("single", "multiple") or (q.qtype == "multiple" and not q.partial_credit):
        return ""
    weights = [c["weight"] for c in q.choices]
    if weights == default_weights(q.qtype, [c["correct"] for c in q.choices]):
        return ""
    return "; ".join(percent(w).replace(".", ",") for w in weights)


def _answer(q: ParsedQuestion):
    if q.qtype in ("single", "multiple"):
        return ", ".join(LETTERS[i] for i, c in enumerate(q.choices) if c["correct"])
    if q.qtype == "truefalse":
        return "Đúng" if q.choices[0]["correct"] else "Sai"
    if q.qtype == "short":
        return " | ".join(q.answer["accepted"])
    if q.qtype == "numeric":
        return q.answer["value"]
    return ""


def row_values(q: ParsedQuestion) -> dict:
    values = {
        "stem": q.stem,
        "qtype": TYPE_LABELS[q.qtype],
        "answer": _answer(q),
        "difficulty": q.difficulty,
        "topics": "; ".join(q.topics),
        "explanation": q.explanation,
        "source": q.source,
        "tags": ", ".join(q.tags),
        "time": q.time_limit_s,
        "language": q.language,
        "partial": ("Có" if q.partial_credit else "Không") if q.qtype == "multiple" else "",
        "weights": _weights(q),
        "tolerance": (q.answer.get("tolerance") or None) if q.qtype == "numeric" else None,
        "accents": ("Có" if q.answer.get("ignore_accents") else "Không") if q.qtype == "short" else "",
    }
    if q.qtype in ("single", "multiple", "ordering"):
        for i, c in enumerate(q.choices):
            values[f"choice:{LETTERS[i]}"] = c["text"]
    return values


def _put(ws, row: int, column: int, value) -> None:
    if value is None or value == "":
        return
    xlsx_value(ws.cell(row=row, column=column), value)


def _workbook(questions: list[ParsedQuestion]) -> bytes:
    most = max([len(q.choices) for q in questions if q.qtype in ("single", "multiple", "ordering")] + [0])
    columns = _columns(max(BASE_CHOICES, most))
    book = Workbook()
    ws = book.active
    ws.title = "Câu hỏi"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, (key, header) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=header)
        cell.font, cell.fill = bold, fill
        width = _WIDTHS.get(key, 22 if key.startswith("choice:") else 12)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "B2"
    for row, q in enumerate(questions, start=2):
        values = row_values(q)
        for index, (key, _header) in enumerate(columns, start=1):
            _put(ws, row, index, values.get(key))
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    _validations(ws, columns)
    guide = book.create_sheet("Hướng dẫn")
    for row in GUIDE:
        guide.append(row)
    guide["A1"].font = guide["B1"].font = guide["C1"].font = bold
    for letter, width in (("A", 24), ("B", 10), ("C", 100)):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validations(ws, columns) -> None:
    """Drop-down lists, so a teacher picks valid values instead of typing them."""
    where = {key: get_column_letter(i) for i, (key, _h) in enumerate(columns, start=1)}
    lists = {
        "qtype": ",".join(TYPE_LABELS.values()),
        "difficulty": "1,2,3",
        "language": "vi,en",
        "partial": "Có,Không",
        "accents": "Có,Không",
    }
    for key, options in lists.items():
        rule = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        rule.add(f"{where[key]}2:{where[key]}2001")
        ws.add_data_validation(rule)


def export_xlsx(questions: list[ParsedQuestion]) -> bytes:
    return _workbook(list(questions))


def template_xlsx() -> bytes:
    """The empty template, with one example row, for teachers to download and fill in."""
    return _workbook([EXAMPLE])


def template_csv() -> bytes:
    """The same template as CSV (UTF-8 with a BOM, so Excel shows the accents)."""
    columns = _columns(BASE_CHOICES)
    values = row_values(EXAMPLE)
    return csv_bytes([header for _key, header in columns], [[values.get(key) for key, _header in columns]])
