"""What every benchmark in bench/ shares: a throwaway Django setup on a temporary SQLite
database (WAL), gunicorn servers started like ``tremplin serve``, a load generator (wrk
when installed, else a built-in keep-alive HTTP client), and the result line.

Each benchmark prints, as its last line, one JSON object:
``{"benchmark": name, "results": [{"name", "unit", "ours", "floor", "ratio", "p99_ms"}]}``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent

# Settings from the caller's shell that must not change what is measured.
CLEARED_ENV = (
    "DATABASE_URL",
    "DEBUG",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "STATIC_MANIFEST",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "LOG_LEVEL",
    "WEB_CONCURRENCY",
)


def setup_django(prefix: str) -> Path:
    """Point Tremplin at a fresh SQLite database in a temporary var directory, set Django
    up in this process and migrate. Returns the var directory (delete it at the end)."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"tremplin-bench-{prefix}-"))
    (var_dir / "static").mkdir()  # STATIC_ROOT: WhiteNoise warns when it is missing
    database_environment("sqlite", var_dir)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return var_dir


def database_environment(
    database: str, var_dir: Path, postgres_url: str = "", **extra: str
) -> None:
    """Point this process (and the processes it starts) at Tremplin's settings on a fresh
    database: a SQLite file in ``var_dir``, or ``postgres_url``. ``extra``: more variables."""
    for name in CLEARED_ENV:
        os.environ.pop(name, None)
    url = f"sqlite:///{var_dir / 'tremplin.sqlite3'}" if database == "sqlite" else postgres_url
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tremplin.settings",
        TREMPLIN_VAR_DIR=str(var_dir),
        DATABASE_URL=url,
        LOG_LEVEL="WARNING",
        **extra,
    )


def recreate_postgres(url: str, *, drop_only: bool = False) -> None:
    """Drop the PostgreSQL database of ``url`` (closing its sessions) and create it again."""
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_per_database(
    script: str, databases: list[str], options: list[str]
) -> tuple[list[dict], list[str]]:
    """Run ``script --child <database> options…`` once per database, each in a process of
    its own (Django is set up once per process). The child prints its lines, then its
    result rows as one JSON list: echoed, and gathered. Returns (rows, failures)."""
    results: list[dict] = []
    failures: list[str] = []
    for database in databases:
        print(f"--- {database}", flush=True)
        argv = [sys.executable, str(Path(script).resolve()), "--child", database, *options]
        proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, cwd=BENCH_DIR.parent)
        lines = proc.stdout.strip().splitlines()
        for line in lines[:-1]:
            print(line, flush=True)
        if proc.returncode != 0 or not lines:
            failures.append(f"{database}: exited with code {proc.returncode}")
            continue
        results.extend(json.loads(lines[-1]))
    return results, failures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A gunicorn master started like ``tremplin serve``."""

    name: str
    port: int
    process: subprocess.Popen

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_gunicorn(
    name: str,
    app: str,
    *,
    workers: int | None = None,
    threads: int | None = None,
    pythonpath: Path | None = None,
    settings_module: str | None = "tremplin.settings",
    port: int | None = None,
) -> Server:
    from tremplin.core.management.commands.serve import DEFAULT_THREADS, gunicorn_argv

    port = port or free_port()
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    argv = gunicorn_argv(app, port=port, workers=workers, threads=threads or DEFAULT_THREADS)
    process = subprocess.Popen(argv, env=env)
    server = Server(name, port, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name}: gunicorn exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise SystemExit(f"{name}: gunicorn did not start within 60 s")


def fetch(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- load generation -----------------------------------------------------------------------


@dataclass
class Load:
    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int
    tool: str


def measure(
    url: str, *, duration: float, connections: int, cookie: str = "", tool: str = "auto"
) -> Load:
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    if tool == "wrk":
        return _wrk(url, duration=duration, connections=connections, cookie=cookie)
    return asyncio.run(_python_load(url, duration, connections, cookie))


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, *, duration: float, connections: int, cookie: str) -> Load:
    threads = max(1, min(connections, (os.cpu_count() or 2)))
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s"]
    argv += ["--latency", "--timeout", "10s"]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    socket_errors = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(socket_errors, out):
        errors += sum(int(n) for n in match.groups())
    return Load(rps, float(p99.group(1)) * _UNITS[p99.group(2)], total, errors, "wrk")


async def _python_load(url: str, duration: float, connections: int, cookie: str) -> Load:
    """A keep-alive HTTP/1.1 client: ``connections`` connections, each sending its next
    request as soon as the previous response is read, for ``duration`` seconds."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    head = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: tremplin-bench\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    request = (head + "\r\n").encode()
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def client() -> None:
        nonlocal errors
        reader = writer = None
        while time.perf_counter() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                started = time.perf_counter()
                writer.write(request)
                status, keep_alive = await _read_response(reader)
                latencies.append(time.perf_counter() - started)
                if not 200 <= status < 400:
                    errors += 1
                if not keep_alive:
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    return Load(len(latencies) / elapsed, p99 * 1000, len(latencies), errors, "python")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection") != "close"


# --- results ---------------------------------------------------------------------------------


def result_row(name: str, ours: Load, floor: Load) -> dict:
    return {
        "name": name,
        "unit": "req/s",
        "ours": round(ours.requests_per_second, 1),
        "floor": round(floor.requests_per_second, 1),
        "ratio": round(ours.requests_per_second / floor.requests_per_second, 3),
        "p99_ms": round(ours.p99_ms, 1),
    }


def print_result_line(benchmark: str, results: list[dict]) -> None:
    """The last line of every benchmark's output."""
    sys.stdout.flush()
    print(json.dumps({"benchmark": benchmark, "results": results}, ensure_ascii=False))
    sys.stdout.flush()


def forwarded(args, names: tuple[str, ...]) -> list[str]:
    """The parent's options ``names`` as command-line arguments for its children."""
    options: list[str] = []
    for name in names:
        options += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return options


def end_child(child: str, postgres_url: str, var_dir) -> None:
    """A child's clean-up: its PostgreSQL database dropped, its folder removed."""
    if child == "postgres":
        from django.db import connections

        connections.close_all()
        recreate_postgres(postgres_url, drop_only=True)
    shutil.rmtree(var_dir, ignore_errors=True)


def finish(benchmark: str, results: list[dict], failures: list[str]) -> int:
    """The children's errors, then the benchmark's JSON line; the exit status."""
    for failure in failures:
        print(f"Error: {failure}")
    print_result_line(benchmark, results)
    return 1 if failures else 0
