"""The operations commands run as an operator runs them: `python -m tremplin ...` in a
subprocess, on a fresh SQLite database in a temporary var directory."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tremplin.core.management.commands.serve import gunicorn_argv
from tremplin.demo.data import DEMO_PASSWORD, PROJECTS_2019
from tremplin.demo.load import DEMO_LOGINS

# Settings an operator's shell may hold that must not leak into the subprocesses (above all
# DATABASE_URL: with PostgreSQL tests, it names a real database).
CLEARED = (
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "EMAIL_BACKEND",
    "TASKS_BACKEND",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "STATIC_MANIFEST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest
)


@pytest.fixture
def var_dir(tmp_path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def env(var_dir) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environ.update(
        DJANGO_SETTINGS_MODULE="tremplin.settings",
        TREMPLIN_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    return environ


def tremplin(*args: str, env: dict[str, str], cwd: Path, timeout: int = 120):
    return subprocess.run(
        [sys.executable, "-m", "tremplin", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- tremplin demo --no-serve ----------------------------------------------------------------


def test_demo_sets_up_a_wal_database_and_prints_the_logins(env, var_dir, tmp_path):
    # No timing here: a unit test asserts behaviour (how long the demo takes to load is
    # printed by the command and measured on a quiet machine, not under a loaded CI).
    result = tremplin("demo", "--no-serve", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert DEMO_PASSWORD in result.stdout
    for login in DEMO_LOGINS:
        assert login.email in result.stdout
    assert "TOTP" in result.stdout

    db = var_dir / "tremplin.sqlite3"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applications = count(db, "calls_application")
    users = count(db, "core_user")
    assert applications == 33 + 3 + 4  # and the winter edition's four (demo/campaigns.py)
    # The kits' teasers are left to the worker: one completion queued per kit version.
    with sqlite3.connect(db) as conn:
        [(queued,)] = conn.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'tremplin.kit.tasks.complete_kit' AND status = 'READY'"
        ).fetchall()
    assert queued == count(db, "kit_kitversion") >= 12

    again = tremplin("demo", "--no-serve", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "already there" in again.stdout
    assert (count(db, "calls_application"), count(db, "core_user")) == (applications, users)

    # A visitor's account, then --reset: the database starts over with the demo only.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE calls_application SET title = 'Changé' WHERE id = 1")
    reset = tremplin("demo", "--no-serve", "--reset", env=env, cwd=tmp_path)
    assert reset.returncode == 0, reset.stderr
    assert "Loaded the demo data" in reset.stdout
    with sqlite3.connect(db) as conn:
        titles = {row[0] for row in conn.execute("SELECT title FROM calls_application")}
    assert "Changé" not in titles
    assert PROJECTS_2019[0].title in titles


def test_demo_reset_refuses_a_database_that_is_not_sqlite(env, tmp_path):
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/not_touched"
    result = tremplin("demo", "--no-serve", "--reset", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_refuses_a_port_in_use(env, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = tremplin("demo", "--port", str(port), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "already in use" in result.stderr


# --- tremplin worker ---------------------------------------------------------------------------


def test_worker_sends_the_mail_queued_in_the_database(env, tmp_path):
    env["KIT_TEASER"] = "false"  # the demo queues no teaser for this worker to make
    assert tremplin("demo", "--no-serve", env=env, cwd=tmp_path).returncode == 0
    queue = tremplin(
        "shell",
        "-c",
        "from tremplin.core.mail import send_mail_on_commit; "
        "send_mail_on_commit('calls/email/application_submitted', 'lea@makers.example', "
        "{'maker_name': 'Léa', 'title': 'Mobilier upcyclé', 'programme': 'MEL Makers', "
        "'reference': '1-00001', 'deadline': '2019-04-30T23:59:00+02:00', "
        "'path': '/candidatures/1/', 'first': True}, language='fr')",
        env=env,
        cwd=tmp_path,
    )
    assert queue.returncode == 0, queue.stderr
    assert count(tmp_path / "var" / "tremplin.sqlite3", "django_tasks_database_dbtaskresult") == 1

    result = tremplin("worker", "--batch", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The demo's e-mail goes to the console: the message is in the worker's output.
    assert "To: lea@makers.example" in result.stdout
    assert "Mobilier upcyclé" in result.stdout


# A worker killed mid-task leaves its row RUNNING: `tremplin recover-tasks` (cron) queues it
# again, or gives it up after TASK_MAX_ATTEMPTS attempts, and `tremplin worker` runs it.
STUCK = (
    "from datetime import timedelta; "
    "from django.utils import timezone; "
    "from django_tasks_db.models import DBTaskResult, get_date_max; "
    "[DBTaskResult.objects.create(status='RUNNING', "
    "task_path='tremplin.core.tasks.send_rendered_email', "
    "args_kwargs={'args': ['Objet', 'Bonjour', [to]], 'kwargs': {}}, backend_name='default', "
    "run_after=get_date_max(), started_at=timezone.now() - timedelta(hours=1), "
    "worker_ids=['killed'] * attempts) "
    "for to, attempts in (('lea@makers.example', 1), ('max@makers.example', 3))]"
)


def test_a_killed_workers_task_is_recovered_then_run(env, var_dir, tmp_path):
    assert tremplin("migrate", "--verbosity", "0", env=env, cwd=tmp_path).returncode == 0
    created = tremplin("shell", "-c", STUCK, env=env, cwd=tmp_path)
    assert created.returncode == 0, created.stderr

    recovered = tremplin("recover-tasks", env=env, cwd=tmp_path)
    assert recovered.returncode == 0, recovered.stderr
    assert "1 task(s) queued again, 1 given up" in recovered.stdout

    worker = tremplin("worker", "--batch", env=env, cwd=tmp_path)
    assert worker.returncode == 0, worker.stderr
    assert "To: lea@makers.example" in worker.stdout  # the console e-mail backend
    assert "max@makers.example" not in worker.stdout
    with sqlite3.connect(var_dir / "tremplin.sqlite3") as conn:
        states = dict(
            conn.execute(
                "SELECT json_extract(args_kwargs, '$.args[2][0]'), status "
                "FROM django_tasks_database_dbtaskresult"
            ).fetchall()
        )
    assert states == {"lea@makers.example": "SUCCESSFUL", "max@makers.example": "FAILED"}

    again = tremplin("recover-tasks", env=env, cwd=tmp_path)
    assert "0 task(s) queued again, 0 given up" in again.stdout


@pytest.mark.django_db
def test_worker_refuses_a_backend_that_is_not_the_database():
    # The test settings run tasks immediately: there is nothing for this worker to do.
    with pytest.raises(CommandError, match="TASKS_BACKEND"):
        call_command("worker", "--batch")


# --- tremplin serve ------------------------------------------------------------------------------


def test_serve_runs_gunicorn_with_threads_and_no_access_log():
    argv = gunicorn_argv(host="0.0.0.0", port=8080, workers=3)  # noqa: S104
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "tremplin.wsgi:application"]
    joined = " ".join(argv)
    assert "--bind 0.0.0.0:8080" in joined
    assert "--worker-class gthread" in joined
    assert "--workers 3" in joined
    assert "--access-logfile" not in joined
    assert "--access-logfile -" in " ".join(gunicorn_argv(access_log=True))
    assert "--bind [::1]:8000" in " ".join(gunicorn_argv(host="::1"))


def test_serve_rejects_a_bad_port(env, tmp_path):
    result = tremplin("serve", "--port", "0", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "positive integer" in result.stderr


# --- tremplin demo, serving ------------------------------------------------------------


def _children(pid: int) -> set[int]:
    """Direct children of a process, from /proc (Linux)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # A zombie is dead; it is only waiting for its parent to read its exit code.
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_demo_serves_the_site_and_ctrl_c_stops_everything(env, tmp_path):
    port = free_port()
    log = (tmp_path / "stderr.txt").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tremplin", "demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    pids: dict[str, int] = {}
    try:
        deadline = time.monotonic() + 60
        status, html = 0, ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, html = _get(base + "/")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(0.25)
        assert status == 200, "".join(lines) + (tmp_path / "stderr.txt").read_text()

        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+\.css)"', html)
        assert stylesheet, "the home page links its stylesheet"
        css_status, css = _get(base + stylesheet.group(1))
        assert css_status == 200
        assert css.strip()

        output = "".join(lines)
        for name in ("web server", "task worker"):
            match = re.search(rf"Started the {name} \(pid (\d+)\)", output)
            assert match, output
            pids[name] = int(match.group(1))
        gunicorn_workers = _children(pids["web server"])
        if Path("/proc/self/stat").exists():
            assert gunicorn_workers, "gunicorn runs worker processes"

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        for pid in [*pids.values(), *gunicorn_workers]:
            assert not _alive(pid), f"process {pid} is still running"
        reader.join(timeout=5)
        assert "Stopped." in "".join(lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in pids.values():
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
