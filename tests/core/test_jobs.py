"""One vocabulary for import/export jobs (core.jobs): every job model and every job API uses it."""

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from core.api.jobs import JobErrorOut, JobOut
from core.jobs import Job, JobStatus, job_error
from leaderboard.exports.jobs import export_run
from tests.leaderboard.conftest import flush_boards
from tests.quizbank import sheets
from tests.security.world import side

# Words the apps used before they shared one vocabulary: a job model must not bring them back.
OLD_FIELDS = {"state", "progress", "prepared", "total_to_prepare", "error", "filename", "percent"}
OLD_STATUSES = {"pending", "invalid", "preview", "cancelled_by_user", "ok", "error"}


def _job_models():
    """Every model that is, by its name or its fields, a job somebody follows."""
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if model.__name__.endswith("Job") or names & {"prepared", "total_to_prepare"}:
            yield model


def test_every_job_model_uses_the_shared_vocabulary():
    models = list(_job_models())
    assert {m._meta.label for m in models} >= {"quizbank.ImportJob", "schools.ImportJob", "leaderboard.ExportJob"}
    for model in models:
        assert issubclass(model, Job), model
        fields = {f.name: f for f in model._meta.get_fields()}
        assert list(fields["status"].choices) == list(JobStatus.choices), model
        for name in ("done", "total", "errors", "file_name", "created_by", "created_at", "finished_at"):
            assert name in fields, (model, name)
        assert not (OLD_FIELDS & set(fields)), (model, OLD_FIELDS & set(fields))


def test_the_status_words_are_the_shared_ones():
    assert [s.value for s in JobStatus] == ["queued", "ready", "running", "done", "failed", "cancelled"]
    assert not OLD_STATUSES & {s.value for s in JobStatus}
    assert job_error("x", row=3) == {"row": 3, "column": "", "message": "x"}


@pytest.fixture
def world(db):
    flush_boards()
    yield side("A", "86")
    flush_boards()


def _check_shape(body: dict, status: str) -> None:
    """A job as an API answers it: the shared fields, the shared words, the shared error list."""
    assert set(JobOut().fields) <= set(body), set(JobOut().fields) - set(body)
    assert body["status"] == status
    assert body["status_label"] == str(JobStatus(status).label)
    assert 0 <= body["percent"] <= 100 and body["done"] >= 0
    assert body["percent"] == 100 if status == "done" else body["percent"] < 100
    for error in body["errors"]:
        assert set(error) == set(JobErrorOut().fields), error


def test_every_job_api_answers_the_shared_shape(world):
    o, u = world.objects, world.users
    client = APIClient()

    client.force_authenticate(u["teacher1"])
    body = client.get(f"/api/quizbank/imports/{o['bank_job'].pk}/").json()
    _check_shape(body, "ready")
    assert body["total"] == 1 and body["question_status"] == "draft"
    body = client.post(f"/api/quizbank/imports/{o['bank_job'].pk}/confirm/", {}, format="json").json()
    _check_shape(body, "done")
    assert body["done"] == body["total"] == 1

    client.force_authenticate(u["coordinator"])
    body = client.get(f"/api/schools/imports/{o['roster_job'].pk}/").json()
    _check_shape(body, "ready")
    assert (body["done"], body["total"]) == (0, 1)
    for _step in range(10):
        body = client.post(f"/api/schools/imports/{o['roster_job'].pk}/advance/").json()
        if body["status"] == "done":
            break
        _check_shape(body, "running")
    _check_shape(body, "done")
    assert (body["done"], body["total"]) == (1, 1)

    client.force_authenticate(u["organiser"])
    url = reverse("leaderboard-api:export", args=[o["export"].pk])
    body = client.get(url).json()
    _check_shape(body, "queued")
    assert body["download"] is None and body["total"] == 1
    export_run(o["export"].pk)
    body = client.get(url).json()
    _check_shape(body, "done")
    assert body["download"] and body["done"] == 1


def test_a_failed_job_lists_its_errors_in_the_shared_shape(world):
    client = APIClient()
    client.force_authenticate(world.users["teacher1"])
    bad = SimpleUploadedFile("hong.xlsx", sheets.with_bad_row())
    body = client.post("/api/quizbank/imports/", {"file": bad, "bank": "mine"}, format="multipart").json()
    _check_shape(body, "failed")
    assert [e["row"] for e in body["errors"]] == [4] and not body["can_confirm"]
