"""Certificates as official papers: what the paper prints (read back from the PDF), what the
public verification page shows, revocation after a republication, file names, and the
minimum score for a prize."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from contest.forms import ContestForm
from contest.models import Attempt, Contest
from contest.services import contest_update
from leaderboard import services
from leaderboard.exports import pdf
from leaderboard.exports.jobs import export_run, export_start
from leaderboard.models import Publication
from leaderboard.selectors import display_names
from tests.leaderboard import test_publication
from tests.leaderboard.test_publication import publish

pytestmark = pytest.mark.django_db

published_world = test_publication.published_world  # the fixture: four pupils, one finalized round

# 2 March 2026, 10:00 in Vietnam: a day below 10 and month 3 (no leading zero).
PUBLISHED = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)


def pages_text(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def set_issuer(world, **extra):
    contest_update(
        user=world["org"],
        contest=world["c"],
        organiser_name="Sở Giáo dục và Đào tạo Vĩnh Long",
        issue_place="Vĩnh Long",
        signer_title="Phó Giám đốc",
        signer_name="Lê Thị Hồng Nhung",
        **extra,
    )


def certificates(pub, org) -> bytes:
    job = export_start(user=org, publication=pub, kind="certificates", base_url="http://x", background=False)
    job = export_run(job.pk)
    return bytes(job.content), job.file_name


def test_certificate_is_an_official_paper_with_the_full_name(published_world):
    set_issuer(published_world)
    pub = publish(published_world, now=PUBLISHED)
    content, _name = certificates(pub, published_world["org"])
    pages = pages_text(content)
    assert len(pages) == 3  # Giải Nhất, two Giải Nhì
    for page in pages:
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
        assert "Độc lập – Tự do – Hạnh phúc" in page
        assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO VĨNH LONG" in page
        assert "Vĩnh Long, ngày 02 tháng 3 năm 2026" in page
        assert "PHÓ GIÁM ĐỐC" in page and "Lê Thị Hồng Nhung" in page
        assert "(Ký, ghi rõ họ tên và đóng dấu)" in page
    # The paper is handed to the pupil: the full name, whatever the public masking.
    second = pub.rows.get(rank=2)
    assert display_names(pub, [second])[second.pk] == "T. T. B."
    assert "Trần Thị Bình" in pages[1] and "Đạt Giải Nhì" in pages[1]
    assert "Lớp: 9A" in pages[1] and f"Trường: {second.school_name}" in pages[1]
    assert f"Số: {pub.pk}-0002/GCN" in pages[1]
    assert "Lê Minh Châu" in pages[2] and "L. M. C." not in pages[2]


def test_certificate_prints_the_date_of_birth_and_a_stable_number(published_world):
    pub = publish(published_world)
    adult = published_world["p"]["adult"]
    # The adult (fourth, no prize) gets a prize once the tiers reach rank 4.
    Contest.objects.filter(pk=published_world["c"].pk).update(
        individual_prizes=[{"name": "Giải Nhất", "count": 1}, {"name": "Giải Ba", "count": 3}]
    )
    published_world["c"].refresh_from_db()
    pub = publish(published_world)
    first, _ = certificates(pub, published_world["org"])
    again, _ = certificates(pub, published_world["org"])
    pages = pages_text(first)
    assert adult.full_name in pages[3] and "Ngày sinh: 05/01/2008" in pages[3]
    assert "Ngày sinh" not in pages[0]  # no date of birth on record: the line says nothing
    numbers = [p.split("Số: ")[1].split()[0] for p in pages]
    assert numbers == [f"{pub.pk}-{i:04d}/GCN" for i in range(1, 5)]
    assert numbers == [p.split("Số: ")[1].split()[0] for p in pages_text(again)]


def test_certificates_query_count_does_not_grow_with_the_winners(published_world):
    w = published_world

    def queries(pub) -> int:
        pub = Publication.objects.get(pk=pub.pk)
        with CaptureQueriesContext(connection) as ctx:
            pdf.certificates_pdf(pub, base_url="http://x")
        return len(ctx.captured_queries)

    three = publish(w)  # 3 winners
    Contest.objects.filter(pk=w["c"].pk).update(individual_prizes=[{"name": "Giải Ba", "count": 4}])
    w["c"].refresh_from_db()
    four = publish(w)  # 4 winners; ``three`` is now an older version (its revoked pages checked)
    # publication's contest, winners, dates of birth (+ the current version and its prizes)
    assert queries(four) == 3
    assert queries(three) == 5


def test_without_organiser_settings_the_paper_leaves_the_place_to_fill(published_world):
    pub = publish(published_world, now=PUBLISHED)
    text = pages_text(certificates(pub, published_world["org"])[0])[0]
    assert "…………, ngày 02 tháng 3 năm 2026" in text and "TRƯỞNG BAN TỔ CHỨC" in text


def test_signer_is_the_one_at_publication(published_world):
    set_issuer(published_world)
    pub = publish(published_world)
    contest_update(user=published_world["org"], contest=published_world["c"], signer_name="Người Khác")
    text = pages_text(certificates(Publication.objects.get(pk=pub.pk), published_world["org"])[0])[0]
    assert "Lê Thị Hồng Nhung" in text and "Người Khác" not in text


def test_results_pdf_carries_the_same_heading(published_world):
    set_issuer(published_world)
    pub = publish(published_world, now=PUBLISHED)
    text = pages_text(pdf.results_pdf(pub))[0]
    assert text.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < text.index("KẾT QUẢ CHÍNH THỨC")
    assert "Độc lập – Tự do – Hạnh phúc" in text and "SỞ GIÁO DỤC VÀ ĐÀO TẠO VĨNH LONG" in text
    assert "Vĩnh Long, ngày 02 tháng 3 năm 2026" in text


def test_organiser_texts_are_content_not_markup(published_world):
    contest_update(
        user=published_world["org"], contest=published_world["c"], organiser_name='<font color="red">A&B</font>'
    )
    pub = publish(published_world)
    assert '<FONT COLOR="RED">A&B</FONT>' in pages_text(pdf.results_pdf(pub))[0]
    assert '<FONT COLOR="RED">A&B</FONT>' in pages_text(certificates(pub, published_world["org"])[0])[0]


def test_individual_and_school_files_have_distinct_names(client, published_world):
    people = publish(published_world)
    schools = publish(published_world, kind="school")
    org = published_world["org"]
    names = {certificates(people, org)[1], certificates(schools, org)[1]}
    assert names == {
        f"giay-chung-nhan-ca-nhan-{people.contest_id}-p{people.pk}-v1.pdf",
        f"giay-chung-nhan-truong-{schools.contest_id}-p{schools.pk}-v1.pdf",
    }
    dispositions = {
        client.get(reverse("leaderboard:results_pdf", args=[p.pk]))["Content-Disposition"] for p in (people, schools)
    }
    assert dispositions == {
        f'inline; filename="ket-qua-ca-nhan-{people.contest_id}-p{people.pk}-v1.pdf"',
        f'inline; filename="ket-qua-truong-{schools.contest_id}-p{schools.pk}-v1.pdf"',
    }


def _disqualify(world, student, reason="Làm bài hộ"):
    attempt = Attempt.objects.get(student=student, round=world["r1"])
    services.attempt_review(user=world["org"], attempt_id=attempt.pk, action="disqualify", reason=reason)


def test_verify_page_revokes_a_changed_or_removed_prize_and_keeps_an_unchanged_one(client, published_world):
    w = published_world
    v1 = publish(w)
    first, second, third = (v1.rows.get(rank=r) for r in (1, 2, 3))
    _disqualify(w, w["p"]["full"])
    v2 = publish(w, note="Loại một bài thi vi phạm thể lệ.")
    # The winner is gone from v2: revoked, why, and a link to the current ranking.
    html = client.get(reverse("leaderboard:verify", args=[first.code])).content.decode()
    assert "đã thu hồi" in html and "không còn kết quả này" in html
    assert "Bài thi đã bị Ban tổ chức loại." in html and "Loại một bài thi vi phạm thể lệ." in html
    assert "Làm bài hộ" not in html  # the review's own words stay internal
    assert reverse("leaderboard:publication", args=[v2.pk]) in html
    # Giải Nhì became Giải Nhất: revoked, with a link to the current certificate.
    moved = v2.rows.get(subject_id=second.subject_id)
    assert moved.prize == "Giải Nhất"
    html = client.get(reverse("leaderboard:verify", args=[second.code])).content.decode()
    assert "đã thu hồi" in html and "đổi giải thành Giải Nhất" in html
    assert reverse("leaderboard:verify", args=[moved.code]) in html
    # Giải Nhì stays Giải Nhì (rank 3 became 2): valid, with a note about the newer version.
    kept = v2.rows.get(subject_id=third.subject_id)
    assert kept.prize == third.prize == "Giải Nhì"
    html = client.get(reverse("leaderboard:verify", args=[third.code])).content.decode()
    assert "đã thu hồi" not in html and "Giấy chứng nhận hợp lệ" in html
    assert "phiên bản đính chính mới hơn" in html and reverse("leaderboard:verify", args=[kept.code]) in html
    # The current certificate itself is plainly valid.
    html = client.get(reverse("leaderboard:verify", args=[moved.code])).content.decode()
    assert "Giấy chứng nhận hợp lệ" in html and "mới hơn" not in html and "thu hồi" not in html


def test_an_older_versions_revoked_certificates_print_as_revoked(published_world):
    w = published_world
    v1 = publish(w)
    _disqualify(w, w["p"]["full"])
    publish(w, note="Công bố lại.")
    pages = pages_text(certificates(Publication.objects.get(pk=v1.pk), w["org"])[0])
    # Giải Nhất (disqualified) and Giải Nhì -> Giải Nhất are revoked; Giải Nhì kept stays clean.
    assert ["ĐÃ THU HỒI" in p for p in pages] == [True, True, False]
    current = Publication.objects.get(series=v1.series, superseded_at=None)
    assert not any("ĐÃ THU HỒI" in p for p in pages_text(certificates(current, w["org"])[0]))


def test_verify_page_shows_no_more_of_the_name_than_the_public_ranking(client, published_world):
    pub = publish(published_world)
    public = client.get(reverse("leaderboard:publication", args=[pub.pk])).content.decode()
    for row in pub.rows.exclude(code=None):
        html = client.get(reverse("leaderboard:verify", args=[row.code])).content.decode()
        shown = display_names(pub, [row])[row.pk]
        assert shown in html and shown in public
        if shown != row.name:
            assert row.name not in html and row.name not in public


# --- minimum score ----------------------------------------------------------------------------
def test_no_prize_below_the_minimum_score(published_world):
    set_issuer(published_world, prize_min_score=25)
    pub = publish(published_world)
    prizes = dict(pub.rows.values_list("rank", "prize"))
    assert prizes == {1: "Giải Nhất", 2: "Giải Nhì", 3: "", 4: ""}  # 20 points < 25
    assert pub.rows.exclude(code=None).count() == 2
    contest_update(user=published_world["org"], contest=published_world["c"], prize_min_score=None)
    assert dict(publish(published_world).rows.values_list("rank", "prize"))[3] == "Giải Nhì"


def _form_data(contest, **changes):
    data = ContestForm.initial_from(contest)
    data["region"] = contest.region_id
    data["opens_at"] = contest.opens_at.strftime("%Y-%m-%dT%H:%M")
    data["individual_prizes"] = "\n".join(f"{t['name']}: {t['count']}" for t in contest.individual_prizes)
    data["unit_prizes"] = "\n".join(f"{t['name']}: {t['count']}" for t in contest.unit_prizes)
    data = {k: v for k, v in data.items() if v not in (None, [])}
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "Điểm tối thiểu phải từ 0 đến 100.000."), ("mười", "Điểm tối thiểu phải là một số.")],
)
def test_the_contest_form_refuses_a_bad_minimum_score_and_changes_nothing(client, published_world, value, message):
    c = published_world["c"]
    client.force_login(published_world["org"])
    url = reverse("contest:contest_edit", args=[c.pk])
    resp = client.post(url, _form_data(c, prize_min_score=value, signer_name="Không Lưu"))
    assert resp.status_code == 200 and message in resp.content.decode()
    c.refresh_from_db()
    assert c.prize_min_score is None and c.signer_name == ""


def test_the_contest_form_saves_the_minimum_score_and_the_signer(client, published_world):
    c = published_world["c"]
    client.force_login(published_world["org"])
    url = reverse("contest:contest_edit", args=[c.pk])
    resp = client.post(
        url,
        _form_data(
            c,
            prize_min_score="12,5",
            organiser_name="Sở Giáo dục và Đào tạo Vĩnh Long",
            issue_place="Vĩnh Long",
            signer_title="Giám đốc",
            signer_name="Trần Văn Tâm",
        ),
    )
    assert resp.status_code == 302
    c.refresh_from_db()
    assert c.prize_min_score == 12.5 and c.signer_title == "Giám đốc" and c.issue_place == "Vĩnh Long"
    assert 'value="12,5"' in client.get(url).content.decode()
    detail = client.get(reverse("contest:contest", args=[c.pk])).content.decode()
    assert '<dd data-testid="prize-min-score">12,5</dd>' in detail and "Trần Văn Tâm" in detail


def test_the_api_refuses_a_negative_minimum_score(client, published_world):
    c = published_world["c"]
    client.force_login(published_world["org"])
    resp = client.patch(
        reverse("contest-api:contest", args=[c.pk]), {"prize_min_score": -5}, content_type="application/json"
    )
    assert resp.status_code == 400 and "prize_min_score" in resp.json()["error"]["fields"]
    c.refresh_from_db()
    assert c.prize_min_score is None


def test_the_organisers_preview_applies_the_minimum_score(client, published_world):
    set_issuer(published_world, prize_min_score=35)
    client.force_login(published_world["org"])
    page = client.get(reverse("leaderboard:review", args=[published_world["c"].pk]), {"kind": "individual"})
    assert page.content.decode().count("Giải Nhất") == 1 and "Giải Nhì" not in page.content.decode()
    api = client.get(reverse("leaderboard-api:individual", args=[published_world["c"].pk])).json()
    assert [r["prize"] for r in api["results"]] == ["Giải Nhất", "", "", ""]
