"""Serve the portal with gunicorn on a large generated dataset and load its busiest pages with
wrk, as a signed-in person would open them; print requests per second and latency per page,
next to /gezondheid and a bare Flask "hello" app measured just before each page.

    .venv/bin/python bench/pages.py [--database sqlite|postgresql] [--clients 10000]
        [--texts 100000] [--duration 10] [--connections 16] [--workers 2]

A fresh database (an SQLite file in a temporary folder, or the PostgreSQL database
stapportaal_bench on 127.0.0.1, dropped and created again) is migrated and filled in bulk: per
client 1.5 trajecten, 10 journaal entries, 0.3 registrations (with intake and history) and 10
audit events (a valid hash chain); --texts documents in all (one version each, its extracted
text in the full-text index: FTS5 on SQLite, the Dutch tsvector on PostgreSQL), spread over
the clients. Files are not stored: no measured page reads them.

Three people log in through /login and /login/code (password, then a TOTP code): a
casemanager assigned to every tenth client, a procesregisseur and a registratiecontactpersoon.
The first row, "Mijn sessies", is the floor: a signed-in page with the menu and one small
query that writes no audit event. What any signed-in page costs before its own work shows in
its ratio to /gezondheid.
Every page is fetched once first and must answer 200; its row shows an error otherwise.
Needs wrk (apt-get install wrk). Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from random import Random
from types import SimpleNamespace
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy import text as sql_text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.audit.models import AuditEvent  # noqa: E402
from portal.audit.services import GENESIS_HASH, event_hash  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.clients.models import (  # noqa: E402
    Client,
    JournalEntry,
    StatusChange,
    Traject,
    client_casemanagers,
)
from portal.documents.models import Document, DocumentText, DocumentVersion  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.registrations.models import (  # noqa: E402
    Registration,
    RegistrationEvent,
    RegistrationIntake,
)
from portal.roles import Role  # noqa: E402
from tests.conftest import TEST_FILE_KEY, base_config  # noqa: E402
from tests.database import recreate_postgres_database  # noqa: E402
from tests.factories import Account, make_organisation, make_user  # noqa: E402

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/stapportaal_bench"
SECRET_KEY = "bench-secret-key-that-is-long-enough-for-gunicorn"  # noqa: S105 - a bench
NOW = datetime.now(UTC)
TODAY = NOW.date()
BATCH = 10_000
CASEMANAGERS = 10  # the one who logs in is the first: every tenth client is hers
COMMON_WORD, RARE_WORD = "afspraak", "kwartelkoning"  # in half the texts; in one in 10 000
WORDS_PER_TEXT = 120
DOCUMENT_KINDS = ("brief", "overig", "overdrachtsverslag", "toestemmingsverklaring",
                  "registratiedocument", "brief", "overig", "diagnostiekrapport")
STATUSES = ("actief", "actief", "actief", "aangemeld", "monitoring", "afgesloten")
TRAJECT_KINDS = ("time-out", "instroomwoning", "flexbudget", "diagnostiek")
REGISTRATION_STATUSES = ("verleend",) * 6 + ("aangevraagd", "in_behandeling", "verlopen",
                                             "verlopen")
JOURNAL_TEXTS = ("Telefonisch contact gehad, afspraak gemaakt voor volgende week.",
                 "Samen naar de huisarts geweest; zij voelt zich beter.",
                 "Niet verschenen op de afspraak, later teruggebeld.",
                 "Gesprek over wonen en inkomen, formulieren ingevuld.")
AUDIT_EVENTS = (("clients.viewed", "R"), ("clients.caseload", "R"), ("documents.searched", "R"),
                ("clients.overview", "R"), ("registrations.listed", "R"))


# --- Seeding ---------------------------------------------------------------------------------

def _bulk(table, rows: list[dict]) -> None:
    for first in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[first:first + BATCH])


def _ids(column) -> list[int]:
    return list(db.session.scalars(select(column).order_by(column)))


def _ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class Staff:
    casemanagers: list[Account]
    procesregisseur: Account
    contact: Account


def seed_staff() -> Staff:
    organisations = [make_organisation("Iriszorg"), make_organisation("Leger des Heils")]
    casemanagers = [make_user(Role.CASEMANAGER, name=f"Casemanager {n:02d}",
                              email=f"casemanager{n}@bench.stapportaal.nl",
                              organisation=organisations[n % 2]) for n in range(CASEMANAGERS)]
    return Staff(casemanagers,
                 make_user(Role.PROCESREGISSEUR, name="Procesregisseur",
                           email="procesregie@bench.stapportaal.nl",
                           organisation=organisations[0]),
                 make_user(Role.REGISTRATIECONTACTPERSOON, name="Registratiecontactpersoon",
                           email="registraties@bench.stapportaal.nl",
                           organisation=organisations[1]))


def seed_clients(count: int, staff: Staff) -> list[int]:
    _bulk(Client.__table__, [
        {"werknaam": f"Cliënt {n:06d}", "number": f"C-2026-{n:06d}", "ref": f"bench{n:011d}",
         "status": STATUSES[n % len(STATUSES)], "preferred_language": "Nederlands",
         "letters_to": "team", "date_of_birth": date(1970 + n % 35, 1 + n % 12, 1 + n % 28),
         "created_at": _ago(n % 700), "updated_at": _ago(n % 300)} for n in range(count)])
    ids = _ids(Client.id)
    people = staff.casemanagers
    _bulk(client_casemanagers, [{"client_id": cid, "user_id": people[n % len(people)].id,
                                 "assigned_at": _ago(n % 700)} for n, cid in enumerate(ids)])
    _bulk(StatusChange.__table__, [
        {"client_id": cid, "from_status": None, "to_status": STATUSES[n % len(STATUSES)],
         "changed_on": TODAY - timedelta(days=n % 700), "reason": "Bench",
         "by_id": people[n % len(people)].id, "created_at": _ago(n % 700)}
        for n, cid in enumerate(ids)])
    _bulk(Traject.__table__, [
        {"client_id": cid, "kind": TRAJECT_KINDS[(n + extra) % 3], "status": "lopend",
         "start_date": TODAY - timedelta(days=n % 400), "created_at": _ago(n % 400),
         "end_date": TODAY + timedelta(days=n % 90 - 30)}
        for n, cid in enumerate(ids) for extra in range(1 + n % 2)])
    return ids


def seed_journal(ids: list[int], staff: Staff) -> None:
    people = staff.casemanagers
    _bulk(JournalEntry.__table__, [
        {"client_id": cid, "author_id": people[n % len(people)].id,
         "entry_date": TODAY - timedelta(days=(n * 7 + k * 37) % 400),
         "text": JOURNAL_TEXTS[(n + k) % len(JOURNAL_TEXTS)], "confidential": k == 9,
         "created_at": _ago((n * 7 + k * 37) % 400)}
        for n, cid in enumerate(ids) for k in range(10)])


def vocabulary(rng: Random) -> tuple[list[str], list[float]]:
    """Pseudo-Dutch words with Zipf-like frequencies (cumulative weights for choices)."""
    starts = ("ver", "be", "ont", "ge", "aan", "over", "onder", "door", "uit", "mee", "in", "op")
    middles = ("sla", "werk", "kom", "hand", "zorg", "hulp", "woon", "raad", "plan", "stap",
               "geld", "huis", "weg", "dag", "school", "pas", "brief", "vraag", "spreek")
    ends = ("ing", "en", "er", "heid", "lijk", "baar", "te", "st", "aar", "ster", "je", "ig")
    words = sorted({a + b + c for a in starts for b in middles for c in ends})
    rng.shuffle(words)
    total, cumulative = 0.0, []
    for rank in range(len(words)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


def document_text(n: int, rng: Random, words: list[str], weights: list[float]) -> str:
    chosen = rng.choices(words, cum_weights=weights, k=WORDS_PER_TEXT)
    if n % 2 == 0:
        chosen[n % WORDS_PER_TEXT] = COMMON_WORD
    if n % 10_000 == 1_000:
        chosen[(n + 7) % WORDS_PER_TEXT] = RARE_WORD
    return " ".join(chosen)


def seed_documents(total: int, ids: list[int], staff: Staff) -> None:
    people = staff.casemanagers
    _bulk(Document.__table__, [
        {"ref": f"benchdoc{n:012d}", "client_id": ids[n % len(ids)],
         "kind": DOCUMENT_KINDS[n % len(DOCUMENT_KINDS)], "title": f"Document {n}",
         "document_date": TODAY - timedelta(days=n % 500), "confidential": n % 7 == 0,
         "author_id": people[(n % len(ids)) % len(people)].id,
         "released_at": _ago(n % 500) if n % 3 else None,
         "released_version": 1 if n % 3 else None,
         "created_at": _ago(n % 500), "changed_at": _ago(n % 500)} for n in range(total)])
    documents = _ids(Document.id)
    _bulk(DocumentVersion.__table__, [
        {"document_id": did, "number": 1, "filename": f"document-{n}.pdf",
         "mime_type": "application/pdf", "size": 40_000 + n % 5000,
         "sha256": hashlib.sha256(b"%d" % n).hexdigest(), "storage_key": f"bench{n:059d}",
         "uploaded_by_id": people[(n % len(ids)) % len(people)].id,
         "uploaded_at": _ago(n % 500), "text_status": "geïndexeerd"}
        for n, did in enumerate(documents)])
    versions = _ids(DocumentVersion.id)
    rng = Random(7513)
    words, weights = vocabulary(rng)
    for first in range(0, len(versions), BATCH):
        db.session.execute(insert(DocumentText.__table__), [
            {"version_id": vid, "content": document_text(first + k, rng, words, weights)}
            for k, vid in enumerate(versions[first:first + BATCH])])


def _registration(n: int, cid: int, user_id: int) -> dict:
    status = REGISTRATION_STATUSES[n % len(REGISTRATION_STATUSES)]
    requested = TODAY - timedelta(days=30 + n % 330)
    decided = status in {"verleend", "verlopen"}
    until = TODAY + timedelta(days=n % 200 - 20) if status == "verleend" else (
        TODAY - timedelta(days=1 + n % 30))
    return {"ref": f"benchreg{n:08d}", "number": f"TZ-2026-{n:05d}", "client_id": cid,
            "kind": "nieuw", "status": status,
            "valid_client_id": cid if status == "verleend" else None,
            "criterion": "Meerderjarig", "id_check_document": "Paspoort",
            "id_check_date": requested, "requested_on": requested,
            "decided_on": requested if decided else None,
            "valid_from": requested if decided else None, "valid_until": until if decided else None,
            "ended_on": until if status == "verlopen" else None, "created_by_id": user_id,
            "created_at": _ago(30 + n % 330), "updated_at": _ago(n % 30)}


def seed_registrations(ids: list[int], staff: Staff) -> None:
    contact = staff.contact.id
    chosen = [cid for n, cid in enumerate(ids) if n % 10 < 3]
    _bulk(Registration.__table__, [_registration(n, cid, contact)
                                   for n, cid in enumerate(chosen)])
    rows = db.session.execute(select(Registration.id, Registration.client_id,
                                     Registration.status, Registration.requested_on)
                              .order_by(Registration.id)).all()
    _bulk(RegistrationIntake.__table__, [
        {"client_id": r.client_id, "applied_on": r.requested_on, "reason": "Registratie",
         "id_check_document": "Paspoort", "id_check_date": r.requested_on,
         "created_dossier": False, "registration_id": r.id, "recorded_by_id": contact,
         "recorded_at": _ago(30)} for r in rows])
    _bulk(RegistrationEvent.__table__, [
        {"registration_id": r.id, "event": event, "from_status": source, "to_status": target,
         "on_date": r.requested_on, "description": event, "by_id": contact,
         "created_at": _ago(30)}
        for r in rows for event, source, target in (("aanvraag", None, "aangevraagd"),
                                                    ("status", "aangevraagd", r.status))])


def seed_audit(ids: list[int], staff: Staff) -> None:
    """Ten events per client, oldest first, each linked to the previous one by its hash."""
    people = [db.session.get(User, a.id) for a in staff.casemanagers]
    rows, previous = [], GENESIS_HASH
    total = len(ids) * 10
    for seq in range(1, total + 1):
        user = people[seq % len(people)]
        name, action = AUDIT_EVENTS[seq % len(AUDIT_EVENTS)]
        cid = ids[seq % len(ids)]
        entry = SimpleNamespace(
            seq=seq, occurred_at=NOW - timedelta(seconds=(total - seq) * 300), user_id=user.id,
            user_name=user.email, role="casemanager", organisation=user.organisation.name,
            action=action, event=name, object_type="client", object_id=str(cid), client_id=cid,
            outcome="gelukt", purpose=None, source_ip="127.0.0.1", detail={},
            prev_hash=previous)
        entry.hash = previous = event_hash(entry)
        rows.append(vars(entry))
    _bulk(AuditEvent.__table__, rows)


def seed(clients: int, texts: int) -> tuple[Staff, str]:
    staff = seed_staff()
    started = time.perf_counter()
    ids = seed_clients(clients, staff)
    timings = [f"clients+trajecten {time.perf_counter() - started:.1f}s"]
    for label, work in (("journaal", lambda: seed_journal(ids, staff)),
                        ("documents+texts", lambda: seed_documents(texts, ids, staff)),
                        ("registrations", lambda: seed_registrations(ids, staff)),
                        ("audit", lambda: seed_audit(ids, staff))):
        step = time.perf_counter()
        work()
        timings.append(f"{label} {time.perf_counter() - step:.1f}s")
    db.session.commit()
    return staff, ", ".join(timings)


def dossier_ref(staff: Staff) -> str:
    """A client of the casemanager who logs in, with documents, journaal and a registration."""
    mine = select(client_casemanagers.c.client_id).where(
        client_casemanagers.c.user_id == staff.casemanagers[0].id)
    return db.session.scalar(select(Client.ref).where(Client.id.in_(mine))
                             .order_by(Client.id).limit(1))


def index_hits(word: str) -> int:
    """Texts the full-text index finds for one word, before any access rule or limit."""
    from portal.documents.search import _matching_versions

    matches = _matching_versions([word]).subquery()
    return db.session.scalar(select(func.count()).select_from(matches))


# --- Servers and a small browser -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


HELLO_APP = '''from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello"
'''


def start_gunicorn(target: str, chdir: Path, env: dict, log: Path,
                   workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--chdir", str(chdir), "--error-logfile", str(log), target]
    process = subprocess.Popen(command, cwd=chdir, env=env,  # noqa: S603 - our own command
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status = Browser(port).get("/")[0]
            if status < 500:
                return process, port
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"gunicorn for {target} did not start; see {log}")


def portal_env(url: str, root: Path) -> dict:
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY,
            "PORTAL_FILE_KEY": TEST_FILE_KEY, "PORTAL_INSTANCE_PATH": str(root / "instance"),
            "UPLOAD_FOLDER": str(root / "uploads"), "PORTAL_ENV": "development",
            "LOGIN_RATE_LIMIT": "1000 per minute", "MAIL_SERVER": ""}


class Browser:
    """http.client with a cookie jar of one host and no redirects followed."""

    CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.getheader("Location") or "", text
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def csrf(self, path: str) -> str:
        match = self.CSRF.search(self.get(path)[2])
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)


def log_in(port: int, account: Account) -> Browser:
    browser = Browser(port)
    status, location, _ = browser.request("POST", "/login", {
        "csrf_token": browser.csrf("/login"), "email": account.email,
        "password": account.password})
    if status != 302 or not location.endswith("/login/code"):
        raise RuntimeError(f"password step for {account.email}: {status} {location}")
    status, location, _ = browser.request("POST", "/login/code", {
        "csrf_token": browser.csrf("/login/code"), "code": pyotp.TOTP(account.secret).now()})
    if status != 302 or "/login" in location:
        raise RuntimeError(f"code step for {account.email}: {status} {location}")
    return browser


# --- wrk -------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Result:
    rps: float
    p50: float
    p99: float
    errors: int


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")


def parse_wrk(output: str) -> Result:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors:.*?timeout (\d+)", output)
    errors = (int(bad.group(1)) if bad else 0) + (int(sockets.group(1)) if sockets else 0)
    return Result(float(rps.group(1)) if rps else 0.0, _ms(p50.group(1)) if p50 else 0.0,
                  _ms(p99.group(1)) if p99 else 0.0, errors)


def wrk(port: int, path: str, options, cookie: str = "") -> Result:
    command = ["wrk", "-t2", f"-c{options.connections}", f"-d{options.duration}s", "--latency",
               "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"],  # noqa: S603
                          capture_output=True, text=True, check=False)
    return parse_wrk(done.stdout)


# --- The run ---------------------------------------------------------------------------------

@dataclass
class Page:
    label: str
    path: str
    browser: Browser


def pages_to_measure(ref: str, people: dict[str, Browser]) -> list[Page]:
    case, regie, contact = people["casemanager"], people["procesregie"], people["contact"]
    return [Page("floor: Mijn sessies (casemanager)", "/account/sessies", case),
            Page("caseload (casemanager)", "/clienten/caseload", case),
            Page("team overview (procesregisseur)", "/clienten/", regie),
            Page("dossier (casemanager)", f"/clienten/{ref}", case),
            Page(f"search '{COMMON_WORD}' (common)", f"/documenten/zoeken?q={COMMON_WORD}",
                 case),
            Page(f"search '{RARE_WORD}' (rare)", f"/documenten/zoeken?q={RARE_WORD}", case),
            Page("registrations workspace", "/registraties/", contact)]


FOUND = re.compile(r"(\d+) document\(en\) gevonden")


def check(page: Page) -> tuple[str | None, str]:
    """(a problem, or None when the page answered 200 itself; what the page found)."""
    status, location, text = page.browser.get(page.path)
    if status != 200:
        return f"HTTP {status} {location}".strip(), ""
    if 'name="password"' in text:
        return "login form instead of the page", ""
    found = FOUND.search(text)
    return None, f"  [{found.group(1)} found, {len(text) // 1024} kB]" if found else (
        f"  [{len(text) // 1024} kB]")


def row(label: str, result: Result, health: Result, hello: Result) -> str:
    note = f"  ({result.errors} non-2xx/timeouts)" if result.errors else ""
    return (f"{label:<34} {result.rps:9.1f} {result.p50:9.2f} {result.p99:9.2f} "
            f"{result.rps / health.rps if health.rps else 0:9.3f} "
            f"{result.rps / hello.rps if hello.rps else 0:9.3f}{note}")


def log_tail(log: Path, lines: int = 4) -> str:
    return " | ".join(log.read_text().strip().splitlines()[-lines:]) if log.exists() else ""


def measure(portal: int, hello: int, pages: list[Page], options, log: Path) -> None:
    print(f"\n{'page':<34} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'/health':>9} "
          f"{'/hello':>9}")
    for page in pages:
        problem, note = check(page)
        if problem:
            print(f"{page.label:<34} ERROR: {problem}; log: {log_tail(log)}")
            continue
        health, bare = wrk(portal, "/gezondheid", options), wrk(hello, "/", options)
        result = wrk(portal, page.path, options, page.browser.cookie_header())
        print(row("  /gezondheid (just before)", health, health, bare))
        print(row("  hello (just before)", bare, health, bare))
        print(row(page.label, result, health, bare) + note, flush=True)


def prepare(options, root: Path) -> tuple[str, Staff, str]:
    url = f"sqlite:///{root / 'bench.db'}" if options.database == "sqlite" else POSTGRES_URL
    if options.database == "postgresql":
        recreate_postgres_database(url)
    app = create_app(base_config(root, url))
    with app.app_context():
        with open(os.devnull, "w") as quiet, redirect_stderr(quiet):
            upgrade(directory=app.extensions["migrate"].directory)
        started = time.perf_counter()
        staff, timings = seed(options.clients, options.texts)
        if options.database == "postgresql":
            # What autovacuum does soon after a bulk load; without statistics the planner
            # takes minutes over the search of a common word (nested loops over 100k rows).
            db.session.execute(sql_text("ANALYZE"))
            db.session.commit()
        print(f"{options.clients} clients, {options.texts} document texts "
              f"({options.database}); seeded in {time.perf_counter() - started:.0f} s: "
              f"{timings}", flush=True)
        ref = dossier_ref(staff)
        print(f"full-text index: '{COMMON_WORD}' in {index_hits(COMMON_WORD)} texts, "
              f"'{RARE_WORD}' in {index_hits(RARE_WORD)}")
        db.session.remove()
        db.engine.dispose()
    return url, staff, ref


def drop_postgres() -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "stapportaal_bench" WITH (FORCE)')


def serve_and_measure(options, root: Path, url: str, staff: Staff, ref: str) -> None:
    (root / "hello.py").write_text(HELLO_APP)
    (root / "uploads").mkdir(exist_ok=True)
    servers = []
    try:
        portal_server, portal = start_gunicorn("wsgi:app", ROOT, portal_env(url, root),
                                               root / "portal.log", options.workers)
        servers.append(portal_server)
        hello_server, hello = start_gunicorn("hello:app", root, dict(os.environ),
                                             root / "hello.log", options.workers)
        servers.append(hello_server)
        people = {"casemanager": log_in(portal, staff.casemanagers[0]),
                  "procesregie": log_in(portal, staff.procesregisseur),
                  "contact": log_in(portal, staff.contact)}
        print(f"gunicorn -w {options.workers} on {os.cpu_count()} cores; "
              f"wrk -t2 -c{options.connections} -d{options.duration}s; "
              f"the casemanager has {options.clients // CASEMANAGERS} clients")
        measure(portal, hello, pages_to_measure(ref, people), options, root / "portal.log")
        tracebacks = (root / "portal.log").read_text().count("Traceback")
        print(f"\nportal error log: {tracebacks} traceback(s)")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    return parser.parse_args()


def main() -> None:
    options = arguments()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        try:
            url, staff, ref = prepare(options, root)
            serve_and_measure(options, root, url, staff, ref)
        finally:
            if options.database == "postgresql":
                drop_postgres()


if __name__ == "__main__":
    main()
