"""What a published ranking's files carry: content as data (no formula, no markup, no fetched
resource), local time, Vietnamese numbers in the PDF, numeric XLSX cells with a number format,
and the ordering key named on the page and in every export (issues #11 items 2-3, #18 item 3)."""

import csv
import datetime
import http.server
import io
import re
import threading

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from contest.services import round_finalize
from leaderboard import services
from leaderboard.boards import sync
from leaderboard.exports import pdf
from leaderboard.exports.jobs import export_run, export_start
from leaderboard.scopes import Filters, ranking_scope
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://evil.example","Nhấn xem điểm")'
# Published at 20:30 UTC on 30/11: 03:30 on 01/12 in Asia/Ho_Chi_Minh.
PUBLISHED = datetime.datetime(2026, 11, 30, 20, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _forget_student_units():
    """The boards cache each student's units by id for a minute; ids come back after a test's
    rollback, and these pupils sit in other schools than the next module's."""
    yield
    sync._units_cache.clear()


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def trap():
    """A local HTTP server that counts the requests it gets."""
    _Counter.hits = 0
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def hostile(trap):
    prov = f.sf.province(code="86", name="Vĩnh Long")
    commune = f.sf.commune(prov)
    # 2 participants of 160 (1,25 %) and 1 of 100 (1 %): ordered by the rate, the first school
    # has the lower score, and only the rate's decimals show why.
    long_ho = f.sf.school(commune, name="Trường TH&THCS Long Hồ", levels=["thcs"], enrolment={9: 160})
    other = f.sf.school(commune, name="Trường THCS Thử", levels=["thcs"], enrolment={9: 100})
    k1, k2 = f.sf.klass(long_ho, "9A", 9), f.sf.klass(other, "9A", 9)
    c = f.contest(prov, name="Hội thi <img src=x onerror=alert(1)> & Chuyển đổi số")
    r1 = f.round_(c, name="Tuần 1")
    org = f.sf.staff("organiser", region=prov, username="btc")
    consent = {"consent_student": True, "consent_guardian": True, "publish_name": True}
    img = f'<img src="http://127.0.0.1:{trap.server_port}/x.png"/> Lê Văn'
    pupils = [
        (f.pupil(other, k2, img, **consent), 100),
        (f.pupil(long_ho, k1, FORMULA_NAME, **consent), 50),
        (f.pupil(long_ho, k1, FORMULA_NAME), 40),  # no consent: public initials start with "="
    ]
    end = r1.opens_at + datetime.timedelta(hours=1)
    for pupil, score in pupils:
        f.attempt(r1, pupil, score=score, time_s=350, submitted=end)
    with f.committed():
        round_finalize(round_id=r1.pk, now=r1.closes_at + datetime.timedelta(minutes=1))
    scope = ranking_scope(c)
    with time_machine.travel(PUBLISHED, tick=False):
        people = services.ranking_publish(user=org, scope=scope, kind="individual", filters=Filters())
        schools = services.ranking_publish(
            user=org, scope=scope, kind="school", metric="participation_rate", filters=Filters()
        )
    stored = pupils[1][0].full_name  # as registration cleans it; still starts with "="
    assert stored.startswith("=")
    return {"people": people, "schools": schools, "org": org, "trap": _Counter, "name": stored}


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def _xlsx(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _assert_no_formula(ws):
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                assert cell.quotePrefix, (cell.coordinate, cell.value)


def test_public_csv_and_xlsx_carry_no_formula(client, hostile):
    pub = hostile["people"]
    text = client.get(reverse("leaderboard:export", args=[pub.pk, "csv"])).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + hostile["name"] in cells  # consented: the full name, as text
    assert any(c.startswith("'=.") for c in cells)  # initials of the name without consent
    ws = _xlsx(client.get(reverse("leaderboard:export", args=[pub.pk, "xlsx"])).content)
    _assert_no_formula(ws)
    assert hostile["name"] in [c.value for row in ws.iter_rows() for c in row]

    # The same file for Excel set to Vietnamese: semicolons, decimal commas, still no formula.
    vi = client.get(reverse("leaderboard:export", args=[pub.pk, "csv"]), {"dang": "excel-vi"}).content
    assert vi.startswith(b"\xef\xbb\xbf")
    vi_rows = list(csv.reader(io.StringIO(vi.decode("utf-8-sig")), delimiter=";"))
    assert vi_rows[0] == next(csv.reader(io.StringIO(text)))
    assert not [c for row in vi_rows for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not [c for row in vi_rows[1:] for c in row if re.fullmatch(r"-?\d+\.\d+", c)]


def test_full_xlsx_carries_no_formula(hostile):
    job = export_start(
        user=hostile["org"], publication=hostile["people"], kind="full_xlsx", base_url="http://x", background=False
    )
    ws = _xlsx(bytes(export_run(job.pk).content))
    _assert_no_formula(ws)
    assert hostile["name"] in [c.value for row in ws.iter_rows() for c in row]


def test_results_pdf_escapes_markup_and_fetches_nothing(client, hostile):
    resp = client.get(reverse("leaderboard:results_pdf", args=[hostile["people"].pk]))
    assert resp.status_code == 200
    text = _pdf_text(resp.content)
    assert hostile["trap"].hits == 0
    assert "<img src=" in text and "onerror=alert(1)> & Chuyển đổi số" in text
    # Local time, Vietnamese numbers, no "100.0" / "350.0".
    assert "công bố lúc 01/12/2026 03:30" in text
    assert "100.0" not in text and "350.0" not in text and "350" in text
    assert "Xếp theo tổng điểm các vòng (cao trước), rồi tổng thời gian làm bài ít hơn" in text  # the year


def test_unit_results_pdf_names_its_ordering_key_with_visible_precision(client, hostile):
    text = _pdf_text(client.get(reverse("leaderboard:results_pdf", args=[hostile["schools"].pk])).content)
    assert "Trường TH&THCS Long Hồ" in text and "&THCS;" not in text
    assert "Xếp theo: Tỉ lệ tham gia (cao trước)" in text
    assert "1,25 %" in text and "1,00 %" in text
    assert text.index("Long Hồ") < text.index("Trường THCS Thử")


def test_xlsx_numbers_are_numbers_with_formats_and_local_time(client, hostile):
    ws = _xlsx(client.get(reverse("leaderboard:export", args=[hostile["schools"].pk, "xlsx"])).content)
    values = [list(row) for row in ws.iter_rows()]
    assert values[1][0].value.endswith("01/12/2026 03:30")
    assert values[2][0].value.startswith("Xếp theo: Tỉ lệ tham gia")
    first = values[4]
    assert first[1].value == "Trường TH&THCS Long Hồ"
    assert first[5].value == 1.25 and first[5].number_format == "#,##0.00"
    assert first[0].value == 1 and first[0].number_format == "#,##0"
    ws = _xlsx(client.get(reverse("leaderboard:export", args=[hostile["people"].pk, "xlsx"])).content)
    row = list(next(ws.iter_rows(min_row=5)))
    assert row[5].value == 100 and row[5].number_format == "#,##0.00"
    assert row[6].value == 350 and row[6].number_format == "#,##0.0"


def test_certificates_use_the_local_date(hostile):
    job = export_start(
        user=hostile["org"], publication=hostile["people"], kind="certificates", base_url="http://x", background=False
    )
    text = _pdf_text(bytes(export_run(job.pk).content))
    assert "01/12/2026" in text and "30/11/2026" not in text
    assert hostile["trap"].hits == 0


def test_page_and_print_name_the_ordering_key_with_visible_precision(client, hostile):
    pub = hostile["schools"]
    for name in ("leaderboard:publication", "leaderboard:print"):
        html = client.get(reverse(name, args=[pub.pk])).content.decode()
        assert "Xếp theo: Tỉ lệ tham gia (cao trước)" in html
        assert "1,25 %" in html and "1,00 %" in html
    assert pdf.results_pdf(pub).startswith(b"%PDF")


def test_review_shows_round_states_in_words_and_the_ordering_it_will_publish(client, hostile):
    client.force_login(hostile["org"])
    contest = hostile["schools"].contest
    html = client.get(
        reverse("leaderboard:review", args=[contest.pk]), {"kind": "school", "metric": "participation_rate"}
    ).content.decode()
    assert "Đã có kết quả" in html and ">finalized<" not in html
    assert "Xếp theo: Tỉ lệ tham gia (cao trước)" in html
    assert "1,25 %" in html and "1,00 %" in html


def test_the_legend_is_translated(client, hostile):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("leaderboard:publication", args=[hostile["schools"].pk])).content.decode()
    assert "Ordered by: Participation rate (highest first); equal values share a rank." in html
    assert "1.25 %" in html


def test_a_one_round_individual_ranking_states_its_format_rule(client, hostile):
    pub = hostile["people"]
    one = services.ranking_publish(
        user=hostile["org"], scope=ranking_scope(pub.contest, [pub.rounds.get().pk]), kind="individual",
        filters=Filters(),
    )  # fmt: skip
    html = client.get(reverse("leaderboard:publication", args=[one.pk])).content.decode()
    assert "bằng điểm thì dự đoán gần đúng hơn, rồi thời gian làm bài ít hơn" in html
