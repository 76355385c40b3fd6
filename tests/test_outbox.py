"""The durable outbox against a real SMTP server on loopback (aiosmtpd; smtplib not mocked).

Covers a personal merge to 25 partners, a mail server that is down and comes back (back-off,
nothing lost, nothing sent twice), two workers at once (claiming), a claim left behind by a
crashed worker, the attempt limit, a refused recipient, .eml files when no server is set,
AUTH LOGIN/PLAIN with the configured credentials, and the mailing progress page.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import re
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document as WordDocument
from sqlalchemy import create_engine, select, update
from sqlalchemy.pool import NullPool

from portal import jobs
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.database import utcnow
from portal.documents import storage
from portal.extensions import db
from portal.letters import outbox, pdf
from portal.letters import services as letter_services
from portal.letters.models import Letter, LetterTemplate, OutboxMessage, OutboxStatus
from portal.letters.templates import ensure_builtin_templates
from portal.roles import Role
from tests.conftest import log_in
from tests.factories import (
    INFORMATIEBRIEF_VALUES,
    make_mailing,
    make_partner_list,
    make_user,
)
from tests.smtp_server import LoopbackSMTP, free_port, mail_settings

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SMTP_USER, SMTP_PASSWORD = "stapportaal-relay", "Juist-relay-wachtwoord-42"
ABANDONED_REASON = "Verzending onderbroken; het is onbekend of het bericht is aangekomen."
REFRESH = 'data-pending="'  # while letters wait, the page refreshes itself (and offers Vernieuwen)

# The AUTH tests run without TLS on purpose (loopback); aiosmtpd warns about that.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning")


# -- fixtures ------------------------------------------------------------------------


@pytest.fixture
def auth_smtp():
    """A loopback SMTP server that refuses mail until AUTH LOGIN/PLAIN succeeds."""
    server = LoopbackSMTP(username=SMTP_USER, password=SMTP_PASSWORD)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def make_app(make_app):
    """Apps on the real queue (SQLite in the instance folder): a mailing's delivery task waits
    there until the test works the outbox, as a worker would."""
    return lambda **settings: make_app(**{"JOBS_IMMEDIATE": False, "LETTER_MAIL_PDF": False,
                                          **settings})


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(**mail_settings(smtp))


class Clock:
    """Moves the outbox's idea of 'now' (portal.letters.outbox.utcnow) forward."""

    def __init__(self, monkeypatch):
        self.offset = timedelta(0)
        monkeypatch.setattr(outbox, "utcnow", lambda: utcnow() + self.offset)

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)

    def now(self):
        return utcnow() + self.offset


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


# -- helpers -------------------------------------------------------------------------

def queue_mailing(app, recipients: int) -> tuple[int, int]:
    """A procesregisseur and a queued Informatiebrief to `recipients` new partners."""
    with app.app_context():
        actor = make_user(Role.PROCESREGISSEUR)
        return actor.id, make_mailing(actor.id, recipients=recipients).id


def queue_to(app, emails: list[str]) -> int:
    """A mailing through letters.services.send_to_list to a list with these addresses."""
    with app.app_context():
        actor = make_user(Role.PROCESREGISSEUR)
        ensure_builtin_templates()
        template = db.session.scalar(select(LetterTemplate).where(
            LetterTemplate.builtin_key == "informatiebrief-stapteam"))
        mailing = letter_services.send_to_list(
            db.session.get(User, actor.id), letter_services.MailingRequest(
                version=template.current, values=INFORMATIEBRIEF_VALUES,
                subject="Stapteam 2.0", distribution_list=make_partner_list(emails=emails)))
        return mailing.id


def work(app) -> dict[str, int]:
    """One run of the worker, as the Huey task does it: deliver_due in an app context."""
    with app.app_context():
        return outbox.deliver_due()


def counts(verzonden=0, opnieuw=0, mislukt=0) -> dict[str, int]:
    return {"verzonden": verzonden, "opnieuw": opnieuw, "mislukt": mislukt}


