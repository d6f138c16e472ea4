"""The bank pages, through Django's test client: access, editor round trip, filters."""

import pytest

from quizbank.models import Question
from tests.quizbank import factories as f

pytestmark = pytest.mark.django_db


def test_pages_need_a_staff_role(client, student_a):
    assert client.get("/quizbank/").status_code == 302  # to the login page
    client.force_login(student_a)
    assert client.get("/quizbank/").status_code == 403
    assert client.get("/quizbank/new/").status_code == 403
    assert client.get("/quizbank/import/").status_code == 403


def test_nav_shows_the_bank_to_teachers_only(client, teacher_a, student_a):
    client.force_login(teacher_a)
    assert 'href="/quizbank/"' in client.get("/").content.decode()
    client.force_login(student_a)
    assert 'href="/quizbank/"' not in client.get("/").content.decode()


def _post_single(client, url, **extra):
    data = {
        "bank": "mine",
        "qtype": "single",
        "stem": "Khi nhận tin nhắn đòi **mã OTP**, em nên làm gì?",
        "choice_key": ["new-0", "new-1", "new-2", "new-3"],
        "choice_text": ["Gửi ngay", "Không gửi, báo người lớn", "Gửi một nửa", ""],
        "choice_weight": ["", "", "", ""],
        "choice_correct": ["new-1"],
        "difficulty": "1",
        "language": "vi",
        "tags": "otp, lừa đảo",
        "explanation": "Không ai được hỏi mã OTP của em.",
        **extra,
    }
    return client.post(url, data)


def test_editor_creates_and_edits(client, teacher_a):
    client.force_login(teacher_a)
    resp = _post_single(client, "/quizbank/new/")
    assert resp.status_code == 302
    q = Question.objects.get()
    assert q.owner_user == teacher_a and q.status == "draft"
    v = q.current_version
    assert [c["text"] for c in v.choices] == ["Gửi ngay", "Không gửi, báo người lớn", "Gửi một nửa"]
    assert v.correct_ids() == [v.choices[1]["id"]]
    assert q.tags == ["otp", "lừa đảo"]

    page = client.get(f"/quizbank/{q.pk}/").content.decode()
    assert "Gửi một nửa" in page and "<strong>mã OTP</strong>" in page  # form + phone preview

    keys = v.choice_ids()
    resp = client.post(
        f"/quizbank/{q.pk}/",
        {
            "qtype": "single",
            "stem": "Em làm gì khi bị hỏi mã OTP?",
            "choice_key": keys,
            "choice_text": ["Gửi ngay", "Không gửi, báo người lớn", "Gửi một nửa"],
            "choice_weight": ["", "", ""],
            "choice_correct": [keys[1]],
            "difficulty": "2",
            "language": "vi",
        },
    )
    assert resp.status_code == 302
    q.refresh_from_db()
    assert q.current_version.stem == "Em làm gì khi bị hỏi mã OTP?"
    assert q.current_version.choice_ids() == keys


def test_editor_shows_errors_and_keeps_input(client, teacher_a):
    client.force_login(teacher_a)
    resp = _post_single(client, "/quizbank/new/", choice_correct=[])
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Cần ít nhất một phương án đúng." in html
    assert "Không gửi, báo người lớn" in html  # what was typed is kept
    assert Question.objects.count() == 0


def test_editor_flags_duplicates_and_can_override(client, teacher_a):
    client.force_login(teacher_a)
    _post_single(client, "/quizbank/new/")
    resp = _post_single(client, "/quizbank/new/")
    assert resp.status_code == 400
    assert "Vẫn lưu dù trùng" in resp.content.decode()
    assert _post_single(client, "/quizbank/new/", allow_duplicate="on").status_code == 302
    assert Question.objects.count() == 2


def test_live_preview_renders_without_saving(client, teacher_a):
    client.force_login(teacher_a)
    resp = _post_single(client, "/quizbank/preview/", stem="Xem <script>alert(1)</script>**trước**")
    assert resp.status_code == 200
    data = resp.json()
    assert data["stem_html"] == "<p>Xem <strong>trước</strong></p>"
    assert "correct" not in str(data)
    assert Question.objects.count() == 0
    # Not valid yet: still shown, with the first problem as a warning.
    draft = _post_single(client, "/quizbank/preview/", choice_correct=[]).json()
    assert draft["warning"] == "Cần ít nhất một phương án đúng."
    assert [c["html"] for c in draft["choices"]] == ["Gửi ngay", "Không gửi, báo người lớn", "Gửi một nửa"]
    assert data["warning"] == ""


def _table(resp) -> str:
    return resp.content.decode().split('data-testid="question-table"', 1)[1].split("</table>", 1)[0]


