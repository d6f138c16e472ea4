"""/healthz reports each part; 503 as soon as one is down."""

import pytest

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"  # port 1: nothing listens there


def test_healthy(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer"}
    assert all(check["ok"] for check in body["checks"].values())


def test_503_when_redis_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": UNREACHABLE, "socket_timeout": None, "max_connections": 1000}]},
        }
    }
    from django.core.cache import caches

    caches._settings = None  # the cache handler caches its settings; let it read the override
    try:
        resp = client.get("/healthz")
    finally:
        caches._settings = None
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["channel_layer"]["ok"] is False
