"""Two app hosts with nothing shared but PostgreSQL and Redis (issue 17), as real processes.

Each host is gunicorn (`gunicorn.conf.py`, production settings, PORTAL_MULTI_HOST) with its own
instance folder and its own empty upload folder; files live in the database
(FILE_STORE=database). A person logs in on host A; the test then proves that what she uploads
through A downloads byte-identical through B, that her session works on B, that killing A in
the middle of an upload leaves no row and no chunk while B keeps serving, that a logout on B
ends the session on A, and that the login rate limit counts her attempts on both hosts. Beside
each host runs its own job-queue worker (huey_consumer) on the shared Redis: a mailing made on A
reaches the loopback SMTP server exactly once per recipient, however the two workers share the
work (the task queued at the commit and both workers' every-minute runs).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from portal.documents.models import Document, FileBlob, FileChunk
from portal.extensions import db
from portal.roles import Role
from tests import database
from tests.conftest import CSRF_PATTERN
from tests.factories import make_client, minimal_pdf
from tests.test_serve import (
    CONFIG,
    GUNICORN,
    PROJECT_ROOT,
    booted_workers,
    free_port,
    server_env,
    wait_for,
)

pytestmark = [
    pytest.mark.hosts,
    pytest.mark.skipif(not database.using_postgres(),
                       reason="several hosts share PostgreSQL: the PostgreSQL leg runs this"),
]
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
LOGIN_LIMIT = 5


@dataclass
class Host:
    name: str
    port: int
    root: Path
    process: subprocess.Popen
    worker: subprocess.Popen | None = None

    @property
    def error_log(self) -> Path:
        return self.root / "error.log"

    def uploaded_files(self) -> list[Path]:
        return [path for path in (self.root / "uploads").rglob("*") if path.is_file()]

    def kill(self) -> None:
        """SIGKILL the worker(s) and the master: no shutdown, no clean-up."""
        for pid in booted_workers(self.error_log):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        for process in (self.process, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=20)


def start_host(name: str, root: Path, smtp_port: int) -> Host:
    """gunicorn and a job-queue worker, with this host's own instance and upload folders."""
    root.mkdir()
    port = free_port()
    env = {**server_env(root, port, database.POSTGRES_URL), "WEB_CONCURRENCY": "1",
           "PORTAL_MULTI_HOST": "1", "FILE_STORE": "database", "REDIS_URL": REDIS_URL,
           "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute", "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(smtp_port), "MAIL_USE_STARTTLS": "0", "LETTER_MAIL_PDF": "0"}
    with (root / "error.log").open("w") as stderr:
        process = subprocess.Popen([str(GUNICORN), "-c", str(CONFIG), "wsgi:app"],
                                   cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=stderr)
    with (root / "worker.log").open("w") as log:
        worker = subprocess.Popen([str(GUNICORN.with_name("huey_consumer")), "wsgi.huey",
                                   "--workers", "1"], cwd=PROJECT_ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    return Host(name, port, root, process, worker)


def wait_until_serving(host: Host) -> None:
    def answers():
        assert host.process.poll() is None, host.error_log.read_text()[-3000:]
        try:
            return Visitor().request(host, "GET", "/gezondheid", timeout=2)[0] == 200
        except OSError:
            return False

    wait_for(answers, f"host {host.name} to answer", seconds=30)


@dataclass
class Visitor:
    """One browser: its cookies go to whichever host it asks (cookies ignore the port)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, host: Host, method: str, path: str, body: bytes = b"",
                content_type: str = "application/x-www-form-urlencoded", timeout: float = 30):
        connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def csrf(self, host: Host, path: str) -> str:
        status, _, page = self.request(host, "GET", path)
        match = CSRF_PATTERN.search(page.decode())
        assert match, f"{path} on {host.name}: {status}"
        return match.group(1)

    def post(self, host: Host, path: str, fields: dict, csrf_from: str = "/"):
        from urllib.parse import urlencode

        token = self.csrf(host, csrf_from)
        return self.request(host, "POST", path, urlencode({"csrf_token": token, **fields})
                            .encode())

    def upload(self, host: Host, path: str, fields: dict, filename: str, content: bytes):
        body, content_type = multipart({"csrf_token": self.csrf(host, "/"), **fields},
                                       filename, content)
        return self.request(host, "POST", path, body, content_type)


def multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                 + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


def log_in(visitor: Visitor, host: Host, account) -> None:
    status, headers, _ = visitor.post(host, "/login", {"email": account.email,
                                                       "password": account.password}, "/login")
    assert status == 302 and headers["Location"].endswith("/login/code"), status
    status, headers, _ = visitor.post(host, "/login/code", {"code": account.next_code()},
                                      "/login/code")
    assert status == 302, status


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Document, FileBlob, FileChunk))


def writing_chunks(app) -> bool:
    """A host is in the middle of storing a file: its INSERT of chunks runs or waits."""
    with app.app_context():
        found = db.session.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO file_chunks%' "
            "AND state <> 'idle' AND pid <> pg_backend_pid()"))
        db.session.rollback()
    return bool(found)


@pytest.fixture
def app(make_app):
    """The test's own view of the shared database: files where the hosts keep them."""
    return make_app(FILE_STORE="database")


@pytest.fixture
def hosts(app, tmp_path, smtp):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis niet bereikbaar op 127.0.0.1:6379: in CI is deze test verplicht")
        pytest.skip("Redis niet bereikbaar op 127.0.0.1:6379")
    started = [start_host(name, tmp_path / name.lower(), smtp.port) for name in ("A", "B")]
    try:
        for host in started:
            wait_until_serving(host)
        yield started
    finally:
        for host in started:
            host.stop()


def test_two_hosts_share_files_sessions_and_limits_and_survive_a_killed_host(
        app, account, hosts, smtp):
    host_a, host_b = hosts
    manager = account(Role.CASEMANAGER)
    with app.app_context():
        client_ref = make_client("Roos", casemanagers=[manager]).ref
    her = Visitor()
    log_in(her, host_a, manager)

    # Uploaded through A, downloaded through B, byte for byte; neither host's disk holds it.
    pdf = minimal_pdf("Gedeeld over twee hosts") + b"%" + b"Stapportaal " * 250_000
    fields = {"kind": "overig", "title": "Verslag", "document_date": "", "note": ""}
    status, headers, _ = her.upload(host_a, f"/documenten/client/{client_ref}/nieuw", fields,
                                    "verslag.pdf", pdf)
    assert status == 302, status
    document_ref = re.search(r"/documenten/([A-Za-z0-9_-]{16})$", headers["Location"]).group(1)
    status, _, downloaded = her.request(host_b, "GET", f"/documenten/{document_ref}/download/1")
    assert status == 200 and downloaded == pdf
    assert host_a.uploaded_files() == host_b.uploaded_files() == []
    before = counts(app)

    # A dies while it stores a large upload: no row, no chunk; B serves on.
    big = minimal_pdf("Groot") + b"%" + b"Stapportaal " * (20 * 1024 * 1024 // 12)
    body, content_type = multipart({"csrf_token": her.csrf(host_a, "/"), **fields},
                                   "groot.pdf", big)
    connection = http.client.HTTPConnection("127.0.0.1", host_a.port, timeout=60)
    connection.request("POST", f"/documenten/client/{client_ref}/nieuw", body=body,
                       headers={"Content-Type": content_type,
                                "Cookie": "; ".join(f"{k}={v}" for k, v in her.cookies.items())})
    wait_for(lambda: writing_chunks(app), "host A to write chunks", seconds=30)
    host_a.kill()
    connection.close()
    wait_for(lambda: not writing_chunks(app), "the killed write to be rolled back", seconds=30)
    assert counts(app) == before
    status, _, downloaded = her.request(host_b, "GET", f"/documenten/{document_ref}/download/1")
    assert status == 200 and downloaded == pdf
    check = app.test_cli_runner().invoke(args=["portal", "check-storage"])
    assert check.exit_code == 0, check.output + check.stderr

    # A logout on B ends the session everywhere: a restarted A no longer knows it.
    host_a.stop()  # its worker too
    host_a = start_host("A2", host_a.root.with_name("a2"), smtp.port)
    hosts.append(host_a)
    wait_until_serving(host_a)
    assert her.request(host_a, "GET", "/")[0] == 200
    status, _, _ = her.post(host_b, "/logout", {})
    assert status == 302
    status, headers, _ = her.request(host_a, "GET", "/")
    assert status == 302 and "/login" in headers["Location"]

    # The login limit counts on both hosts together (her own login used one attempt).
    stranger = Visitor()
    statuses = [stranger.post(host, "/login", {"email": "niemand@example.test",
                                               "password": "Verkeerd-1234567"}, "/login")[0]
                for host in (host_a, host_b, host_a, host_b, host_a)]
    assert statuses == [200] * (LOGIN_LIMIT - 1) + [429]


def test_a_mailing_made_on_one_host_is_delivered_once_by_the_two_workers(app, account, hosts,
                                                                        smtp):
    from portal.letters.models import OutboxMessage
    from tests.factories import INFORMATIEBRIEF_VALUES
    from tests.test_letters import builtin_ids, partner_setup, partner_url

    host_a, _host_b = hosts
    setup = partner_setup(app, active=("Anja Jansen", "Bram de Boer", "Chantal Kok"),
                          inactive=())
    regisseur = account(Role.PROCESREGISSEUR)
    her = Visitor()
    log_in(her, host_a, regisseur)
    url = partner_url(builtin_ids(app)["informatiebrief-stapteam"])
    fields = {"subject": "Stapteam 2.0", "actie": "versturen", "bevestigd": "ja",
              "list_id": setup["list_id"],
              **{f"f_{name}": value for name, value in INFORMATIEBRIEF_VALUES.items()}}
    status, headers, page = her.post(host_a, url, fields, url)
    assert status == 302, page.decode()[-2000:]

    def delivered():
        with app.app_context():
            statuses = db.session.scalars(select(OutboxMessage.status)).all()
            db.session.rollback()
        return len(statuses) == 3 and set(statuses) == {"verzonden"}

    wait_for(delivered, "the workers to deliver the mailing", seconds=60)
    time.sleep(2)  # a second delivery would arrive now
    recipients = sorted(r for received in smtp.received for r in received.rcpt_tos)
    assert recipients == ["anja@politie.test", "bram@politie.test", "chantal@politie.test"]