def rows(app, mailing_id: int) -> list[dict]:
    """The mailing's outbox rows as plain dicts, read in a fresh session."""
    with app.app_context():
        messages = db.session.scalars(
            select(OutboxMessage).join(Letter).where(Letter.mailing_id == mailing_id)
            .order_by(OutboxMessage.id)).all()
        return [{"id": m.id, "recipient": m.recipient, "status": m.status,
                 "attempts": m.attempts, "last_error": m.last_error,
                 "next_attempt_at": m.next_attempt_at, "claimed_at": m.claimed_at,
                 "sent_at": m.sent_at, "delivered_as": m.delivered_as,
                 "message_id": m.message_id, "subject": m.subject,
                 "kenmerk": m.letter.kenmerk, "sha256": m.letter.sha256,
                 "name": m.letter.contact.name} for m in messages]


def set_rows(app, ids, **values) -> None:
    with app.app_context():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(list(ids)))
                           .values(**values))
        db.session.commit()


def make_due(app, mailing_id: int) -> None:
    """Move next_attempt_at of the waiting messages into the past, as time would."""
    waiting = [r["id"] for r in rows(app, mailing_id) if r["status"] == "wachtrij"]
    set_rows(app, waiting, next_attempt_at=utcnow() - timedelta(seconds=1))


def audit(app, event: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)
                                       .order_by(AuditEvent.seq)))


