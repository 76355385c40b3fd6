"""Production serving: real gunicorn with gunicorn.conf.py, as `make serve` starts it.

The server runs in a subprocess on a free loopback port, on a copy of the migrated SQLite
template, with production settings. The tests prove that the access log and the error log
hold paths but never query strings, referers or enrolment tokens (search terms and werknamen
travel as ?zoek= and ?q=), and that SIGHUP to the master named in the pid file replaces every
worker while the server keeps answering. The server's behaviour does not depend on the
database, so the PostgreSQL leg of the suite skips it.
"""

from __future__ import annotations

import http.client
import logging
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT
from tests import database
from tests.conftest import TEST_FILE_KEY

CONFIG = PROJECT_ROOT / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET = "Geheimenaam"
BOOTED = re.compile(r"Booting worker with pid: (\d+)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, timeout: float = 10) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def raw_request(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(data)
        return conn.recv(100)


def wait_for(predicate, what: str, seconds: float = 8.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def server_env(root: Path, port: int, database_url: str) -> dict[str, str]:
    """Only what a production host would set: nothing leaks in from the test process."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "LANG": "C.UTF-8",
        "PORTAL_ENV": "production",
        "SECRET_KEY": "serve-test-secret-key-that-is-long-enough-for-production",
        "PORTAL_FILE_KEY": TEST_FILE_KEY,
        "PORTAL_BASE_URL": "https://stapportaal.test",
        "PORTAL_INSTANCE_PATH": str(root / "instance"),
        "UPLOAD_FOLDER": str(root / "uploads"),
        "DATABASE_URL": database_url,
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PORTAL_ACCESS_LOG": str(root / "access.log"),
        "PORTAL_PIDFILE": str(root / "gunicorn.pid"),
    }


class Hammer(threading.Thread):
    """Requests the health check back to back until stopped; keeps every outcome."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.outcomes, self.stopped = port, [], threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.outcomes.append(get(self.port, "/gezondheid?zoek=" + SECRET))
            except OSError as error:
                self.outcomes.append(repr(error))


def booted_workers(error_log: Path) -> list[int]:
    return [int(pid) for pid in BOOTED.findall(error_log.read_text())]


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(database.using_postgres(),
                    reason="gunicorn's settings do not depend on the database: SQLite leg only")
def test_gunicorn_logs_no_query_strings_and_restarts_gracefully(tmp_path, database_template):
    port = free_port()
    database.copy_sqlite_template(database_template, tmp_path / "portal.db")
    env = server_env(tmp_path, port, f"sqlite:///{tmp_path / 'portal.db'}")
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    with error_log.open("w") as stderr:
        server = subprocess.Popen([str(GUNICORN), "-c", str(CONFIG), "wsgi:app"],
                                  cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=stderr)
    try:
        def answers():
            assert server.poll() is None, error_log.read_text()
            try:
                return get(port, "/gezondheid", timeout=2) == 200
            except OSError:
                return False

        wait_for(answers, "gunicorn to answer")

        # Query strings on the health check and the login page, a referer with one, and a
        # malformed request line that gunicorn itself reports in the error log.
        referer = {"Referer": f"https://stapportaal.test/clienten?zoek={SECRET}"}
        assert get(port, f"/gezondheid?zoek={SECRET}", referer) == 200
        assert get(port, f"/login?q={SECRET}&next=%2Fclienten%3Fzoek%3D{SECRET}") == 200
        assert get(port, "/account/activeren/TokenDatNietInHetLogMag") == 410
        bad = raw_request(port, f"GET /gezondheid?zoek={SECRET}&x=\x7f HTTP/1.1\r\n"
                                "Host: x\r\n\r\n".encode("latin-1"))
        assert bad.startswith(b"HTTP/1.1 400")

        lines = wait_for(lambda: "activeren" in access_log.read_text() and
                         access_log.read_text(), "the access log")
        assert '"GET /gezondheid HTTP/1.1" 200' in lines
        assert '"GET /login HTTP/1.1" 200' in lines
        assert '"GET /account/activeren/[token] HTTP/1.1" 410' in lines
        wait_for(lambda: "Invalid request" in error_log.read_text(), "the error log")
        for log in (access_log.read_text(), error_log.read_text()):
            assert SECRET not in log
            assert "zoek=" not in log and "q=" not in log and "next=" not in log
            assert "stapportaal.test" not in log  # the referer
            assert "TokenDatNietInHetLogMag" not in log

        # Graceful restart as the README documents it: SIGHUP to the pid in the pid file.
        master = int((tmp_path / "gunicorn.pid").read_text())
        assert master == server.pid
        old = wait_for(lambda: len(booted_workers(error_log)) >= 2 and booted_workers(error_log),
                       "two workers")
        hammer = Hammer(port)
        hammer.start()
        wait_for(lambda: len(hammer.outcomes) >= 3, "requests before the restart")
        os.kill(master, signal.SIGHUP)
        wait_for(lambda: len(booted_workers(error_log)) >= 4, "new workers")
        wait_for(lambda: not any(is_running(pid) for pid in old), "the old workers to leave")
        served_during = len(hammer.outcomes)
        wait_for(lambda: len(hammer.outcomes) >= served_during + 3, "requests after the restart")
        hammer.stopped.set()
        hammer.join(timeout=10)

        assert server.poll() is None
        assert set(hammer.outcomes) == {200}, [o for o in hammer.outcomes if o != 200][:5]
        new = booted_workers(error_log)[len(old):]
        assert all(is_running(pid) for pid in new) and not set(new) & set(old)
        # The reopened access log still takes lines, still without the query.
        wait_for(lambda: access_log.read_text().count('"GET /gezondheid HTTP/1.1" 200')
                 > len(hammer.outcomes), "the access log after the restart")
        assert SECRET not in access_log.read_text()
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# --- the redaction itself, without a server ------------------------------------------------


@pytest.fixture(scope="module")
def settings():
    return runpy.run_path(str(CONFIG))


def test_redact_cuts_query_strings_and_enrolment_tokens(settings):
    redact = settings["redact"]
    assert redact("GET /clienten?zoek=Jansen&pagina=2 HTTP/1.1") == (
        "GET /clienten?[weggelaten] HTTP/1.1")
    assert redact("'/login?next=%2Fx%3Fq%3DNoor'") == "'/login?[weggelaten]'"
    assert redact("GET /account/activeren/abc-DEF_123 HTTP/1.1") == (
        "GET /account/activeren/[token] HTTP/1.1")
    assert redact("GET /gezondheid HTTP/1.1") == "GET /gezondheid HTTP/1.1"


def test_access_format_names_the_path_not_the_request_line_or_referer(settings):
    access_format = settings["access_log_format"]
    assert "%(U)s" in access_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "{referer}i"):
        assert atom not in access_format


def test_the_filter_also_redacts_tracebacks(settings):
    record = None
    try:
        raise ValueError("kon /clienten?zoek=Jansen niet openen")
    except ValueError:
        record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1,
                                   "Error handling request %s %s",
                                   ("GET", "/clienten?zoek=Jansen"), sys.exc_info())
    settings["_RedactFilter"]().filter(record)
    text = logging.Formatter().format(record)
    assert "Jansen" not in text
    assert "Error handling request GET /clienten?[weggelaten]" in text


def test_workers_and_bind_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORTAL_BIND", "127.0.0.1:9123")
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("PORTAL_PIDFILE", raising=False)
    settings = runpy.run_path(str(CONFIG))
    assert settings["workers"] == 3 and settings["bind"] == "127.0.0.1:9123"
    assert "forwarded_allow_ips" not in settings and settings["pidfile"] is None
    monkeypatch.delenv("WEB_CONCURRENCY")
    monkeypatch.delenv("PORTAL_BIND")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    settings = runpy.run_path(str(CONFIG))
    assert 3 <= settings["workers"] <= 12 and settings["bind"] == "127.0.0.1:8000"
    assert settings["forwarded_allow_ips"] == "10.0.0.5"
