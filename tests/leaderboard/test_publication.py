"""Publishing: immutable versioned snapshots, what anonymous visitors see under each consent
setting, the exports' contents and the certificate verification page."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contest.services import round_finalize
from core.errors import Conflict
from core.jobs import JobStatus
from leaderboard import services
from leaderboard.exports import pdf, tables
from leaderboard.exports.jobs import export_run, export_start
from leaderboard.models import Publication, PublishedRow
from leaderboard.scopes import Filters, ranking_scope
from schools.services import student_set_consent
from tests.leaderboard import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_world():
    w = f.world(communes=1, schools_per_commune=2)
    (s1, s2), (k1, k2) = w["schools"], w["classes"]
    c = f.contest(w["province"])
    r1 = f.round_(c, name="Tuần 1")
    org = f.sf.staff("organiser", region=w["province"], username="btc")
    p = {
        # Consent to publish the full name: the pupil and (a child) a guardian.
        "full": f.pupil(s1, k1, "Nguyễn Văn An", consent_student=True, consent_guardian=True, publish_name=True),
        # A child without the guardian's consent: initials only.
        "no_guardian": f.pupil(s1, k1, "Trần Thị Bình", consent_student=True, publish_name=True),
        # Nothing given: initials only.
        "none": f.pupil(s2, k2, "Lê Minh Châu"),
        # Sixteen or older decides alone.
        "adult": f.pupil(
            s2, k2, "Phạm Quốc Dũng", consent_student=True, publish_name=True, date_of_birth=datetime.date(2008, 1, 5)
        ),
    }
    end = r1.opens_at + datetime.timedelta(hours=1)
    for i, key in enumerate(("full", "no_guardian", "none", "adult")):
        f.attempt(r1, p[key], score=40 - 10 * i, time_s=300, submitted=end)
    with f.committed():
        round_finalize(round_id=r1.pk, now=r1.closes_at + datetime.timedelta(minutes=1))
    r1.refresh_from_db()
    return {"w": w, "c": c, "r1": r1, "org": org, "p": p}


def publish(world, kind="individual", **kwargs):
    return services.ranking_publish(
        user=world["org"], scope=ranking_scope(world["c"]), kind=kind, filters=Filters(), **kwargs
    )


def test_publish_creates_versions_and_supersedes(published_world):
    v1 = publish(published_world)
    assert v1.version == 1 and v1.rows.count() == 4 and v1.is_current
    assert list(v1.rows.values_list("rank", "prize")) == [(1, "Giải Nhất"), (2, "Giải Nhì"), (3, "Giải Nhì"), (4, "")]
    assert all(r.code for r in v1.rows.all() if r.prize) and v1.rows.get(rank=4).code is None
    assert v1.publisher_name == "btc" and v1.summary["participants"] == 4
    v2 = publish(published_world, note="Đính chính")
    v1.refresh_from_db()
    assert v2.version == 2 and v1.superseded_by == v2 and v1.superseded_at == v2.published_at
    # A different ranking is its own series.
    schools = publish(published_world, kind="school", metric="mean_score")
    assert schools.version == 1 and schools.rows.count() == 2


def test_published_snapshot_is_immutable(published_world):
    pub = publish(published_world)
    row = pub.rows.first()
    pub.title = "Sửa"
    with pytest.raises(Conflict):
        pub.save()
    with pytest.raises(Conflict):
        pub.delete()
    with pytest.raises(Conflict):
        Publication.objects.filter(pk=pub.pk).update(title="Sửa")
    with pytest.raises(Conflict):
        Publication.objects.filter(pk=pub.pk).delete()
    row.rank = 99
    with pytest.raises(Conflict):
        row.save()
    with pytest.raises(Conflict):
        row.delete()
    with pytest.raises(Conflict):
        PublishedRow.objects.filter(publication=pub).update(rank=1)
    with pytest.raises(Conflict):
        PublishedRow.objects.filter(publication=pub).delete()
    fresh = Publication.objects.get(pk=pub.pk)
    assert fresh.title != "Sửa" and sorted(fresh.rows.values_list("rank", flat=True)) == [1, 2, 3, 4]
    # Later results change nothing in it.
    f.attempt(published_world["r1"], f.pupil(published_world["w"]["schools"][0], name="Mới Đến"), score=99)
    assert Publication.objects.get(pk=pub.pk).rows.count() == 4


def test_unfinished_rounds_cannot_be_published(published_world):
    f.round_(published_world["c"], name="Tuần 2", opens=published_world["r1"].closes_at)
    with pytest.raises(Conflict) as err:
        publish(published_world)
    assert err.value.code == "rounds_not_final"
    assert not Publication.objects.exists()


def test_anonymous_visitors_see_names_per_consent(client, published_world):
    pub = publish(published_world)
    html = client.get(reverse("leaderboard:publication", args=[pub.pk])).content.decode()
    assert "Nguyễn Văn An" in html and "Phạm Quốc Dũng" in html  # consented (a child with a guardian; an adult)
    assert "Trần Thị Bình" not in html and "T. T. B." in html  # a child without the guardian's consent
    assert "Lê Minh Châu" not in html and "L. M. C." in html  # nothing given
    assert "9A" in html and published_world["w"]["schools"][1].name in html  # initials come with class and school
    api = client.get(reverse("leaderboard-api:publication", args=[pub.pk])).json()
    assert [r["name"] for r in api["rows"]] == ["Nguyễn Văn An", "T. T. B.", "L. M. C.", "Phạm Quốc Dũng"]
    csv_text = client.get(reverse("leaderboard:export", args=[pub.pk, "csv"])).content.decode("utf-8-sig")
    assert "Trần Thị Bình" not in csv_text and "T. T. B." in csv_text and "Họ và tên" in csv_text
    # Consent withdrawn after publication: the public page stops showing the full name.
    student_set_consent(
        student=published_world["p"]["full"], consent_student=False, consent_guardian=False, publish_name=False
    )
    html = client.get(reverse("leaderboard:publication", args=[pub.pk])).content.decode()
    assert "Nguyễn Văn An" not in html and "N. V. A." in html


def test_public_xlsx_has_vietnamese_headers_and_masked_names(client, published_world):
    pub = publish(published_world)
    resp = client.get(reverse("leaderboard:export", args=[pub.pk, "xlsx"]))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    assert list(values[3][:4]) == ["Hạng", "Họ và tên", "Lớp", "Trường"]
    assert [v[1] for v in values[4:]] == ["Nguyễn Văn An", "T. T. B.", "L. M. C.", "Phạm Quốc Dũng"]


def test_full_export_job_unmasked_with_progress_and_certificates(published_world):
    pub = publish(published_world)
    job = export_start(
        user=published_world["org"], publication=pub, kind="full_xlsx", base_url="http://x", background=False
    )
    assert job.status == JobStatus.QUEUED and job.total == 4
    job = export_run(job.pk)
    assert job.status == JobStatus.DONE and job.done == job.total == 4 and job.percent == 100
    ws = load_workbook(io.BytesIO(bytes(job.content))).active
    names = [row[1] for row in ws.iter_rows(min_row=5, values_only=True)]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng"]
    # The date of birth tells pupils with the same name apart (dd/mm/yyyy, blank when unknown).
    assert [row[-1] for row in ws.iter_rows(min_row=5, values_only=True)][3] == "05/01/2008"
    cert = export_run(
        export_start(
            user=published_world["org"], publication=pub, kind="certificates", base_url="http://x", background=False
        ).pk
    )
    assert cert.status == JobStatus.DONE and bytes(cert.content).startswith(b"%PDF") and cert.total == 3
    assert pdf.results_pdf(pub).startswith(b"%PDF")
    assert tables.headers(pub, full=True)[-2:] == ["Mã chứng nhận", "Ngày sinh"]


def test_verification_page(client, published_world):
    pub = publish(published_world)
    winner = pub.rows.get(rank=2)
    resp = client.get(reverse("leaderboard:verify", args=[winner.code]))
    html = resp.content.decode()
    assert resp.status_code == 200 and "T. T. B." in html and "Giải Nhì" in html and "Trần Thị Bình" not in html
    assert client.get(reverse("leaderboard:verify", args=["khong-co"])).status_code == 404
    publish(published_world)
    assert (
        "phiên bản đính chính mới hơn" in client.get(reverse("leaderboard:verify", args=[winner.code])).content.decode()
    )
