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
from portal.extensions import db  # noqa: E402
from portal.letters import services  # noqa: E402
from portal.letters.models import LetterTemplate  # noqa: E402
from portal.letters.templates import ensure_builtin_templates, template_bytes  # noqa: E402
from portal.roles import Role  # noqa: E402
from tests.conftest import base_config  # noqa: E402
from tests.factories import INFORMATIEBRIEF_VALUES, make_partner_list, make_user  # noqa: E402


def plain_docxtpl(template: bytes, count: int) -> float:
    started = time.perf_counter()
    for number in range(count):
        document = DocxTemplate(io.BytesIO(template))
        document.render({**INFORMATIEBRIEF_VALUES, "kenmerk": f"STAP/2026/{number:04d}",
                         "datum": "22 november 2026",
                         "ontvanger": {"naam": f"Contact {number}", "organisatie": "Partner"}})
        document.save(io.BytesIO())
    return count / (time.perf_counter() - started)


def portal_mailing(count: int) -> float:
    sender = make_user(Role.PROCESREGISSEUR)
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
        app = create_app(base_config(root, f"sqlite:///{root / 'bench.db'}"))
        with app.app_context():
            with open(os.devnull, "w") as quiet, redirect_stderr(quiet):
                upgrade(directory=app.extensions["migrate"].directory)
            ensure_builtin_templates()
            template = db.session.scalar(select(LetterTemplate).where(
                LetterTemplate.builtin_key == "informatiebrief-stapteam"))
            raw = template_bytes(template.current)
            baseline = plain_docxtpl(raw, count)
            portal = portal_mailing(count)
    print(f"{count} letters from the built-in Informatiebrief Stapteam 2.0")
    print(f"  plain docxtpl (render + save in memory): {baseline:7.1f} letters/s")
    print(f"  portal (sandboxed render, kenmerk, encrypted store, rows): {portal:7.1f} letters/s")
    print(f"  portal / docxtpl: {portal / baseline:.2f}")


if __name__ == "__main__":
    main()
