"""The import pipeline around the parsers: preview, per-row errors, duplicates, atomic
confirmation, and the REST endpoints. Nothing is saved before the user confirms."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.errors import Conflict, ValidationFailed
from quizbank.models import ImportJob, Question
from quizbank.services import import_cancel, import_confirm, import_preview
from tests.quizbank import factories as f
from tests.quizbank import sheets

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


def preview(user, data, filename="cau-hoi.xlsx", bank=None, **kw):
    return import_preview(user=user, data=data, filename=filename, bank=bank or f.teacher_bank(user), **kw)


def test_bad_row_is_reported_with_its_row_and_blocks_confirmation(teacher_a):
    job = preview(teacher_a, sheets.with_bad_row())
    assert job.status == "failed"
    assert [e["row"] for e in job.errors] == [4]
    assert "“E”" in job.errors[0]["message"]
    assert [i["line"] for i in job.preview] == [2, 3, 5, 6]
    assert Question.objects.count() == 0  # nothing before confirmation
    with pytest.raises(Conflict) as err:
        import_confirm(user=teacher_a, job=job)
    assert err.value.code == "import_has_errors"
    assert Question.objects.count() == 0
    job.refresh_from_db()
    assert job.status == "failed"


def test_fixed_file_confirms_atomically_with_topics(teacher_a):
    job = preview(teacher_a, sheets.fixed())
    assert job.errors == [] and job.status == "ready"
    assert len(job.preview) == 5
    assert Question.objects.count() == 0
    job = import_confirm(user=teacher_a, job=job)
    assert job.status == "done" and len(job.created_ids) == 5 and job.done == job.total == 5
    questions = Question.objects.filter(pk__in=job.created_ids)
    assert {q.owner_user_id for q in questions} == {teacher_a.pk}
    assert {q.status for q in questions} == {"draft"}
    by_type = {q.qtype: q for q in questions}
    assert set(by_type) == {"single", "multiple", "truefalse", "numeric"}
    # Category paths become topics, fuzzily ("An toàn trên mạng" is "An toàn trên không gian mạng").
    assert [t.slug for t in by_type["multiple"].topics.all()] == ["ky-nang-so-an-toan"]
    assert [t.slug for t in by_type["numeric"].topics.all()] == ["an-toan-mang"]
    assert by_type["numeric"].current_version.answer == {"value": 111.0, "tolerance": 0.0}
    # Confirming twice is refused; nothing is created twice.
    with pytest.raises(Conflict):
        import_confirm(user=teacher_a, job=job)
    assert Question.objects.count() == 5


def test_duplicates_are_flagged_and_skipped_unless_asked(teacher_a):
    first = import_confirm(user=teacher_a, job=preview(teacher_a, sheets.fixed()))
    job = preview(teacher_a, sheets.xlsx([*sheets.GOOD_ROWS, sheets.GOOD_ROWS[0]]))
    flags = {i["line"]: (i.get("duplicate_of"), i.get("duplicate_line")) for i in job.preview}
    assert all(dup for dup, _line in flags.values())  # all five are already in the bank
    assert flags[6][1] == 2  # and row 6 repeats row 2 of the same file
    job = import_confirm(user=teacher_a, job=job)
    assert job.created_ids == []
    assert Question.objects.count() == len(first.created_ids)


def test_include_duplicates_imports_them(teacher_a):
    import_confirm(user=teacher_a, job=preview(teacher_a, sheets.xlsx(sheets.GOOD_ROWS[:1])))
    job = import_confirm(
        user=teacher_a, job=preview(teacher_a, sheets.xlsx(sheets.GOOD_ROWS[:1])), include_duplicates=True
    )
    assert len(job.created_ids) == 1
    assert Question.objects.count() == 2


def test_duplicate_in_another_bank_is_not_flagged(teacher_a, teacher_b):
    import_confirm(user=teacher_a, job=preview(teacher_a, sheets.fixed()))
    job = preview(teacher_b, sheets.fixed())
    assert not any(i.get("duplicate_of") for i in job.preview)


def test_gift_file_skips_unsupported_types_by_name(teacher_a):
    data = (FILES / "gift" / "ky-nang-so.gift").read_bytes()
    job = preview(teacher_a, data, filename="ky-nang-so.gift")
    assert job.fmt == "gift"
    assert job.errors == []
    skipped = {s["name"] for s in job.skipped}
    assert {"Tự luận", "Ghép đôi"} <= skipped
    assert all(s["line"] for s in job.skipped)
    job = import_confirm(user=teacher_a, job=job)
    assert len(job.created_ids) == len(job.preview) > 5
    otp = Question.objects.get(pk__in=job.created_ids, search_text__contains="otp", qtype="single")
    assert [t.slug for t in otp.topics.all()] == ["an-toan-mang"]
    assert otp.tags == ["otp", "lừa đảo"]


def test_cancel_keeps_the_bank_unchanged(teacher_a):
    job = import_cancel(user=teacher_a, job=preview(teacher_a, sheets.fixed()))
    assert job.status == "cancelled"
    with pytest.raises(Conflict):
        import_confirm(user=teacher_a, job=job)
    assert Question.objects.count() == 0


def test_empty_and_oversized_files_are_refused(teacher_a, settings):
    with pytest.raises(ValidationFailed) as err:
        preview(teacher_a, b"")
    assert "file" in err.value.fields
    big = b"x" * (5 * 1024 * 1024 + 1)
    with pytest.raises(ValidationFailed):
        preview(teacher_a, big, filename="big.gift")
    assert ImportJob.objects.count() == 0


def test_unreadable_file_is_an_error_not_a_crash(teacher_a):
    job = preview(teacher_a, b"PK\x03\x04 not really a workbook", filename="hong.xlsx")
    assert job.errors and job.preview == []


def test_only_approvers_import_as_approved(teacher_a, school_a):
    with pytest.raises(Exception) as err:
        preview(teacher_a, sheets.fixed(), bank=f.school_bank(school_a), status="approved")
    assert getattr(err.value, "code", "") == "cannot_approve"
    job = preview(teacher_a, sheets.fixed(), status="approved")  # own bank: the teacher approves
    job = import_confirm(user=teacher_a, job=job)
    assert set(Question.objects.values_list("status", flat=True)) == {"approved"}


# --- REST ---------------------------------------------------------------------------------


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(data, name="cau-hoi.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_api_upload_preview_confirm(teacher_a):
    resp = api(teacher_a).post("/api/quizbank/imports/", {"file": upload(sheets.with_bad_row())}, format="multipart")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["counts"] == {"items": 4, "new": 4, "duplicates": 0, "errors": 1, "skipped": 0, "created": 0}
    assert body["errors"][0]["row"] == 4 and not body["can_confirm"] and body["status"] == "failed"
    resp = api(teacher_a).post(f"/api/quizbank/imports/{body['id']}/confirm/", {}, format="json")
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "import_has_errors"

    resp = api(teacher_a).post("/api/quizbank/imports/", {"file": upload(sheets.fixed())}, format="multipart")
    job_id = resp.json()["id"]
    assert resp.json()["can_confirm"]
    resp = api(teacher_a).post(f"/api/quizbank/imports/{job_id}/confirm/", {}, format="json")
    assert resp.status_code == 200
    assert resp.json()["counts"]["created"] == 5
    assert (resp.json()["status"], resp.json()["percent"]) == ("done", 100)
    assert Question.objects.count() == 5


def test_api_jobs_are_private(teacher_a, teacher_a2):
    job_id = (
        api(teacher_a).post("/api/quizbank/imports/", {"file": upload(sheets.fixed())}, format="multipart").json()["id"]
    )
    assert api(teacher_a2).get(f"/api/quizbank/imports/{job_id}/").status_code == 404
    assert api(teacher_a2).post(f"/api/quizbank/imports/{job_id}/confirm/", {}, format="json").status_code == 404
    assert Question.objects.count() == 0


def test_api_upload_errors(teacher_a, student_a):
    resp = api(teacher_a).post("/api/quizbank/imports/", {}, format="multipart")
    assert resp.status_code == 400 and "file" in resp.json()["error"]["fields"]
    resp = api(teacher_a).post(
        "/api/quizbank/imports/", {"file": upload(sheets.fixed()), "bank": "official"}, format="multipart"
    )
    assert resp.status_code == 400 and "bank" in resp.json()["error"]["fields"]
    resp = api(student_a).post("/api/quizbank/imports/", {"file": upload(sheets.fixed())}, format="multipart")
    assert resp.status_code == 403
    assert ImportJob.objects.count() == 0


def test_template_download_has_vietnamese_headers_and_an_example(teacher_a):
    import io

    import openpyxl

    resp = api(teacher_a).get("/api/quizbank/template.xlsx")
    assert resp.status_code == 200
    assert "attachment" in resp["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True, max_row=2))
    assert rows[0][:3] == ("Câu hỏi", "Loại", "Đáp án A")
    assert rows[1][0]  # the example row
    # and the template imports cleanly
    job = preview(teacher_a, resp.content)
    assert job.errors == [] and len(job.preview) == 1
