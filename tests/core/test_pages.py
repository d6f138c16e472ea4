"""Pages of the front-end base: home, sign-in, password change, error pages in both languages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html


def test_home_in_english_after_switching(client):
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = resp.content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html


def test_demo_logins_only_when_enabled(client, settings):
    settings.SHOW_DEMO_LOGINS = False
    assert "hocsinh" not in client.get("/").content.decode()
    settings.SHOW_DEMO_LOGINS = True
    html = client.get("/").content.decode()
    for account in DEMO_ACCOUNTS:
        assert account.username in html
    assert DEMO_PASSWORD in html


def test_pages_stay_vietnamese_on_an_english_phone(client):
    # Many pupils' phones are set to English; the page is Vietnamese until they switch.
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html


def test_404_page_in_both_languages(client):
    resp = client.get("/khong-co-trang-nay/")
    assert resp.status_code == 404
    assert "Không tìm thấy trang" in resp.content.decode()
    client.cookies["django_language"] = "en"
    resp = client.get("/khong-co-trang-nay/")
    assert "Page not found" in resp.content.decode()


def test_sign_in_and_change_password(client):
    get_user_model().objects.create_user("hs01", password="mat-khau-cu-2026")
    resp = client.post("/accounts/login/", {"username": "hs01", "password": "sai"})
    assert resp.status_code == 200
    assert "hs01" not in str(resp.wsgi_request.user)
    resp = client.post("/accounts/login/", {"username": "hs01", "password": "mat-khau-cu-2026"})
    assert resp.status_code == 302
    resp = client.post(
        "/accounts/password/",
        {
            "old_password": "mat-khau-cu-2026",
            "new_password1": "Moi-Rat-Dai-2026!",
            "new_password2": "Moi-Rat-Dai-2026!",
        },
    )
    assert resp.status_code == 302
    assert get_user_model().objects.get(username="hs01").check_password("Moi-Rat-Dai-2026!")


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo", allow_demo_passwords=True)
    users = get_user_model().objects.count()
    call_command("seed_demo", allow_demo_passwords=True)
    assert get_user_model().objects.count() == users
    out = capsys.readouterr().out
    assert "hocsinh" in out
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    teacher = get_user_model().objects.get(username="giaovien")
    assert list(teacher.groups.values_list("name", flat=True)) == ["teacher"]


def test_home_lists_the_actions_of_the_users_role(client):
    from core.roles import Role, grant_role

    teacher = get_user_model().objects.create_user("gv02", password="x")
    grant_role(teacher, Role.TEACHER)
    client.force_login(teacher)
    html = client.get("/").content.decode()
    actions = html.split('data-testid="home-actions"')[1].split("</ul>")[0]
    assert "Ngân hàng câu hỏi" in actions
    assert "Quản lý cuộc thi" not in actions  # an organiser's page
    assert "hoithiso2026" not in html  # demo passwords are for signed-out visitors
