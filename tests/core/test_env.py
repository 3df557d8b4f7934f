"""Settings are read strictly from the environment: a bad value stops start-up with a
message naming the variable. Production settings pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tremplin.env import Env, ImproperlyConfiguredEnv

ROOT = Path(__file__).resolve().parents[2]


def _message(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value.code if hasattr(exc.value, "code") else exc.value)


@pytest.mark.parametrize("value", ["maybe", "2", "vrai", "yes please"])
def test_bad_boolean_names_the_variable(value):
    with pytest.raises(SystemExit) as exc:
        Env({"DEBUG": value}).bool("DEBUG", False)
    assert isinstance(exc.value, ImproperlyConfiguredEnv)
    assert "DEBUG" in _message(exc)
    assert value in _message(exc)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("1", True),
        ("ON", True),
        (" yes ", True),
        ("false", False),
        ("0", False),
        ("", False),
        ("off", False),
    ],
)
def test_good_booleans(value, expected):
    assert Env({"DEBUG": value}).bool("DEBUG", not expected) is expected


def test_missing_values_give_the_default():
    env = Env({})
    assert env.bool("DEBUG", True) is True
    assert env.int("EMAIL_PORT", 25) == 25
    assert env.list("ALLOWED_HOSTS", ["a"]) == ["a"]


@pytest.mark.parametrize("value", ["abc", "25.5", "", "0x19"])
def test_bad_email_port_names_the_variable(value):
    with pytest.raises(SystemExit) as exc:
        Env({"EMAIL_PORT": value}).int("EMAIL_PORT", 25, minimum=1)
    assert "EMAIL_PORT" in _message(exc)


def test_email_port_below_minimum():
    with pytest.raises(SystemExit) as exc:
        Env({"EMAIL_PORT": "0"}).int("EMAIL_PORT", 25, minimum=1)
    assert "EMAIL_PORT" in _message(exc)
    assert ">= 1" in _message(exc)


@pytest.mark.parametrize(
    "value",
    ["mysql://u@h/db", "not a url", "http://example.org", "", "postgres://u@h:notaport/db"],
)
def test_bad_database_url_names_the_variable(value):
    with pytest.raises(SystemExit) as exc:
        Env({"DATABASE_URL": value}).database("DATABASE_URL", "sqlite:///x.db")
    assert "DATABASE_URL" in _message(exc)


def test_good_database_urls():
    env = Env({"DATABASE_URL": "postgres://tremplin:pw@db.example.org:5432/tremplin"})
    config = env.database("DATABASE_URL", "sqlite:///x.db")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "tremplin"
    assert config["PORT"] == 5432
    sqlite = Env({}).database("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]


def test_bad_choice_names_the_variable():
    with pytest.raises(SystemExit) as exc:
        Env({"EMAIL_BACKEND": "pigeon"}).choice("EMAIL_BACKEND", ("console", "smtp"), "console")
    assert "EMAIL_BACKEND" in _message(exc)
    assert "console, smtp" in _message(exc)


def _run_settings(env: dict[str, str], code: str = "import tremplin.settings"):
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    for name in (
        "DEBUG",
        "DATABASE_URL",
        "SECRET_KEY",
        "EMAIL_PORT",
        "SITE_URL",
        "ALLOWED_HOSTS",
        "STATIC_MANIFEST",
        "CACHE_URL",
        "TRUSTED_PROXIES",
        "MAX_REQUEST_BODY",
        "TASK_RUNNING_TIMEOUT",
        "TASK_MAX_ATTEMPTS",
    ):
        base.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
        ({"SITE_URL": "tremplin.example.org"}, "SITE_URL"),
        ({"TASK_RUNNING_TIMEOUT": "15min"}, "TASK_RUNNING_TIMEOUT"),
        ({"TASK_RUNNING_TIMEOUT": "5"}, "TASK_RUNNING_TIMEOUT"),  # under a minute
        ({"TASK_MAX_ATTEMPTS": "0"}, "TASK_MAX_ATTEMPTS"),
    ],
)
def test_importing_settings_with_a_bad_value_exits_naming_it(tmp_path, env, name):
    result = _run_settings({"TREMPLIN_VAR_DIR": str(tmp_path), **env})
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr
    if name == "SECRET_KEY":
        assert "too-short" not in result.stderr  # secrets are never echoed


PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-" + "x7Vq9Lm2Zr8Tn4Bw6Yp1Hs5Jd3Kf0Gc" * 2,  # 68 characters
    "DEBUG": "false",
    "SITE_URL": "https://tremplin.example.org",
    "ALLOWED_HOSTS": "tremplin.example.org",
    "STATIC_MANIFEST": "true",
    "EMAIL_BACKEND": "smtp",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


# Variables of this process that must not leak into a `check --deploy` run.
_NOT_INHERITED = (
    "DEBUG",
    "DATABASE_URL",
    "SECRET_KEY",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "CACHE_URL",
    "SANDBOX_ENABLED",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest
)


def run_check_deploy(tmp_path, *extra_args: str, **overrides: str):
    """``tremplin check --deploy`` in a fresh process with the production settings and
    ``overrides``; the completed process."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in _NOT_INHERITED},
        **PRODUCTION_ENV,
        "TREMPLIN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tremplin.settings",
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "-m", "tremplin", "check", "--deploy", *extra_args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check_deploy(tmp_path, "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_a_per_process_cache_on_a_public_site(tmp_path):
    """Rate limits counted in each worker's memory are no limits: `check --deploy` fails."""
    result = run_check_deploy(tmp_path, CACHE_URL="locmem://")
    assert result.returncode != 0
    assert "tremplin.E001" in result.stderr + result.stdout
    assert "CACHE_URL" in result.stderr + result.stdout


def test_shared_cache_check(settings):
    from tremplin.core.checks import check_shared_cache

    settings.SITE_URL = "https://tremplin.example.org"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in check_shared_cache()] == ["tremplin.E001"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert check_shared_cache() == []
    settings.SITE_URL = "http://127.0.0.1:8000"  # the demo, a developer's machine
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert check_shared_cache() == []
