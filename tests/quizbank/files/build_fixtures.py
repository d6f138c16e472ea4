"""Build the binary fixtures (XLSX, and CSV in legacy encodings) the format tests read.

The files are committed; this script documents exactly what is in them and rebuilds them:
    .venv/bin/python tests/quizbank/files/build_fixtures.py
They imitate what teachers upload: a filled-in template with an "STT" column numbered by a
formula, a sheet typed by hand with unaccented upper-case headers and mistakes, Kahoot!'s
quiz template, and CSV saved by Excel on Vietnamese Windows (Windows-1258, ";") or as
"Unicode Text" (UTF-16, tabs).
"""

import unicodedata
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

TEMPLATE_HEADERS = [
    "STT",
    "Câu hỏi",
    "Loại",
    "Đáp án A",
    "Đáp án B",
    "Đáp án C",
    "Đáp án D",
    "Đáp án E",
    "Đáp án F",
    "Đáp án đúng",
    "Độ khó",
    "Chủ đề",
    "Giải thích",
    "Nguồn",
    "Thẻ",
    "Thời gian (giây)",
    "Ngôn ngữ",
    "Tính điểm từng phần",
    "Trọng số (%)",
    "Sai số",
    "Chấp nhận không dấu",
]

# (Câu hỏi, Loại, [Đáp án A..F], Đáp án đúng, Độ khó, Chủ đề, Giải thích, Nguồn, Thẻ, Thời gian, Ngôn ngữ,
#  Tính điểm từng phần, Trọng số, Sai số, Chấp nhận không dấu)
TEMPLATE_ROWS = [
    (
        "Khi nhận được tin nhắn đề nghị cung cấp mã OTP để “nhận quà tri ân”, em nên làm gì?",
        "Một đáp án",
        [
            "Gửi ngay mã OTP để nhận quà",
            "Không cung cấp mã OTP cho bất kỳ ai và báo cho bố mẹ, thầy cô",
            "Đăng mã OTP lên mạng xã hội để hỏi bạn bè",
            "Gọi lại số điện thoại trong tin nhắn để hỏi thêm",
        ],
        "B",
        "Dễ",
        "An toàn trên mạng/Lừa đảo và mã OTP",
        "Ngân hàng không bao giờ yêu cầu khách hàng cung cấp mã OTP.",
        "Khuyến cáo phòng, chống lừa đảo trực tuyến của các ngân hàng",
        "otp, lừa đảo",
        30,
        "vi",
        "",
        "",
        None,
        "",
    ),
    (
        "Những việc nào giúp bảo vệ tài khoản mạng xã hội?",
        "Nhiều đáp án",
        ["Bật xác thực hai lớp", "Dùng chung mật khẩu với bạn thân", "Đặt mật khẩu dài, khó đoán", "", "", ""],
        "A, C",
        2,
        "Kỹ năng số/An toàn",
        "",
        "",
        "",
        45,
        "",
        "Có",
        "",
        None,
        "",
    ),
    (
        "Chọn các dịch vụ công có thể thực hiện trực tuyến.",
        "",
        ["Đăng ký khai sinh", "Nộp thuế thu nhập cá nhân", "Cắt tóc", "", "", ""],
        "A;B",
        "",
        "Chính phủ số/Dịch vụ công trực tuyến",
        "",
        "",
        "",
        None,
        "",
        "",
        "",
        None,
        "",
    ),
    (
        "Mạng Wi-Fi công cộng không đặt mật khẩu luôn an toàn để đăng nhập ngân hàng.",
        "Đúng/Sai",
        ["", "", "", "", "", ""],
        "Sai",
        "Thông hiểu",
        "An toàn trên mạng",
        "Kẻ gian có thể theo dõi dữ liệu trên mạng Wi-Fi công cộng.",
        "",
        "wifi",
        20,
        "vi",
        "",
        "",
        None,
        "",
    ),
    (
        "Thủ đô của Việt Nam là thành phố nào?",
        "Trả lời ngắn",
        ["", "", "", "", "", ""],
        "Hà Nội | Thành phố Hà Nội",
        1,
        "",
        "",
        "",
        "",
        None,
        "",
        "",
        "",
        None,
        "Có",
    ),
    (
        "Một tệp ảnh 3,5 MB gửi kèm email; dung lượng tệp là bao nhiêu MB?",
        "Số",
        ["", "", "", "", "", ""],
        3.5,
        2,
        "Kỹ năng số/Dữ liệu",
        "",
        "",
        "",
        None,
        "",
        "",
        "",
        "0,1",
        "",
    ),
    (
        "Sắp xếp các bước nộp hồ sơ trực tuyến theo thứ tự đúng.",
        "Sắp xếp",
        ["Chọn thủ tục", "Nộp hồ sơ", "Đăng nhập bằng VNeID", "Điền tờ khai", "", ""],
        "C, A, D, B",
        "Vận dụng",
        "Chính phủ số",
        "",
        "",
        "",
        60,
        "",
        "",
        "",
        None,
        "",
    ),
    (
        "Which of these is a strong password?",
        "Một đáp án",
        ["123456", "password", "T0i-Yeu_VietNam!2026", "", "", ""],
        "C",
        "Khó",
        "Digital skills/Safety",
        "",
        "",
        "password",
        None,
        "en",
        "",
        "",
        None,
        "",
    ),
    (
        "Số điện thoại của Tổng đài quốc gia bảo vệ trẻ em là số nào?",
        "",
        ["113", "111", "115", "114", "", ""],
        2,
        1,
        "An toàn trên mạng/Pháp luật",
        "Tổng đài 111 miễn phí, hoạt động 24/7.",
        "",
        "",
        None,
        "",
        "",
        "",
        None,
        "",
    ),
]


