"""Strict parsing of settings from environment variables.

A bad value stops start-up with a message naming the variable (healthchecks' habit):
we never silently fall back to a default when the operator wrote something we cannot read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class ImproperlyConfiguredEnv(SystemExit):
    """Raised at start-up when an environment variable cannot be parsed."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        super().__init__(f"Configuration error: {name}={value!r} is not {expected}.")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def str(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default)

    def bool(self, name: str, default: bool = False) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ImproperlyConfiguredEnv(name, raw, "a boolean (true/false, 1/0, yes/no, on/off)")

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        raw = self.environ.get(name)
        if raw is None:
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            raise ImproperlyConfiguredEnv(name, raw, "an integer") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfiguredEnv(name, raw, f"an integer >= {minimum}")
        return value

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        raw = self.environ.get(name)
        if raw is None:
            return list(default or [])
        return [item.strip() for item in raw.split(",") if item.strip()]

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        raw = self.environ.get(name)
        if raw is None:
            return default
        if raw not in choices:
            raise ImproperlyConfiguredEnv(name, raw, "one of " + ", ".join(choices))
        return raw

    def path(self, name: str, default: Path) -> Path:
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        return Path(raw).expanduser().resolve()

    def cache(self, name: str, default: str = "locmem://") -> dict:
        """Django's default cache from a URL: ``locmem://`` (in each process's memory: the
        demo, the tests, a single process) or ``redis://[:password@]host[:port][/db]``
        (``rediss://`` for TLS), shared by every process: Django's own RedisCache."""
        from urllib.parse import urlsplit

        raw = self.environ.get(name, default).strip()
        expected = "locmem:// or a redis://host:port/db URL"
        try:
            url = urlsplit(raw)
            port = url.port
        except ValueError:
            raise ImproperlyConfiguredEnv(name, raw, expected) from None
        if url.scheme == "locmem":
            if url.path or url.query or url.fragment:
                raise ImproperlyConfiguredEnv(name, raw, expected)
            return {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": url.netloc or "tremplin",
                "OPTIONS": {"MAX_ENTRIES": 2000},
            }
        if url.scheme in ("redis", "rediss"):
            db = url.path.lstrip("/")
            if (
                not url.hostname
                or (port is not None and not 0 < port < 65536)
                or (db and not db.isdigit())
                or url.query
                or url.fragment
            ):
                raise ImproperlyConfiguredEnv(name, "***" if url.password else raw, expected)
            return {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": raw,
                "KEY_PREFIX": "tremplin",
            }
        raise ImproperlyConfiguredEnv(name, "***" if url.password else raw, expected)

    def database(self, name: str, default: str) -> dict:
        import dj_database_url

        raw = self.environ.get(name, default)
        if not raw.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
            raise ImproperlyConfiguredEnv(
                name, raw, "a sqlite:/// or postgres:// URL (e.g. postgres://user@host:5432/db)"
            )
        try:
            config = dj_database_url.parse(raw, conn_max_age=0)
        except ValueError as exc:
            raise ImproperlyConfiguredEnv(name, raw, f"a valid database URL ({exc})") from None
        if config["ENGINE"] == "django.db.backends.sqlite3":
            if not config.get("NAME"):
                raise ImproperlyConfiguredEnv(name, raw, "a sqlite URL with a file path")
            config["OPTIONS"] = {
                # WAL lets readers and a writer work side by side; IMMEDIATE takes the
                # write lock at BEGIN so concurrent writers queue instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
            # Keep connections open too: opening one and running the PRAGMAs above costs
            # more than the queries of a typical page (measured by bench/pages.py).
            config["CONN_MAX_AGE"] = self.int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
        else:
            config["CONN_MAX_AGE"] = self.int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
            config["CONN_HEALTH_CHECKS"] = True
        return config
