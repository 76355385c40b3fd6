"""Working the outbox: claim a due message, send it (SMTP or .eml), record the result.

A message is claimed (status verzenden) in its own commit before the mail server is
contacted, so two workers never send it twice. A claim older than CLAIM_TIMEOUT means a worker
died mid-send: it may or may not have gone out, so it is marked mislukt with that reason
instead of being sent again.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from portal.audit.models import Action, Outcome
from portal.audit.services import record
from portal.database import utcnow
from portal.documents import storage
from portal.extensions import db
from portal.letters import pdf
from portal.letters.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=10)
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)


def new_message_id() -> str:
    """A unique Message-ID in the sender's domain, fixed when the message is queued."""
    domain = current_app.config["MAIL_FROM"].rsplit("@", 1)[-1]
    return f"<{secrets.token_hex(16)}@{domain}>"


def smtp_configured() -> bool:
    return bool(current_app.config["MAIL_SERVER"])


def deliver_due(limit: int = 200) -> dict[str, int]:
    """Send every message that is due; returns counts per outcome. Safe to run anywhere."""
    _give_up_abandoned_claims()
    due = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.WACHTRIJ.value,
                                       OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.id).limit(limit)).all()
    db.session.commit()
    counts = {"verzonden": 0, "opnieuw": 0, "mislukt": 0}
    for message_id in due:
        if _claim(message_id):
            counts[_send_claimed(message_id)] += 1
    return counts


def _claim(message_id: int) -> bool:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id,
               OutboxMessage.status == OutboxStatus.WACHTRIJ.value)
        .values(status=OutboxStatus.VERZENDEN.value, claimed_at=utcnow(),
                attempts=OutboxMessage.attempts + 1)).rowcount
    db.session.commit()
    return claimed == 1


def _send_claimed(message_id: int) -> str:
    message = db.session.get(OutboxMessage, message_id)
    try:
        email = build_email(message)
    except storage.StorageError as error:
        return _failed(message, error, permanent=True)
    except pdf.ConversionError as error:  # LibreOffice hiccup: try again later
        return _failed(message, error)
    db.session.commit()  # hold no transaction (SQLite: no write lock) while the server talks
    try:
        delivered_as = _deliver(email, message)
    except (OSError, smtplib.SMTPException) as error:
        return _failed(message, error)
    message.status, message.sent_at = OutboxStatus.VERZONDEN.value, utcnow()
    message.delivered_as, message.last_error = delivered_as, None
    kenmerk = message.letter.kenmerk if message.letter else None
    record("letters.mail_sent", Action.EXECUTE, object_type="outbox_message",
           object_id=message.id, detail={"letter": kenmerk, "via": delivered_as}, user=None)
    db.session.commit()
    return "verzonden"


def _refused_for_good(error: Exception) -> bool:
    """A recipient refused with a 5xx reply (a 4xx, such as greylisting, is retried)."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values())


def _failed(message: OutboxMessage, error: Exception, permanent: bool = False) -> str:
    reason = f"{type(error).__name__}: {error}"[:500]
    permanent = permanent or _refused_for_good(error) or \
        message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    message.last_error = reason
    if permanent:
        message.status = OutboxStatus.MISLUKT.value
    else:
        message.status = OutboxStatus.WACHTRIJ.value
        delay = min(FIRST_RETRY * 2 ** (message.attempts - 1), LAST_RETRY)
        message.next_attempt_at = utcnow() + delay
    record("letters.mail_failed", Action.EXECUTE, outcome=Outcome.FAILURE,
           object_type="outbox_message", object_id=message.id,
           detail={"reason": reason, "final": permanent}, user=None)
    db.session.commit()
    log.warning("outbox message %s failed (%s): %s", message.id,
                "final" if permanent else "will retry", reason)
    return "mislukt" if permanent else "opnieuw"


def _give_up_abandoned_claims() -> None:
    stale = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.VERZENDEN.value,
        OutboxMessage.claimed_at < utcnow() - CLAIM_TIMEOUT)).all()
    for message in stale:
        message.status = OutboxStatus.MISLUKT.value
        message.last_error = ("Verzending onderbroken; het is onbekend of het bericht is "
                              "aangekomen. Controleer dit en verstuur zo nodig opnieuw.")
        record("letters.mail_failed", Action.EXECUTE, outcome=Outcome.FAILURE,
               object_type="outbox_message", object_id=message.id,
               detail={"reason": "onderbroken", "final": True}, user=None)
    db.session.commit()


def build_email(message: OutboxMessage) -> EmailMessage:
    cfg = current_app.config
    letter = message.letter
    email = EmailMessage()
    email["From"], email["To"] = cfg["MAIL_FROM"], message.recipient
    email["Subject"], email["Message-ID"] = message.subject, message.message_id
    email["Date"] = formatdate(localtime=True)
    email.set_content(message.body)
    if letter is None:
        return email
    content = b"".join(storage.stream(letter.storage_key, letter.sha256))
    name = letter.kenmerk.replace("/", "-")
    if pdf.for_mail(current_app.config):  # a PDF/A leaves the house; the .docx stays here
        email.add_attachment(pdf.to_pdf(content, current_app.instance_path),
                             maintype="application", subtype="pdf", filename=f"{name}.pdf")
    else:
        email.add_attachment(
            content, maintype="application",
            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename=f"{name}.docx")
    for item in letter.attachments:  # the library's PDFs, checked when they were added
        email.add_attachment(b"".join(storage.stream(item.storage_key, item.sha256)),
                             maintype="application", subtype="pdf", filename=item.filename)
    return email


def _deliver(email: EmailMessage, message: OutboxMessage) -> str:
    if not smtp_configured():
        folder = Path(current_app.instance_path) / "outbox"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = message.message_id.strip("<>").replace("@", "_at_") + ".eml"
        (folder / name).write_bytes(bytes(email))
        return "eml"
    cfg = current_app.config
    # A fixed HELO name: no DNS lookup of our own host name on a closed network.
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30,
                      local_hostname="stapportaal.local") as smtp:
        if cfg["MAIL_USE_STARTTLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(email)
    return "smtp"