def _row(values):
    stem, qtype, choices, answer, difficulty, topics, explanation, source, tags, time, language = values[:11]
    partial, weights, tolerance, accents = values[11:]
    choices = list(choices) + [""] * (6 - len(choices))
    head = [stem, qtype, *choices, answer, difficulty, topics, explanation, source, tags, time, language]
    return [*head, partial, weights, tolerance, accents]


def build_template():
    book = Workbook()
    ws = book.active
    ws.title = "Câu hỏi"
    ws.append(TEMPLATE_HEADERS)
    for number, values in enumerate(TEMPLATE_ROWS, start=1):
        ws.append(["=ROW()-1", *_row(values)])
        if number == 4:
            ws.append([])  # a blank row in the middle, as teachers leave them
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Cách ghi"])
    guide.append(["Câu hỏi", "Nội dung câu hỏi"])
    book.save(HERE / "xlsx" / "mau-cau-hoi.xlsx")


def build_mistakes():
    book = Workbook()
    ws = book.active
    ws.title = "De kiem tra"
    ws.append(["ĐỀ KIỂM TRA KỸ NĂNG SỐ - LỚP 8"])
    ws.append([])
    ws.append(["CAU HOI", "LOAI", "DAP AN A", "DAP AN B", "DAP AN C", "DAP AN D", "DAP AN DUNG"])
    ws.cell(row=3, column=8, value="DO KHO")
    ws.cell(row=3, column=9, value="NGON NGU")
    ws.cell(row=3, column=10, value="THOI GIAN")
    rows = [
        ["Trình duyệt web dùng để làm gì?", "mot dap an", "Truy cập trang web", "Soạn nhạc", "", "", "a", "", "", ""],
        ["Hãy trình bày suy nghĩ của em về mạng xã hội.", "Tự luận", "", "", "", "", "", "", "", ""],
        ["Phần mềm diệt virus dùng để làm gì?", "", "Bảo vệ máy tính", "Chơi game", "", "", "", "", "", ""],
        ["Đâu là mạng xã hội?", "", "Facebook", "Excel", "Word", "Paint", "E", "", "", ""],
        ["Đâu là trình duyệt?", "", "Chrome", "Excel", "", "", "=CHAR(65)", "", "", ""],
        ["Email là gì?", "", "Thư điện tử", "Tin nhắn SMS", "", "", "A", "Rất khó", "", ""],
        ["What is a browser?", "", "A program to view websites", "A game", "", "", "A", "", "fr", ""],
        ["Bao lâu nên đổi mật khẩu?", "", "Định kỳ", "Không bao giờ", "", "", "A", "", "", "nửa phút"],
        ["Thiết bị nào kết nối Internet?", "", "Điện thoại", "", "Máy tính bảng", "", "B", "", "", ""],
        ["", "", "Có", "Không", "", "", "A", "", "", ""],
        ["Mật khẩu nên được chia sẻ cho bạn thân.", "Đúng/Sai", "", "", "", "", "S", "", "", ""],
    ]
    for row in rows:
        ws.append(row)
    book.save(HERE / "xlsx" / "mau-loi.xlsx")


