"""Settings come from the environment and fail loudly on bad values.

Each case imports the real settings module in a fresh interpreter with a given environment,
so nothing from this test process leaks into what is checked.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.conf import settings
layer = settings.CHANNEL_LAYERS["default"]
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "db_host": settings.DATABASES["default"].get("HOST", ""),
    "layer": layer["BACKEND"],
    "hosts": layer.get("CONFIG", {}).get("hosts"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "time_zone": settings.TIME_ZONE,
    "language": settings.LANGUAGE_CODE,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "csrf": settings.CSRF_TRUSTED_ORIGINS,
    "debug": settings.DEBUG,
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE", 0),
    "health_checks": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
}))
"""


def load_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"} and not k.startswith("DB_POOL_")
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    return proc


def settings_json(**env) -> dict:
    proc = load_settings(**env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_embedded_default_is_sqlite_and_in_memory_layer():
    s = settings_json(SECRET_KEY="k")
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["layer"] == "channels.layers.InMemoryChannelLayer"
    assert s["cache"].endswith("LocMemCache")
    assert s["time_zone"] == "Asia/Ho_Chi_Minh"
    assert s["language"] == "vi"
    assert s["debug"] is False


def test_database_url_switches_to_postgresql():
    s = settings_json(SECRET_KEY="k", DATABASE_URL="postgres://hts:pw@db.example:5433/hoithiso")
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["db_name"] == "hoithiso"
    assert s["db_host"] == "db.example"
    assert s["layer"] == "channels.layers.InMemoryChannelLayer"


def test_postgresql_gets_a_bounded_pool_and_no_persistent_connections():
    s = settings_json(SECRET_KEY="k", DATABASE_URL="postgres://hts@db.example:5432/hoithiso")
    # A persistent connection under ASGI stays behind with each request's thread.
    assert s["conn_max_age"] == 0
    assert s["health_checks"] is True  # the pool checks a connection before lending it
    assert s["db_options"]["pool"] == {"min_size": 2, "max_size": 10, "timeout": 10.0, "max_idle": 60.0}
    tuned = settings_json(
        SECRET_KEY="k",
        DATABASE_URL="postgres://hts@db.example:5432/hoithiso",
        DB_POOL_MAX="4",
        DB_POOL_MIN="1",
        DB_POOL_TIMEOUT_S="2.5",
        DB_POOL_IDLE_S="30",
    )
    assert tuned["db_options"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 2.5, "max_idle": 30.0}
    off = settings_json(SECRET_KEY="k", DATABASE_URL="postgres://hts@db.example:5432/hoithiso", DB_POOL_MAX="0")
    assert "pool" not in off["db_options"]
    assert off["conn_max_age"] == 0


def test_redis_url_switches_layer_and_cache_with_pool_overrides():
    s = settings_json(SECRET_KEY="k", REDIS_URL="redis://127.0.0.1:6379/4")
    assert s["layer"] == "core.realtime.layers.ResilientChannelLayer"  # channels-redis's pub/sub layer
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    (host,) = s["hosts"]
    assert host["address"] == "redis://127.0.0.1:6379/4"
    # redis-py 8 defaults (5 s timeout, 100 connections) are overridden for the layer.
    assert host["socket_timeout"] is None
    assert host["max_connections"] >= 1000
    assert host["socket_connect_timeout"] == 2


def test_sqlite_url_gets_the_same_locking_options_as_the_default(tmp_path):
    default = settings_json(SECRET_KEY="k")
    from_url = settings_json(SECRET_KEY="k", DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert from_url["engine"] == "django.db.backends.sqlite3"
    assert from_url["db_options"] == default["db_options"]
    assert from_url["db_options"]["transaction_mode"] == "IMMEDIATE"


def test_hosts_and_origins_from_environment():
    s = settings_json(
        SECRET_KEY="k",
        ALLOWED_HOSTS="thi.example.vn, www.thi.example.vn",
        CSRF_TRUSTED_ORIGINS="https://thi.example.vn",
    )
    assert s["allowed_hosts"] == ["thi.example.vn", "www.thi.example.vn"]
    assert s["csrf"] == ["https://thi.example.vn"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": "k", "DATABASE_URL": "mysql://root@127.0.0.1/x"}, "DATABASE_URL must start with postgres://"),
        ({"SECRET_KEY": "k", "DATABASE_URL": "postgres://127.0.0.1:5432/"}, "DATABASE_URL must name a database"),
        ({"SECRET_KEY": "k", "DATABASE_URL": "not a url"}, "DATABASE_URL must start with postgres://"),
        ({"SECRET_KEY": "k", "REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL must start with redis://"),
        ({"SECRET_KEY": "k", "REDIS_URL": "redis://127.0.0.1:notaport/0"}, "REDIS_URL has a bad port"),
        ({"SECRET_KEY": "k", "DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({}, "SECRET_KEY must be set when DEBUG is off"),
        ({"SECRET_KEY": "k", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be"),
        ({"SECRET_KEY": "k", "SIGNIN_ACCOUNT_RATE": "ten per hour"}, "SIGNIN_ACCOUNT_RATE must be a rate"),
        ({"SECRET_KEY": "k", "THROTTLE_PIN": "20/fortnight"}, "THROTTLE_PIN must be a rate"),
        ({"SECRET_KEY": "k", "TRUSTED_PROXIES": "nginx.local"}, "TRUSTED_PROXIES must list addresses"),
        ({"SECRET_KEY": "k", "DATABASE_URL": "postgres://h/x", "DB_POOL_MAX": "-1"}, "DB_POOL_MAX must be at least 0"),
        (
            {"SECRET_KEY": "k", "DATABASE_URL": "postgres://h/x", "DB_POOL_MAX": "2", "DB_POOL_MIN": "3"},
            "DB_POOL_MIN (3) must not exceed DB_POOL_MAX (2)",
        ),
        ({"SECRET_KEY": "k", "DATABASE_URL": "postgres://h/x", "DB_POOL_IDLE_S": "soon"}, "DB_POOL_IDLE_S must be a"),
    ],
)
def test_bad_values_fail_loudly(env, message):
    proc = load_settings(**env)
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr
    assert message in proc.stderr


def test_debug_runs_without_secret_key():
    assert settings_json(DEBUG="1")["debug"] is True


GC_PROBE = """
import gc, json
import config.asgi  # noqa: F401 - loading the ASGI application tunes the collector
print(json.dumps(gc.get_threshold()))
"""


@pytest.mark.parametrize(("value", "expected"), [(None, 20_000), ("5000", 5_000), ("0", 700)])
def test_asgi_server_raises_the_collector_threshold(value, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "GC_GEN0_THRESHOLD"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "k"})
    if value is not None:
        env["GC_GEN0_THRESHOLD"] = value
    proc = subprocess.run(
        [sys.executable, "-c", GC_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0] == expected


def test_bad_collector_threshold_fails_loudly():
    proc = load_settings(SECRET_KEY="k", GC_GEN0_THRESHOLD="-5")
    assert proc.returncode != 0 and "GC_GEN0_THRESHOLD" in proc.stderr
