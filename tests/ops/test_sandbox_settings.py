"""SANDBOX_ENABLED, read from the environment (issue #9): off by default (no /sandbox/ URL,
no default provider), refused with PAYMENTS_DEFAULT_PROVIDER=sandbox, turned on by
`tremplin demo`, and `check --deploy` fails when it is on with an https SITE_URL."""

from __future__ import annotations

from tests.core.test_env import _run_settings, run_check_deploy
from tremplin.demo.management.commands.demo import Command as DemoCommand

CODE = """
import django
django.setup()
from django.conf import settings
from django.urls import NoReverseMatch, reverse
try:
    reverse("sandbox:checkout", args=["ch_x"])
    mounted = True
except NoReverseMatch:
    mounted = False
print(settings.SANDBOX_ENABLED, repr(settings.PAYMENTS_DEFAULT_PROVIDER), mounted)
"""


def _env(tmp_path, **extra) -> dict[str, str]:
    return {
        "TREMPLIN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tremplin.settings",
        **extra,
    }


def test_off_by_default_and_not_mounted(tmp_path, monkeypatch):
    monkeypatch.delenv("SANDBOX_ENABLED", raising=False)
    monkeypatch.delenv("PAYMENTS_DEFAULT_PROVIDER", raising=False)
    result = _run_settings(_env(tmp_path), CODE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "''", "False"]


def test_on_mounts_the_sandbox_and_makes_it_the_default(tmp_path):
    result = _run_settings(_env(tmp_path, SANDBOX_ENABLED="true"), CODE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "'sandbox'", "True"]


def test_strictly_parsed(tmp_path):
    result = _run_settings(_env(tmp_path, SANDBOX_ENABLED="perhaps"))
    assert result.returncode != 0
    assert "SANDBOX_ENABLED" in result.stderr and "Traceback" not in result.stderr
    result = _run_settings(
        _env(tmp_path, SANDBOX_ENABLED="false", PAYMENTS_DEFAULT_PROVIDER="sandbox")
    )
    assert result.returncode != 0
    assert "PAYMENTS_DEFAULT_PROVIDER" in result.stderr and "Traceback" not in result.stderr


def test_the_demo_turns_it_on_for_its_processes():
    env = DemoCommand().child_env("127.0.0.1", 8000, "http://127.0.0.1:8000/")
    assert env["SANDBOX_ENABLED"] == "true"


def test_check_deploy_fails_with_the_sandbox_on_a_public_site(tmp_path):
    result = run_check_deploy(tmp_path, SANDBOX_ENABLED="true")
    assert result.returncode != 0
    assert "tremplin.E002" in result.stderr + result.stdout
    assert "SANDBOX_ENABLED" in result.stderr + result.stdout