def build_kahoot():
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws["B2"] = "Quiz template"
    ws["B3"] = (
        "Add questions, at least two answer alternatives, time limit and choose correct answers (at least one). "
        "Have fun creating your awesome quiz!"
    )
    ws["B4"] = (
        "Remember: questions have a limit of 120 characters and answers can have 75 characters max. Text will "
        "turn red in Excel or Google Docs if you exceed this limit. If several answers are correct, separate "
        "them with a comma."
    )
    ws["B5"] = "See an example question below (don't forget to overwrite this with your first question!)"
    ws["B6"] = (
        "And remember,  if you're not using Excel you need to export to .xlsx format before you upload to Kahoot!"
    )
    header = [
        None,
        "Question - max 120 characters",
        "Answer 1 - max 75 characters",
        "Answer 2 - max 75 characters",
        "Answer 3 - max 75 characters",
        "Answer 4 - max 75 characters",
        "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
        "Correct answer(s) - choose at least one",
    ]
    for column, value in enumerate(header, start=1):
        ws.cell(row=8, column=column, value=value)
    questions = [
        ["Mã OTP có được chia sẻ cho người khác không?", "Có", "Không", None, None, 20, "2"],
        ["Đâu là ứng dụng định danh điện tử quốc gia?", "Zalo", "Shopee", "VNeID", "TikTok", 30, "3"],
        [
            "Việc nào giúp bảo vệ tài khoản?",
            "Bật xác thực 2 lớp",
            "Chia sẻ mật khẩu",
            "Đổi mật khẩu mạnh",
            None,
            20,
            "1,3",
        ],
        ["Wi-Fi công cộng luôn an toàn.", "Đúng", "Sai", None, None, 10, "2"],
        ["Tổng đài bảo vệ trẻ em là số nào?", "111", "113", "114", "115", 20, "5"],
        ["Ngày Chuyển đổi số quốc gia là ngày nào?", "10/10", "2/9", None, None, 20, None],
        ["Đâu là ví điện tử?", "MoMo", "Word", None, None, 240, 1],
    ]
    for index in range(20):
        row = 9 + index
        ws.cell(row=row, column=1, value=index + 1)
        if index < len(questions):
            for column, value in enumerate(questions[index], start=2):
                ws.cell(row=row, column=column, value=value)
    book.save(HERE / "kahoot" / "kahoot-quiz.xlsx")


TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: base letters (â, ê, ơ, ư...) plus combining tone marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = [c for c in decomposed if c in TONES]
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
            out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


CSV_ROWS = [
    [
        "Câu hỏi",
        "Loại",
        "Đáp án A",
        "Đáp án B",
        "Đáp án C",
        "Đáp án đúng",
        "Độ khó",
        "Chủ đề",
        "Sai số",
        "Trọng số (%)",
    ],
    [
        "Thương mại điện tử là gì?",
        "Một đáp án",
        "Mua bán qua mạng",
        "Mua bán ở chợ",
        "",
        "A",
        "1",
        "Kinh tế số",
        "",
        "",
    ],
    ["Giá trị của 7 chia 2 là bao nhiêu?", "Số", "", "", "", "3,5", "2", "", "0,05", ""],
    [
        "Chọn các hình thức thanh toán số; sai sẽ bị trừ điểm.",
        "Nhiều đáp án",
        "Ví điện tử",
        "Tiền mặt",
        "Thẻ ngân hàng",
        "A, C",
        "3",
        "Kinh tế số/Thanh toán số",
        "",
        "50; -100; 50",
    ],
]


def build_csv():
    lines = [";".join(f'"{v}"' if ";" in v else v for v in row) for row in CSV_ROWS]
    for row in CSV_ROWS:
        assert all("\n" not in v for v in row)
    (HERE / "csv" / "mau-cp1258.csv").write_bytes(cp1258("\r\n".join(lines) + "\r\n"))
    tab_rows = [
        ["Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án đúng"],
        ["Đâu là một trình duyệt web?", "Cốc Cốc", "Microsoft Word", "A"],
        ["Internet vạn vật (IoT) kết nối các thiết bị với nhau qua mạng.", "", "", "Đúng"],
    ]
    text = "\r\n".join("\t".join(row) for row in tab_rows) + "\r\n"
    (HERE / "csv" / "mau-unicode.txt").write_bytes(text.encode("utf-16"))


if __name__ == "__main__":
    build_template()
    build_mistakes()
    build_kahoot()
    build_csv()