def docx_lines(data: bytes) -> list[str]:
    """Every paragraph of a .docx, including those in table cells (the letterhead)."""
    document = WordDocument(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return lines


def only_attachment(message) -> tuple[str, bytes]:
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1, [a.get_filename() for a in attachments]
    part = attachments[0]
    assert part.get_content_type() == DOCX_TYPE
    return part.get_filename(), part.get_content()


def assert_personal_letter(message, row: dict) -> None:
    """The mail carries exactly this recipient's own letter, with her name and kenmerk."""
    filename, content = only_attachment(message)
    assert filename == row["kenmerk"].replace("/", "-") + ".docx"
    assert hashlib.sha256(content).hexdigest() == row["sha256"]
    lines = docx_lines(content)
    text = "\n".join(lines)
    assert row["kenmerk"] in text
    assert any(line.startswith(f"{row['name']}\n") for line in lines)  # the address block
    assert [line for line in lines if line.startswith("Geachte")] == [f"Geachte {row['name']},"]


# -- 1. a merge to 25 partners --------------------------------------------------------

def test_merge_to_25_partners_delivers_one_personal_letter_each(mail_app, smtp):
    _, mailing_id = queue_mailing(mail_app, 25)
    queued = rows(mail_app, mailing_id)
    assert len(queued) == 25 and {r["status"] for r in queued} == {"wachtrij"}
    assert len({r["kenmerk"] for r in queued}) == 25

    assert work(mail_app) == counts(verzonden=25)

    received = smtp.received
    assert len(received) == 25
    by_recipient = {r["recipient"]: r for r in queued}
    assert sorted(item.message["To"] for item in received) == sorted(by_recipient)
    message_ids = [item.message["Message-ID"] for item in received]
    assert len(set(message_ids)) == 25
    assert set(message_ids) == {r["message_id"] for r in queued}
    for item in received:
        row = by_recipient[item.message["To"]]
        assert item.rcpt_tos == (row["recipient"],)
        assert item.mail_from == "stapteam@nijmegen.test"
        assert item.message["Message-ID"] == row["message_id"]
        assert item.message["Subject"] == row["subject"]
        assert row["kenmerk"] in item.message["Subject"]
        assert row["kenmerk"] in item.message.get_body(("plain",)).get_content()
        assert_personal_letter(item.message, row)

    sent = rows(mail_app, mailing_id)
    for row in sent:
        assert row["status"] == OutboxStatus.VERZONDEN.value
        assert row["sent_at"] is not None and row["delivered_as"] == "smtp"
        assert row["attempts"] == 1 and row["last_error"] is None
    events = audit(mail_app, "letters.mail_sent")
    assert sorted(int(e.object_id) for e in events) == sorted(r["id"] for r in sent)
    assert all(e.detail["via"] == "smtp" and e.object_type == "outbox_message" for e in events)
    assert {e.detail["letter"] for e in events} == {r["kenmerk"] for r in sent}
    assert audit(mail_app, "letters.mail_failed") == []

    assert work(mail_app) == counts()
    assert len(smtp.received) == 25


def test_a_mailing_queues_one_delivery_task_that_the_worker_runs(mail_app, smtp):
    mailing_id = queue_to(mail_app, ["a@partner.test", "b@partner.test"])
    assert len(smtp.received) == 0
    assert jobs.huey.pending_count() == 1  # enqueued once the mailing committed
    with mail_app.app_context():
        jobs.huey.execute(jobs.huey.dequeue())
    assert len(smtp.received) == 2
    assert {r["status"] for r in rows(mail_app, mailing_id)} == {"verzonden"}


# -- 2. the server is down, then back ---------------------------------------------------

def test_server_down_keeps_messages_and_retries_after_back_off(mail_app, smtp, clock):
    _, mailing_id = queue_mailing(mail_app, 4)
    smtp.stop()
    before = utcnow()

    assert work(mail_app) == counts(opnieuw=4)
    assert smtp.received == []
    failed = rows(mail_app, mailing_id)
    assert len(failed) == 4
    for row in failed:
        assert row["status"] == "wachtrij" and row["attempts"] == 1
        assert row["sent_at"] is None and row["delivered_as"] is None
        assert "ConnectionRefusedError" in row["last_error"]
        # First back-off: 30 seconds from the attempt.
        assert before + timedelta(seconds=29) <= row["next_attempt_at"] \
            <= utcnow() + timedelta(seconds=31)
    events = audit(mail_app, "letters.mail_failed")
    assert sorted(int(e.object_id) for e in events) == sorted(r["id"] for r in failed)
    assert all(e.outcome == "mislukt" and e.detail["final"] is False for e in events)

    # Not due yet: neither right away nor 20 s later does a worker touch them.
    assert work(mail_app) == counts()
    clock.advance(seconds=20)
    smtp.start()
    assert work(mail_app) == counts()
    assert smtp.received == []
    assert [r["attempts"] for r in rows(mail_app, mailing_id)] == [1, 1, 1, 1]

    # Past the back-off with the server back: each goes out exactly once.
    clock.advance(seconds=15)
    assert work(mail_app) == counts(verzonden=4)
    sent = rows(mail_app, mailing_id)
    assert [r["status"] for r in sent] == ["verzonden"] * 4
    assert [r["attempts"] for r in sent] == [2] * 4
    assert all(r["last_error"] is None and r["delivered_as"] == "smtp" for r in sent)
    ids = sorted(item.message["Message-ID"] for item in smtp.received)
    assert ids == sorted(r["message_id"] for r in sent)

    clock.advance(hours=2)
    assert work(mail_app) == counts()
    assert len(smtp.received) == 4


def test_server_back_and_rows_made_due_in_the_database(mail_app, smtp):
    _, mailing_id = queue_mailing(mail_app, 3)
    smtp.stop()
    assert work(mail_app) == counts(opnieuw=3)
    smtp.start()
    assert work(mail_app) == counts()  # back-off still running
    make_due(mail_app, mailing_id)
    assert work(mail_app) == counts(verzonden=3)
    assert work(mail_app) == counts()
    assert sorted(item.message["To"] for item in smtp.received) == sorted(
        r["recipient"] for r in rows(mail_app, mailing_id))


# -- 3. two workers at once -------------------------------------------------------------

def test_two_concurrent_workers_send_each_message_once(mail_app, smtp, monkeypatch):
    _, mailing_id = queue_mailing(mail_app, 10)
    # Both workers must have read the full due list before either claims anything, so every
    # message is contested; the real _claim decides.
    start_claiming = threading.Barrier(2, timeout=15)
    seen: dict[str, list[tuple[int, bool]]] = {}
    real_claim = outbox._claim

    def claim(message_id):
        attempts = seen.setdefault(threading.current_thread().name, [])
        if not attempts:
            start_claiming.wait()
        won = real_claim(message_id)
        attempts.append((message_id, won))
        return won

    monkeypatch.setattr(outbox, "_claim", claim)
    results, errors = {}, []

    def worker():
        try:
            results[threading.current_thread().name] = work(mail_app)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(r["verzonden"] for r in results.values()) == 10
    assert all(r["opnieuw"] == r["mislukt"] == 0 for r in results.values())
    # Every message was contested by both workers and won by exactly one.
    for message_id in (r["id"] for r in rows(mail_app, mailing_id)):
        outcomes = [won for attempts in seen.values() for mid, won in attempts
                    if mid == message_id]
        assert sorted(outcomes) == [False, True]

    message_ids = [item.message["Message-ID"] for item in smtp.received]
    assert len(message_ids) == 10 and len(set(message_ids)) == 10
    sent = rows(mail_app, mailing_id)
    assert all(r["status"] == "verzonden" and r["attempts"] == 1 for r in sent)
    assert len(audit(mail_app, "letters.mail_sent")) == 10


# -- 4. a claim left behind by a crashed worker ------------------------------------------

def test_abandoned_claim_becomes_mislukt_and_is_never_resent(mail_app, smtp, clock):
    _, mailing_id = queue_mailing(mail_app, 3)
    crashed, busy, waiting = rows(mail_app, mailing_id)
    set_rows(mail_app, [crashed["id"]], status="verzenden", attempts=1,
             claimed_at=utcnow() - outbox.CLAIM_TIMEOUT - timedelta(minutes=1))
    set_rows(mail_app, [busy["id"]], status="verzenden", attempts=1,
             claimed_at=utcnow() - timedelta(minutes=1))  # a live worker, still sending

    assert work(mail_app) == counts(verzonden=1)
    assert [item.message["To"] for item in smtp.received] == [waiting["recipient"]]
    after = {r["id"]: r for r in rows(mail_app, mailing_id)}
    gave_up = after[crashed["id"]]
    assert gave_up["status"] == "mislukt" and gave_up["sent_at"] is None
    assert gave_up["attempts"] == 1
    assert gave_up["last_error"].startswith(ABANDONED_REASON)
    assert "verstuur zo nodig opnieuw" in gave_up["last_error"]
    assert after[busy["id"]]["status"] == "verzenden"  # not taken from a live worker

    # Later the second claim is stale too: given up, and still nothing is sent again.
    clock.advance(minutes=15)
    assert work(mail_app) == counts()
    after = {r["id"]: r for r in rows(mail_app, mailing_id)}
    assert after[busy["id"]]["status"] == "mislukt"
    assert after[busy["id"]]["last_error"].startswith(ABANDONED_REASON)
    clock.advance(hours=3)
    assert work(mail_app) == counts()
    assert len(smtp.received) == 1


# -- 5. giving up: the attempt limit and a refused recipient -----------------------------

def test_after_max_attempts_a_message_becomes_mislukt(make_app, clock):
    # A port where nothing listens: every attempt is refused by the operating system.
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_STARTTLS=False,
                   OUTBOX_MAX_ATTEMPTS=3)
    _, mailing_id = queue_mailing(app, 1)
    delays = []
    for attempt, expected in ((1, counts(opnieuw=1)), (2, counts(opnieuw=1)),
                              (3, counts(mislukt=1))):
        at = clock.now()
        assert work(app) == expected
        (row,) = rows(app, mailing_id)
        assert row["attempts"] == attempt
        assert "ConnectionRefusedError" in row["last_error"]
        if attempt < 3:
            assert row["status"] == "wachtrij"
            delays.append(round((row["next_attempt_at"] - at).total_seconds()))
        clock.advance(hours=2)
    assert delays == [30, 60]  # doubling back-off
    assert row["status"] == "mislukt" and row["sent_at"] is None
    finals = [e.detail["final"] for e in audit(app, "letters.mail_failed")]
    assert finals == [False, False, True]

    clock.advance(days=2)
    assert work(app) == counts()
    assert rows(app, mailing_id)[0]["attempts"] == 3


