"""`tremplin demo`: set up the demo platform and run it.

Creates the var/ directory and the SQLite database (WAL mode), migrates, loads the demo
data when the database is empty (re-running keeps what is there; ``--reset`` starts over),
prints the URL and the demo logins, then runs the web server (``tremplin serve``, gunicorn)
and the task worker (``tremplin worker``) side by side until Ctrl-C, which stops both.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from tremplin.core.management.commands.serve import positive_int
from tremplin.demo.data import DEMO_PASSWORD
from tremplin.demo.donors import contributor_space_lines
from tremplin.demo.load import DEMO_LOGINS, database_is_empty, demo_is_loaded, load_demo

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
READY_TIMEOUT = 60
STOP_TIMEOUT = 20


def _is_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def _sqlite_path() -> Path | None:
    """The SQLite database file, or None for an in-memory database (tests)."""
    name = str(settings.DATABASES["default"]["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


def _port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _accepts_connections(host: str, port: int) -> bool:
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    try:
        with socket.create_connection((target, port), timeout=0.5):
            return True
    except OSError:
        return False


class Command(BaseCommand):
    help = (
        "Set up Tremplin with a demo programme (SQLite in var/ by default) and run the web "
        "server and the task worker until Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=positive_int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--workers", type=positive_int, default=2, help="Web server processes (default 2)."
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Set up the database and load the demo data, then exit (for scripts).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the database and start over with fresh demo data.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="With --reset on a database that is not SQLite: really erase all its data.",
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        if options["port"] > 65535:
            raise CommandError("--port must be at most 65535.")
        if not options["no_serve"] and not _port_is_free(options["host"], options["port"]):
            raise CommandError(
                f"Port {options['port']} on {options['host']} is already in use: stop the "
                "other server or choose another port with --port."
            )
        url = self.url(options["host"], options["port"])
        site_url = settings.SITE_URL
        if not options["no_serve"] and "SITE_URL" not in os.environ:
            # The site's address as served (child_env gives it to the server and the
            # worker): the kits made at load time carry its links, and the worker's
            # completion of each kit (its teaser) finds the same content.
            settings.SITE_URL = url.rstrip("/")
        try:
            self.prepare_database(reset=options["reset"], yes=options["yes"])
            self.load_data()
        finally:
            settings.SITE_URL = site_url
        self.stdout.write(f"Set up in {time.monotonic() - started:.1f} s.")
        self.print_logins(url)
        if not options["no_serve"]:
            self.run(options["host"], options["port"], options["workers"], url)

    # -- setting up ----------------------------------------------------------------------

    def prepare_database(self, *, reset: bool, yes: bool) -> None:
        for directory in (settings.VAR_DIR, settings.STATIC_ROOT, settings.MEDIA_ROOT):
            Path(directory).mkdir(parents=True, exist_ok=True)
        sqlite_file = _sqlite_path() if _is_sqlite() else None
        if reset and not _is_sqlite() and not yes:
            raise CommandError(
                "--reset erases every row of the database named by DATABASE_URL, which is not "
                "SQLite. Add --yes if that is really what you want."
            )
        if reset and sqlite_file is not None:
            connections.close_all()
            existed = sqlite_file.exists()
            for path in (sqlite_file, *(Path(f"{sqlite_file}{s}") for s in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
            if existed:
                self.stdout.write(f"Deleted {sqlite_file}.")
        if sqlite_file is not None:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)

        call_command("migrate", interactive=False, verbosity=0)
        if reset and sqlite_file is None:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Erased every row of the database.")

        if _is_sqlite():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                mode = cursor.fetchone()[0]
            where = sqlite_file or "in memory"
            self.stdout.write(f"Database: SQLite, {where} (journal mode: {mode}).")
            if sqlite_file is not None and mode.lower() != "wal":
                self.stderr.write(f"Warning: expected the WAL journal mode, got {mode}.")
        else:
            db = settings.DATABASES["default"]
            self.stdout.write(f"Database: {db['NAME']} on {db.get('HOST') or 'localhost'}.")

    def load_data(self) -> None:
        if database_is_empty():
            started = time.monotonic()
            summary = load_demo()
            self.stdout.write(
                "Loaded the demo data in {seconds:.0f} s: {users} accounts, {applications} "
                "applications, {audit_log_entries} audit log entries.".format(
                    seconds=time.monotonic() - started, **summary
                )
            )
        elif demo_is_loaded():
            self.stdout.write("The demo data is already there: kept it (--reset starts over).")
        else:
            self.stdout.write(
                "The database already has data that is not the demo: kept it, loaded nothing."
            )

    @staticmethod
    def url(host: str, port: int) -> str:
        shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104
        shown = f"[{shown}]" if ":" in shown else shown
        return f"http://{shown}:{port}/"

    def print_logins(self, url: str) -> None:
        width = max(len(login.role) for login in DEMO_LOGINS)
        email_width = max(len(login.email) for login in DEMO_LOGINS)
        lines = [
            "",
            f"Tremplin demo: {url}",
            f"Demo logins (password for every account: {DEMO_PASSWORD}):",
        ]
        for login in DEMO_LOGINS:
            note = f"  ({login.note})" if login.note else ""
            lines.append(f"  {login.role:<{width}}  {login.email:<{email_width}}{note}".rstrip())
        lines += contributor_space_lines(url)
        lines.append("")
        self.stdout.write("\n".join(lines))
        self.stdout.flush()

    # -- running -------------------------------------------------------------------------

    def child_env(self, host: str, port: int, url: str) -> dict[str, str]:
        env = os.environ.copy()
        env.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
        env.setdefault("SITE_URL", url.rstrip("/"))
        env.setdefault("PYTHONUNBUFFERED", "1")
        # The demo pays with the sandbox's test cards (off unless asked for).
        env["SANDBOX_ENABLED"] = "true"
        if host not in LOCAL_HOSTS and "ALLOWED_HOSTS" not in env:
            # Listening beyond this machine: answer whatever name the visitor used.
            env["ALLOWED_HOSTS"] = "*" if host in ("0.0.0.0", "", "::") else host  # noqa: S104
        return env

    def run(self, host: str, port: int, workers: int, url: str) -> None:
        env = self.child_env(host, port, url)
        tremplin = [sys.executable, "-m", "tremplin"]
        stop = threading.Event()
        received: list[int] = []

        def on_signal(signum, _frame) -> None:
            received.append(signum)
            stop.set()

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, on_signal)

        # Own process groups: a Ctrl-C in the terminal reaches only this process, which
        # then stops each child once, gracefully, and waits for it.
        children: dict[str, subprocess.Popen] = {}
        failure = ""
        try:
            children["web server"] = subprocess.Popen(
                [
                    *tremplin,
                    "serve",
                    "--host",
                    host,
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                ],
                env=env,
                process_group=0,
            )
            children["task worker"] = subprocess.Popen(
                [*tremplin, "worker"], env=env, process_group=0
            )
            for name, child in children.items():
                self.stdout.write(f"Started the {name} (pid {child.pid}).")
            self.stdout.flush()

            failure = self.wait_until_ready(host, port, children, stop)
            if not failure and not stop.is_set():
                self.stdout.write(f"Tremplin is running at {url} — press Ctrl-C to stop.")
                self.stdout.flush()
            while not failure and not stop.wait(0.5):
                failure = self.dead_child(children)
        finally:
            self.stop_children(children)
        if failure:
            raise CommandError(failure)
        self.stdout.write("Stopped.")

    def wait_until_ready(
        self, host: str, port: int, children: dict[str, subprocess.Popen], stop: threading.Event
    ) -> str:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline and not stop.is_set():
            if failure := self.dead_child(children):
                return failure
            if _accepts_connections(host, port):
                return ""
            stop.wait(0.1)
        if stop.is_set():
            return ""
        return f"The web server did not answer on port {port} within {READY_TIMEOUT} s."

    @staticmethod
    def dead_child(children: dict[str, subprocess.Popen]) -> str:
        for name, child in children.items():
            if child.poll() is not None:
                return f"The {name} stopped unexpectedly (exit code {child.returncode})."
        return ""

    def stop_children(self, children: dict[str, subprocess.Popen]) -> None:
        running = {name: c for name, c in children.items() if c.poll() is None}
        if running:
            self.stdout.write("Stopping the web server and the task worker…")
            self.stdout.flush()
        for child in running.values():
            child.send_signal(signal.SIGTERM)
        for name, child in running.items():
            try:
                child.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {name} did not stop in {STOP_TIMEOUT} s: killing it.")
                child.kill()
                child.wait()