def test_bank_browser_filters_and_accent_free_search(client, teacher_a, organiser):
    f.make(organiser, f.single(stem="Mã OTP là gì?"), status="approved", topics=["lua-dao-otp"])
    f.make(organiser, f.single(stem="Thương mại điện tử là gì?"), status="approved")
    f.make(organiser, f.single(stem="Câu nháp bí mật"))
    client.force_login(teacher_a)
    # The filter form sends every field; "All" is an empty value.
    empty = {"topic": "", "type": "", "difficulty": "", "status": "", "language": "", "owner": ""}
    html = _table(client.get("/quizbank/", {"q": "thuong mai dien tu", **empty}))
    assert "Thương mại điện tử là gì?" in html and "Mã OTP" not in html
    html = _table(client.get("/quizbank/", {"topic": "an-toan-mang"}))
    assert "Mã OTP là gì?" in html and "Thương mại" not in html
    assert "Câu nháp bí mật" not in _table(client.get("/quizbank/"))


def test_bulk_from_the_browser(client, teacher_a):
    client.force_login(teacher_a)
    q = f.make(teacher_a, bank=f.teacher_bank(teacher_a))
    resp = client.post("/quizbank/bulk/", {"ids": [q.pk], "action": "status:approved", "next": "/quizbank/"})
    assert resp.status_code == 302
    q.refresh_from_db()
    assert q.status == "approved"


def test_workflow_buttons(client, teacher_a, organiser):
    official = f.make(organiser, status="approved")
    client.force_login(teacher_a)
    page = client.get(f"/quizbank/{official.pk}/").content.decode()
    assert "Bạn không thể đổi trạng thái câu hỏi này." in page
    assert 'type="submit">Lưu<' not in page  # read-only for a teacher
    client.post(f"/quizbank/{official.pk}/status/", {"status": "retired"})
    official.refresh_from_db()
    assert official.status == "approved"


def test_search_matches_word_starts_only(client, teacher_a, organiser):
    from quizbank.selectors import search_questions

    def words_only(stem, **extra):
        content = f.single(stem=stem, **extra)
        for c, text in zip(content["choices"], ["alpha", "beta", "gamma", "delta"], strict=True):
            c["text"] = text
        return content

    otp = f.make(organiser, words_only("Không chia sẻ mã OTP"), status="approved")
    footprint = f.make(organiser, words_only("What is a digital footprint?", language="en"), status="approved")
    assert list(search_questions(teacher_a, q="otp")) == [otp]
    assert list(search_questions(teacher_a, q="foot")) == [footprint]
    assert list(search_questions(teacher_a, q="KHONG chia")) == [otp]
    assert list(search_questions(teacher_a, q=str(footprint.pk))) == [footprint]


def test_pick_mode_sends_ticked_questions_to_a_local_url(client, teacher_a, organiser):
    f.make(organiser, status="approved")
    client.force_login(teacher_a)
    html = client.get("/quizbank/", {"pick": "/contest/rounds/7/questions/"}).content.decode()
    assert 'formaction="/contest/rounds/7/questions/"' in html
    html = client.get("/quizbank/", {"pick": "https://evil.example/steal"}).content.decode()
    assert "formaction" not in html and 'name="pick"' not in html


def test_bank_page_query_count(client, teacher_a, organiser, django_assert_max_num_queries):
    for i in range(20):
        f.make(organiser, f.single(stem=f"Câu {i}"), status="approved", topics=["kinh-te-so"])
        f.make(teacher_a, f.single(stem=f"Của tôi {i}"), bank=f.teacher_bank(teacher_a), tags=["x"])
    client.force_login(teacher_a)
    with django_assert_max_num_queries(14):
        resp = client.get("/quizbank/")
    assert resp.status_code == 200
    assert resp.content.decode().count('name="ids"') == 25


def test_editor_image_upload(client, teacher_a, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    client.force_login(teacher_a)
    resp = _post_single(client, "/quizbank/new/", image=SimpleUploadedFile("qr.png", buf.getvalue(), "image/png"))
    assert resp.status_code == 302
    q = Question.objects.get()
    assert q.current_version.image.name.endswith(".png")
    from quizbank.presentation import student_payload

    assert student_payload(q.current_version)["image"].startswith("/media/quizbank/")
    bad = _post_single(
        client, "/quizbank/new/", stem="Khác", image=SimpleUploadedFile("x.png", b"not an image", "image/png")
    )
    assert bad.status_code == 400
    assert "Hình ảnh phải là tệp PNG, JPEG, GIF hoặc WebP, tối đa 2 MB." in bad.content.decode()
    assert Question.objects.count() == 1


def test_propose_button(client, teacher_a):
    q = f.make(teacher_a, bank=f.teacher_bank(teacher_a))
    client.force_login(teacher_a)
    assert "Đề xuất vào ngân hàng chính thức" in client.get(f"/quizbank/{q.pk}/").content.decode()
    client.post(f"/quizbank/{q.pk}/propose/")
    assert Question.objects.filter(owner_kind="official", status="review").count() == 1