def test_refused_recipient_fails_at_once_and_the_others_are_delivered(mail_app, smtp, clock):
    mailing_id = queue_to(mail_app, ["a.jansen@partner.test", "geen.postbus@partner.test",
                                     "c.bakker@partner.test"])
    smtp.refuse("geen.postbus@partner.test")

    assert work(mail_app) == counts(verzonden=2, mislukt=1)
    by_recipient = {r["recipient"]: r for r in rows(mail_app, mailing_id)}
    refused = by_recipient.pop("geen.postbus@partner.test")
    assert refused["status"] == "mislukt" and refused["attempts"] == 1
    assert refused["last_error"].startswith("SMTPRecipientsRefused")
    assert "550" in refused["last_error"]
    assert all(r["status"] == "verzonden" for r in by_recipient.values())
    assert sorted(item.message["To"] for item in smtp.received) == sorted(by_recipient)
    for item in smtp.received:
        assert_personal_letter(item.message, by_recipient[item.message["To"]])
    (failure,) = audit(mail_app, "letters.mail_failed")
    assert failure.detail["final"] is True and int(failure.object_id) == refused["id"]

    clock.advance(days=1)
    assert work(mail_app) == counts()
    assert len(smtp.received) == 2


def test_temporarily_refused_recipient_is_retried(mail_app, smtp, clock):
    mailing_id = queue_to(mail_app, ["grijs@partner.test"])
    smtp.refuse("grijs@partner.test", "450 4.7.1 Greylisted, please try again later")

    assert work(mail_app) == counts(opnieuw=1)
    (row,) = rows(mail_app, mailing_id)
    assert row["status"] == "wachtrij" and "450" in row["last_error"]

    smtp.refusals.clear()
    clock.advance(minutes=5)
    assert work(mail_app) == counts(verzonden=1)
    assert [item.message["To"] for item in smtp.received] == ["grijs@partner.test"]


