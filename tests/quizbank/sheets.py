"""Spreadsheets in the project's XLSX template, built in memory for the import tests."""

import io

import openpyxl

HEADERS = ["Câu hỏi", "Loại", "Đáp án A", "Đáp án B", "Đáp án C", "Đáp án D", "Đáp án đúng", "Độ khó", "Chủ đề", "Thẻ"]

GOOD_ROWS = [
    ["Ngày Chuyển đổi số quốc gia là ngày nào?", "Một đáp án", "1/6", "10/10", "2/9", "20/11", "B", 1,
     "Chính sách chuyển đổi số", "ngày CĐS"],
    ["Những thông tin nào không được chia sẻ với người lạ?", "Nhiều đáp án", "Mã OTP", "Mật khẩu", "Tên trường",
     "Số thẻ ngân hàng", "A, B, D", 2, "Kỹ năng số/An toàn", "bảo mật"],
    ["Chữ ký số có giá trị pháp lý trong giao dịch điện tử.", "Đúng/Sai", None, None, None, None, "Đúng", 2,
     "Chính phủ số", ""],
    ["Số của Tổng đài quốc gia bảo vệ trẻ em là?", "Số", None, None, None, None, "111", 1,
     "An toàn trên mạng", "111"],
]  # fmt: skip
# Row 4 of the sheet: a single-choice question whose answer letter has no choice.
BAD_ROW = ["Ứng dụng định danh điện tử quốc gia là?", "Một đáp án", "VNeID", "Zalo", None, None, "E", 1,
           "Chính phủ số", ""]  # fmt: skip
FIXED_ROW = [*BAD_ROW[:6], "A", *BAD_ROW[7:]]


def xlsx(rows, headers=HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Câu hỏi"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_bad_row() -> bytes:
    return xlsx([*GOOD_ROWS[:2], BAD_ROW, *GOOD_ROWS[2:]])


def fixed() -> bytes:
    return xlsx([*GOOD_ROWS[:2], FIXED_ROW, *GOOD_ROWS[2:]])
