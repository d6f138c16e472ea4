"""Guessing passwords is limited per account and per address, wherever the guess comes in, and
a forged X-Forwarded-For buys nothing (issue 18 item 1)."""

import logging
import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from rest_framework.test import APIClient, APIRequestFactory

from core import limits
from core.api.throttles import AnonRateThrottle
from core.client import client_address, resolve
from core.signin import account_key
from tests.support.services import redis_server_path, throwaway_redis

pytestmark = pytest.mark.django_db

PASSWORD = "dung-mat-khau-9"


@pytest.fixture
def user():
    u = get_user_model().objects.create_user(username="ducnv7", password=PASSWORD)
    _forget(u.username)
    yield u
    _forget(u.username)


def _forget(username, *addresses):
    limits.forget(limits.SIGNIN_ACCOUNT, account_key(username))
    for a in ("127.0.0.1", "10.1.1.1", *addresses):
        limits.forget(limits.SIGNIN_ADDRESS, a)
        # DRF's anonymous throttle counts these addresses too (the cache may outlive a run).
        limits.store.local.delete(f"throttle_anon_{a}")
        limits.store._run(lambda c, a=a: c.delete(f"throttle_anon_{a}"))


def _token(client, username, password, **extra):
    return client.post("/api/auth/token/", {"username": username, "password": password}, format="json", **extra)


# --- the client's address -------------------------------------------------------------------
def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert resolve("203.0.113.9", "1.2.3.4") == "203.0.113.9"
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert resolve("203.0.113.9", "1.2.3.4") == "203.0.113.9"  # not from a proxy: ignored
    # From the proxy: the rightmost address that is not a trusted proxy; a forged left part is ignored.
    assert resolve("127.0.0.1", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert resolve("127.0.0.1", "198.51.100.7, 10.2.3.4") == "198.51.100.7"
    assert resolve("127.0.0.1", "garbage, 198.51.100.7") == "198.51.100.7"
    assert resolve("127.0.0.1", "") == "127.0.0.1"
    scope = {"client": ("127.0.0.1", 5555), "headers": [(b"x-forwarded-for", b"198.51.100.8")]}
    assert client_address(scope) == "198.51.100.8"


def test_drf_throttles_count_by_the_same_address(settings):
    settings.TRUSTED_PROXIES = []
    request = APIRequestFactory().get("/api/schools/regions/", HTTP_X_FORWARDED_FOR="9.9.9.9", REMOTE_ADDR="10.1.1.1")
    assert AnonRateThrottle().get_ident(request) == "10.1.1.1"


# --- the token API --------------------------------------------------------------------------
def test_token_guessing_is_limited_whatever_forwarded_for_says(user, settings):
    settings.TRUSTED_PROXIES = []
    client = APIClient(REMOTE_ADDR="10.1.1.1")
    for i in range(10):
        resp = _token(client, user.username, f"sai-{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        assert resp.status_code == 401, resp.content
    resp = _token(client, user.username, "sai-10", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert resp.status_code == 429
    assert resp.json()["error"]["code"] == "rate_limited"
    # Blocked: even the right password waits (the guesser cannot tell it was right).
    assert _token(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.100").status_code == 429


def test_the_account_limit_holds_across_addresses_and_the_address_limit_across_accounts(user, settings):
    settings.SIGNIN_ADDRESS_RATE = "15/h"
    for i in range(10):
        assert _token(APIClient(REMOTE_ADDR=f"10.9.0.{i}"), user.username, "sai").status_code == 401
    assert _token(APIClient(REMOTE_ADDR="10.9.0.200"), user.username, PASSWORD).status_code == 429
    # One address guessing many accounts: blocked at its own limit.
    client = APIClient(REMOTE_ADDR="10.1.1.1")
    for i in range(15):
        assert _token(client, f"hs{i}x", "sai").status_code == 401
    assert _token(client, "hs99x", "sai").status_code == 429
    for i in range(15):
        _forget(f"hs{i}x")
    _forget("hs99x", *(f"10.9.0.{i}" for i in range(10)), "10.9.0.200")


def test_a_school_behind_one_address_signs_in_with_its_typos():
    """A school of 200 pupils behind one NAT address, one in five mistyping once, one in ten
    mistyping three times: every one signs in on the login page."""
    User = get_user_model()
    users = [User.objects.create_user(username=f"nat{i}", password=PASSWORD) for i in range(200)]
    _forget("nat0")
    for i, u in enumerate(users):
        client = Client(REMOTE_ADDR="10.1.1.1")
        typos = 3 if i % 10 == 0 else 1 if i % 5 == 0 else 0
        for _t in range(typos):
            client.post("/accounts/login/", {"username": u.username, "password": "sai"})
        resp = client.post("/accounts/login/", {"username": u.username, "password": PASSWORD})
        assert resp.status_code == 302, u.username
    for u in users:
        _forget(u.username)


# --- the login page -------------------------------------------------------------------------
def test_login_page_is_limited_and_says_so(user):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _i in range(10):
        resp = client.post("/accounts/login/", {"username": user.username, "password": "sai"})
        assert resp.status_code == 200
        assert "_auth_user_id" not in client.session
    resp = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Bạn đã đăng nhập sai quá nhiều lần" in resp.content.decode()


def test_admin_login_shares_the_limit(user):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _i in range(10):
        client.post("/admin/login/", {"username": user.username, "password": "sai"})
    resp = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert "Bạn đã đăng nhập sai quá nhiều lần" in resp.content.decode()


# --- shared on Redis, per process without it ------------------------------------------------
def _redis_cache(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "hts-test-limits",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.mark.redis
def test_counts_are_shared_through_redis(user, settings, redis_url):
    _redis_cache(settings, redis_url)
    _forget(user.username)
    client = APIClient(REMOTE_ADDR="10.1.1.1")
    for _i in range(3):
        assert _token(client, user.username, "sai").status_code == 401
    # Another worker (another client of the same Redis) sees the three failures.
    other = RedisCache(redis_url, {"KEY_PREFIX": "hts-test-limits"})
    current, _previous, _elapsed = limits._keys(limits.SIGNIN_ACCOUNT, account_key(user.username), 3600, time.time())
    assert int(other.get(current)) == 3
    _forget(user.username)


def test_redis_down_counts_per_process_with_one_warning(user, settings, caplog):
    if redis_server_path() is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("redis-server is not installed")
    with throwaway_redis() as redis:
        _redis_cache(settings, redis.url)
        client = APIClient(REMOTE_ADDR="10.1.1.1")
        assert _token(client, user.username, "sai").status_code == 401
        redis.stop()
        limits.store.down_until = 0.0
        caplog.set_level(logging.WARNING, logger="core.limits")
        codes = [_token(client, user.username, "sai").status_code for _i in range(12)]
        assert 500 not in codes
        assert codes[:9] == [401] * 9 and codes[-1] == 429  # still limited, in this process
        # DRF's throttles count in this process too, instead of answering 500 to everyone.
        assert APIClient(REMOTE_ADDR="10.1.1.1").get("/api/schools/regions/").status_code == 200
        warnings = [r for r in caplog.records if r.name == "core.limits"]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        redis.start()
        limits.store.down_until = 0.0
        _token(client, "someone-else", "sai")
        assert any("shared again" in r.getMessage() for r in caplog.records if r.name == "core.limits")
    limits.store.local.clear()
