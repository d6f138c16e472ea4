"""Moodle XML import: a Moodle 4 export with nested categories, HTML, and unsupported types."""

from pathlib import Path

from quizbank.formats import parse

FILES = Path(__file__).parent / "files"


def _parse(name: str):
    return parse((FILES / name).read_bytes(), filename=Path(name).name)


def test_moodle_export_counts_types_and_skips():
    result = _parse("moodle/ngan-hang-moodle.xml")
    assert result.format == "moodlexml"
    assert [(q.line, q.qtype) for q in result.items] == [
        (26, "single"),
        (82, "multiple"),
        (126, "truefalse"),
        (151, "short"),
        (177, "numeric"),
        (210, "ordering"),
    ]
    assert [(s.line, s.name, s.kind) for s in result.skipped] == [
        (245, "Bài luận về công dân số", "essay"),
        (269, "Điền từ (cloze)", "multianswer"),
        (285, "Kéo thả vào chỗ trống", "ddwtos"),
        (307, "Ghép khái niệm", "match"),
    ]
    assert [(e.line, e.message) for e in result.errors] == [(331, "Câu hỏi chưa có đáp án đúng.")]
    assert [(w.line, w.message) for w in result.warnings] == [
        (26, "Hình ảnh nhúng trong tệp không được nhập; hãy thêm lại hình sau khi nhập."),
        (151, "Đáp án được một phần điểm không được nhập; chỉ giữ các đáp án đúng hoàn toàn."),
    ]


def test_html_becomes_markdown_and_nested_categories_become_topics():
    q = _parse("moodle/ngan-hang-moodle.xml").items[0]
    # The embedded image cannot be kept: its alt text stays, and a warning says so.
    assert q.stem == "Trước khi quét mã QR để chuyển tiền, em cần **kiểm tra** điều gì?\n\nMã QR"
    assert [c["text"] for c in q.choices] == [
        "Tên người nhận hiển thị trên ứng dụng",
        "Màu sắc của mã QR",
        "Kích thước của mã QR",
    ]
    assert q.explanation == "Luôn đối chiếu *tên người nhận* hiện trên ứng dụng ngân hàng trước khi xác nhận."
    assert q.topics == ["Chuyển đổi số/Kinh tế số/Thanh toán số"]
    assert q.tags == ["qr", "thanh toán"]


def test_fractions_tolerance_and_order():
    items = _parse("moodle/ngan-hang-moodle.xml").items
    multiple = items[1]
    assert multiple.partial_credit is True
    assert [c["weight"] for c in multiple.choices] == [1 / 3, 1 / 3, 1 / 3, -1.0]  # 33.33333% snaps to 1/3
    assert items[2].topics == ["Chuyển đổi số/Chính phủ số"]
    assert [c["correct"] for c in items[2].choices] == [True, False]
    assert items[3].answer == {"accepted": ["VNeID"], "ignore_accents": False}
    assert items[4].answer == {"value": 2024.0, "tolerance": 0.0}
    assert items[4].explanation == "Luật có hiệu lực từ ngày 01/7/2024."
    assert [c["text"] for c in items[5].choices] == [
        "Đăng nhập bằng tài khoản định danh điện tử",
        "Chọn thủ tục cần thực hiện",
        "Điền tờ khai và đính kèm giấy tờ",
        "Nộp hồ sơ và theo dõi kết quả",
    ]


def test_all_or_nothing_multichoiceset_and_html_sanitising():
    data = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoiceset">
    <name><text>Tất cả hoặc không</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Chọn <script>alert('x')</script>các ví điện tử</p>]]></text>
    </questiontext>
    <answer fraction="100" format="html"><text>MoMo</text></answer>
    <answer fraction="0" format="html"><text>Excel</text></answer>
    <answer fraction="100" format="html"><text>ZaloPay</text></answer>
  </question>
</quiz>""".encode()
    q = parse(data, filename="bank.xml").items[0]
    assert q.stem == "Chọn các ví điện tử"
    assert (q.qtype, q.partial_credit) == ("multiple", False)
    assert [(c["correct"], c["weight"]) for c in q.choices] == [(True, 0.5), (False, 0.0), (True, 0.5)]


def test_broken_xml_points_at_the_line():
    result = _parse("moodle/the-khong-dong.xml")
    assert result.items == []
    assert [(e.line, e.message) for e in result.errors] == [(12, "Tệp XML không hợp lệ ở dòng 12, cột 5.")]


def test_a_qti_file_given_as_moodle_xml_is_refused():
    result = parse((FILES / "qti/chon-mot.xml").read_bytes(), filename="a.xml", fmt="moodlexml")
    assert [e.message for e in result.errors] == [
        "Tệp XML không phải Moodle XML: thẻ gốc phải là <quiz>, không phải <assessmentItem>."
    ]
