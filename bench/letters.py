"""Generate letters from the built-in Informatiebrief; print letters per second next to plain
docxtpl doing the same rendering in the same run.

    .venv/bin/python bench/letters.py [count]      (default: 200)

"Portal" is the whole path per letter: kenmerk from the locked sequence, sandboxed rendering,
encryption into the file store, Letter and OutboxMessage rows (services.send_to_list).
"docxtpl" renders the same template with plain DocxTemplate.render and saves to memory.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from contextlib import redirect_stderr
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxtpl import DocxTemplate  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.documents import storage  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.letters import (  # noqa: E402
    housestyle,
    pdf,
    services,  # noqa: E402
)
from portal.letters.models import Letter, LetterTemplate  # noqa: E402
from portal.letters.templates import ensure_builtin_templates, template_bytes  # noqa: E402
from portal.roles import Role  # noqa: E402
from tests.conftest import base_config  # noqa: E402
from tests.factories import INFORMATIEBRIEF_VALUES, make_partner_list, make_user  # noqa: E402


def plain_docxtpl(template: bytes, count: int) -> float:
    house = housestyle.context()  # the same house-style values the portal puts in
    started = time.perf_counter()
    for number in range(count):
        document = DocxTemplate(io.BytesIO(template))
        document.render({**INFORMATIEBRIEF_VALUES, **house, "kenmerk": f"STAP/2026/{number:04d}",
                         "datum": "22 november 2026", "uw_kenmerk": "", "huisstijl_logo": "",
                         "behandelaar": {"naam": "Petra"}, "aanhef": f"Geachte Contact {number}",
                         "adres": f"Contact {number}\nPartner",
                         "ontvanger": {"naam": f"Contact {number}", "organisatie": "Partner"}})
        document.save(io.BytesIO())
    return count / (time.perf_counter() - started)


def pdf_rate(letter: bytes, count: int) -> float | None:
    """Letters per second through LibreOffice headless (PDF/A-2b), when it is installed."""
    if not pdf.available():
        return None
    started = time.perf_counter()
    for _ in range(count):
        pdf.to_pdf(letter)
    return count / (time.perf_counter() - started)


def portal_mailing(count: int) -> float:
    sender = db.session.get(User, make_user(Role.PROCESREGISSEUR).id)
    recipients = make_partner_list(count)
    template = db.session.scalar(select(LetterTemplate).where(
        LetterTemplate.builtin_key == "informatiebrief-stapteam"))
    started = time.perf_counter()
    services.send_to_list(sender, services.MailingRequest(
        version=template.current, values=INFORMATIEBRIEF_VALUES, subject="Stapteam 2.0",
        distribution_list=recipients))
    return count / (time.perf_counter() - started)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        # The mailing is timed without its delivery (the worker converts and sends later).
        app = create_app({**base_config(root, f"sqlite:///{root / 'bench.db'}"),
                          "JOBS_IMMEDIATE": False})
        with app.app_context():
            with open(os.devnull, "w") as quiet, redirect_stderr(quiet):
                upgrade(directory=app.extensions["migrate"].directory)
            ensure_builtin_templates()
            template = db.session.scalar(select(LetterTemplate).where(
                LetterTemplate.builtin_key == "informatiebrief-stapteam"))
            raw = template_bytes(template.current)
            baseline = plain_docxtpl(raw, count)
            portal = portal_mailing(count)
            letter = db.session.scalar(select(Letter).order_by(Letter.id).limit(1))
            converted = pdf_rate(b"".join(storage.stream(letter.storage_key, letter.sha256)),
                                 min(count, 10))
    print(f"{count} letters from the built-in Informatiebrief Stapteam 2.0")
    print(f"  plain docxtpl (render + save in memory): {baseline:7.1f} letters/s")
    print(f"  portal (sandboxed render, house style, intake check, kenmerk, encrypted store, "
          f"rows): {portal:7.1f} letters/s")
    print(f"  portal / docxtpl: {portal / baseline:.2f}")
    if converted is None:
        print("  PDF (LibreOffice): not installed, skipped")
    else:
        print(f"  PDF/A-2b through LibreOffice headless (as the outbox does): {converted:7.2f} "
              "letters/s")


if __name__ == "__main__":
    main()