# -- 6. no mail server: .eml files -------------------------------------------------------

def test_without_mail_server_each_message_becomes_an_eml_file(make_app):
    app = make_app()  # MAIL_SERVER "" in the test configuration
    _, mailing_id = queue_mailing(app, 3)
    assert work(app) == counts(verzonden=3)

    folder = Path(app.instance_path) / "outbox"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 3
    by_id = {r["message_id"]: r for r in rows(app, mailing_id)}
    seen = set()
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        row = by_id[message["Message-ID"]]
        assert path.name == row["message_id"].strip("<>").replace("@", "_at_") + ".eml"
        assert message["To"] == row["recipient"] and message["Subject"] == row["subject"]
        assert_personal_letter(message, row)
        seen.add(row["id"])
    assert len(seen) == 3
    sent = rows(app, mailing_id)
    assert all(r["status"] == "verzonden" and r["delivered_as"] == "eml" for r in sent)
    assert {e.detail["via"] for e in audit(app, "letters.mail_sent")} == {"eml"}

    assert work(app) == counts()
    assert len(list(folder.glob("*.eml"))) == 3


# -- 7. AUTH ----------------------------------------------------------------------------

def test_configured_credentials_log_in_and_deliver(make_app, auth_smtp):
    app = make_app(**mail_settings(auth_smtp, MAIL_USERNAME=SMTP_USER,
                                   MAIL_PASSWORD=SMTP_PASSWORD))
    _, mailing_id = queue_mailing(app, 2)
    assert work(app) == counts(verzonden=2)
    assert [item.login for item in auth_smtp.received] == [SMTP_USER, SMTP_USER]
    assert auth_smtp.failed_logins == []
    assert {r["status"] for r in rows(app, mailing_id)} == {"verzonden"}


def test_wrong_password_keeps_the_message_queued_with_the_smtp_error(make_app, auth_smtp):
    wrong = make_app(**mail_settings(auth_smtp, MAIL_USERNAME=SMTP_USER,
                                     MAIL_PASSWORD="verkeerd-wachtwoord"))
    _, mailing_id = queue_mailing(wrong, 1)
    assert work(wrong) == counts(opnieuw=1)
    (row,) = rows(wrong, mailing_id)
    assert row["status"] == "wachtrij" and row["attempts"] == 1
    assert row["last_error"].startswith("SMTPAuthenticationError")
    assert "535" in row["last_error"]
    assert auth_smtp.received == [] and auth_smtp.failed_logins

    # Once the password is put right, the queued message goes out, once.
    fixed = make_app(**mail_settings(auth_smtp, MAIL_USERNAME=SMTP_USER,
                                     MAIL_PASSWORD=SMTP_PASSWORD))
    make_due(fixed, mailing_id)
    assert work(fixed) == counts(verzonden=1)
    assert work(fixed) == counts()
    assert [item.message["To"] for item in auth_smtp.received] == [row["recipient"]]


def test_no_credentials_against_a_server_that_requires_them(make_app, auth_smtp):
    app = make_app(**mail_settings(auth_smtp))
    _, mailing_id = queue_mailing(app, 1)
    assert work(app) == counts(opnieuw=1)
    (row,) = rows(app, mailing_id)
    assert row["status"] == "wachtrij" and "530" in row["last_error"]
    assert auth_smtp.received == []


# -- 8. the progress page ----------------------------------------------------------------

ROW = re.compile(r"<tr><td>(?P<kenmerk>[^<]+)</td><td>(?P<who>[^<]+)</td>\s*"
                 r'<td><span class="status status--(?P<status>\w+)">', re.S)


def page_rows(html: str) -> dict[str, str]:
    """Recipient address -> status shown on the mailing page."""
    return {match["who"].rsplit(", ", 1)[-1]: match["status"] for match in ROW.finditer(html)}


