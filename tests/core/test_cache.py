"""Django's cache (page cache, rate limits) comes from CACHE_URL: in each process's memory
by default, or Redis, shared by every worker process. The client address that rate limits
count against comes from X-Forwarded-For only behind proxies declared in TRUSTED_PROXIES."""

from __future__ import annotations

import os
import uuid

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.core.cache import caches
from django.test import RequestFactory

from tests.core.test_env import _run_settings
from tremplin.env import Env, ImproperlyConfiguredEnv

REDIS_URL = os.environ.get("TREMPLIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_cache_url_defaults_to_memory():
    config = Env({}).cache("CACHE_URL", "locmem://")
    assert config["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert Env({"CACHE_URL": "locmem://pages"}).cache("CACHE_URL")["LOCATION"] == "pages"


@pytest.mark.parametrize(
    "url",
    ["redis://127.0.0.1:6379/0", "redis://cache", "rediss://:s3cret@cache.internal:6380/2"],
)
def test_redis_cache_url(url):
    config = Env({"CACHE_URL": url}).cache("CACHE_URL")
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == url


@pytest.mark.parametrize(
    "url",
    [
        "memcached://127.0.0.1:11211",
        "127.0.0.1:6379",
        "redis://",
        "redis://127.0.0.1:port/0",
        "redis://127.0.0.1:6379/zero",
        "redis://127.0.0.1:99999/0",
        "redis://127.0.0.1:6379/0?timeout=1",
        "locmem:///x",
        "",
    ],
)
def test_bad_cache_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfiguredEnv) as exc:
        Env({"CACHE_URL": url}).cache("CACHE_URL")
    assert "CACHE_URL" in str(exc.value.code)


def test_a_cache_password_is_never_echoed():
    with pytest.raises(ImproperlyConfiguredEnv) as exc:
        Env({"CACHE_URL": "redis://:hunter2@cache:6379/x"}).cache("CACHE_URL")
    assert "hunter2" not in str(exc.value.code)


def test_settings_read_cache_url_and_trusted_proxies(tmp_path):
    code = (
        "import tremplin.settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], "
        "s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    result = _run_settings(
        {
            "TREMPLIN_VAR_DIR": str(tmp_path),
            "CACHE_URL": "redis://cache:6379/1",
            "TRUSTED_PROXIES": "1",
        },
        code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache:6379/1",
        "1",
    ]
    result = _run_settings({"TREMPLIN_VAR_DIR": str(tmp_path)}, code)
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    assert result.stdout.split() == [locmem, "tremplin", "0"]
    result = _run_settings({"TREMPLIN_VAR_DIR": str(tmp_path), "CACHE_URL": "memcached://x"})
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


@pytest.fixture
def redis_cache(settings):
    """The default cache on a real Redis (a test database, keys under a prefix of this
    test's own, deleted afterwards)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not running at {REDIS_URL}")
        pytest.skip(f"Redis is not running at {REDIS_URL}")
    config = Env({"CACHE_URL": REDIS_URL}).cache("CACHE_URL")
    config["KEY_PREFIX"] = f"tremplin-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": config}
    yield config
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{config['KEY_PREFIX']}:*"):
        client.delete(key)
    client.close()


def _new_process_cache():
    """What another worker process builds from the same settings: its own cache backend,
    with its own Redis client and connections."""
    return caches.create_connection("default")


def test_two_processes_share_rate_limit_counters_through_redis(redis_cache, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    first, second = _new_process_cache(), _new_process_cache()
    assert first is not second
    assert first._cache is not second._cache
    request = RequestFactory().post("/comptes/login/", REMOTE_ADDR="203.0.113.7")
    for process in (first, second, first):
        caches["default"] = process
        assert ratelimit.consume(request, action="login_failed")
    caches["default"] = second
    assert not ratelimit.consume(request, action="login_failed")
    # Another address has its own counter.
    other = RequestFactory().post("/comptes/login/", REMOTE_ADDR="203.0.113.8")
    assert ratelimit.consume(other, action="login_failed")


def test_two_processes_share_the_page_cache_through_redis(redis_cache):
    first, second = _new_process_cache(), _new_process_cache()
    first.set("pagecache:test", ({"Content-Type": "text/html"}, b"<p>page</p>"), 30)
    assert second.get("pagecache:test") == ({"Content-Type": "text/html"}, b"<p>page</p>")


def _request(**meta):
    return RequestFactory().post("/comptes/login/", REMOTE_ADDR="10.0.0.5", **meta)


def test_x_forwarded_for_is_ignored_without_a_declared_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert get_adapter().get_client_ip(request) == "10.0.0.5"


def test_x_forwarded_for_is_read_behind_a_declared_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # A client may send its own header: the proxy appends the address it saw, the last one.
    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert get_adapter().get_client_ip(request) == "203.0.113.9"
    assert get_adapter().get_client_ip(_request()) == "10.0.0.5"


def test_a_forged_x_forwarded_for_does_not_escape_the_rate_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    results = [
        ratelimit.consume(_request(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"), action="login_failed")
        for n in range(3)
    ]
    assert results == [True, True, False]
