"""Vietnamese formats that Django's own vi locale lacks."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import formats, translation

from core.text import slugify_vi


class BirthForm(forms.Form):
    born = forms.DateField()
    starts = forms.DateTimeField()


def test_date_input_is_day_first():
    with translation.override("vi"):
        form = BirthForm(data={"born": "05/03/2025", "starts": "10/10/2026 10:00"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["born"] == datetime.date(2025, 3, 5)
        assert form.cleaned_data["starts"].date() == datetime.date(2026, 10, 10)


def test_date_input_rejects_month_first_nonsense():
    with translation.override("vi"):
        form = BirthForm(data={"born": "03/25/2025", "starts": "10/10/2026 10:00"})
        assert not form.is_valid()
        assert "born" in form.errors


def test_date_output_and_first_day():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2025, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2025"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_number_grouping_and_decimal_comma():
    with translation.override("vi"):
        assert intcomma(1234567) == "1.234.567"
        rendered = Template('{{ x|floatformat:"1g" }}').render(Context({"x": Decimal("1234.5")}))
        assert rendered == "1.234,5"
    with translation.override("en"):
        assert intcomma(1234567) == "1,234,567"


def test_slug_keeps_d_stroke():
    assert slugify_vi("Đắk Lắk") == "dak-lak"
    assert slugify_vi("Trường THCS Đoàn Thị Điểm") == "truong-thcs-doan-thi-diem"


def test_percentages_print_one_way_everywhere():
    from core.exports import percent
    from core.templatetags.durations import duration_text

    with translation.override("vi"):
        assert percent(12.9) == "12,9 %"
        assert percent(12.94) == "12,9 %" and percent(100) == "100 %" and percent(None) == "—"
        page = Template("{% load numbers %}{{ a|pct }}|{{ b|ratio_pct }}|{{ c|pct }}").render(
            Context({"a": 12.9, "b": 0.129, "c": 1234.5})
        )
        assert page == "12,9 %|12,9 %|1.234,5 %"
        assert Template("{% load quizbank_tags %}{{ f|percent }}").render(Context({"f": 0.725})) == "72,5 %"
        # One duration formatter: 1.1 minutes is 66 seconds, never "1 phút".
        assert duration_text(1.1 * 60) == "1 phút 6 giây"
    with translation.override("en"):
        assert percent(12.9) == "12.9 %"


def test_csv_for_excel_set_to_vietnamese():
    import csv
    import io

    from core.exports import EXCEL_VI, csv_bytes

    rows = [["Nguyễn Văn An", 12.5, 3, "=1+1"], ["Trần Thị Bình", None, 0, "a;b"]]
    plain = csv_bytes(["Họ và tên", "Điểm", "Số vòng", "Ghi chú"], rows)
    vi = csv_bytes(["Họ và tên", "Điểm", "Số vòng", "Ghi chú"], rows, form=EXCEL_VI)
    for data in (plain, vi):
        assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert plain.decode("utf-8-sig").splitlines()[1] == "Nguyễn Văn An,12.5,3,'=1+1"
    text = vi.decode("utf-8-sig")
    assert text.splitlines()[1] == "Nguyễn Văn An;12,5;3;'=1+1"
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[2] == ["Trần Thị Bình", "", "0", "a;b"]