def test_progress_page_counts_statuses_and_refreshes_only_while_pending(mail_app, smtp):
    with mail_app.app_context():
        account = make_user(Role.PROCESREGISSEUR)
        mailing_id = make_mailing(account.id, recipients=3).id
    queued = rows(mail_app, mailing_id)
    browser = mail_app.test_client()
    assert log_in(browser, account).status_code == 302
    url = f"/brieven/verzendingen/{mailing_id}"

    def page() -> str:
        response = browser.get(url)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    html = page()
    assert "0 van 3 verzonden" in html and "3 in de wachtrij" in html and REFRESH in html
    assert page_rows(html) == {r["recipient"]: "wachtrij" for r in queued}

    smtp.stop()
    work(mail_app)
    html = page()
    assert "0 van 3 verzonden" in html and REFRESH in html
    assert page_rows(html) == {r["recipient"]: "wachtrij" for r in queued}
    assert html.count("ConnectionRefusedError") == 3

    smtp.start()
    smtp.refuse(queued[2]["recipient"])
    make_due(mail_app, mailing_id)
    work(mail_app)
    html = page()
    assert "2 van 3 verzonden" in html and "1 mislukt" in html
    assert REFRESH not in html and "ververst vanzelf" not in html
    assert page_rows(html) == {queued[0]["recipient"]: "verzonden",
                               queued[1]["recipient"]: "verzonden",
                               queued[2]["recipient"]: "mislukt"}
    assert "SMTPRecipientsRefused" in html

    # A message a worker is sending right now counts as pending too.
    set_rows(mail_app, [queued[2]["id"]], status="verzenden", claimed_at=utcnow())
    html = page()
    assert "2 van 3 verzonden" in html and REFRESH in html


# -- a finding: the database stays locked while the mail server is talking ----------------

def _writer_probe(app):
    """A separate connection that tries one small write and reports how it went."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 0.3} if sqlite
                           else {"options": "-c lock_timeout=300 -c statement_timeout=2000"})
    outcomes: list[str] = []

    def probe(_envelope):
        try:
            with engine.begin() as connection:
                connection.execute(update(OutboxMessage).where(OutboxMessage.id == -1)
                                   .values(body="x"))
        except Exception as error:  # the outcome is what the test looks at
            outcomes.append(f"{type(error).__name__}: {error}".splitlines()[0])
        else:
            outcomes.append("ok")

    return engine, probe, outcomes


def test_database_is_writable_while_the_mail_server_is_talking(mail_app, smtp):
    _, mailing_id = queue_mailing(mail_app, 1)
    engine, probe, outcomes = _writer_probe(mail_app)
    probe(None)  # control: with no worker running the write goes through
    assert outcomes == ["ok"]
    outcomes.clear()
    smtp.on_data = probe
    try:
        assert work(mail_app) == counts(verzonden=1)
    finally:
        smtp.on_data = None
        engine.dispose()
    assert rows(mail_app, mailing_id)[0]["status"] == "verzonden"
    assert outcomes == ["ok"]


@pytest.mark.skipif(not pdf.available(), reason="LibreOffice (soffice) is niet geïnstalleerd")
def test_mail_carries_the_letter_as_pdf_a_with_a_short_dutch_body(make_app, smtp):
    app = make_app(**mail_settings(smtp), LETTER_MAIL_PDF=True)
    mailing_id = queue_to(app, ["anja@partner.test", "bram@partner.test"])
    assert work(app) == counts(verzonden=2)
    kept = {r["kenmerk"]: r for r in rows(app, mailing_id)}
    for item in smtp.received:
        [attachment] = list(item.message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        filename, content = attachment.get_filename(), attachment.get_content()
        kenmerk = next(k for k in kept if filename == k.replace("/", "-") + ".pdf")
        assert content.startswith(b"%PDF-") and b"pdfaid:part" in content
        body = item.message.get_body(("plain",)).get_content()
        assert body.startswith("Geachte ") and f"kenmerk {kenmerk}" in body
        assert "als PDF" in body and "telefoon 14 024" in body
        assert "Met vriendelijke groet," in body and "Postbus 9105" in body
    with app.app_context():  # the portal keeps the Word letter for editing
        letter = db.session.scalar(select(Letter))
        assert b"".join(storage.stream(letter.storage_key, letter.sha256)).startswith(b"PK")
