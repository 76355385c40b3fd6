"""The audit-chain check started from the audit page: a job that runs the same check as the
nightly run and `flask portal audit-verify` (portal.checks.run_chain_check), keeps its result
as a CheckRun and records the head to store elsewhere in the chain itself."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal import checks, jobs
from portal.audit.models import Action, AuditEvent, Outcome
from portal.audit.services import chain_head, record
from portal.extensions import db

HEAD_PATTERN = re.compile(r"^([1-9][0-9]{0,17}):([0-9a-f]{64})$")


def parse_head(text: str) -> tuple[int, str] | None:
    """A stored head 'SEQ:HASH' as the check prints it, or None."""
    match = HEAD_PATTERN.match((text or "").strip().lower())
    return (int(match.group(1)), match.group(2)) if match else None


def anchor_problems(expected: tuple[int, str] | None) -> list[str]:
    if expected is None:
        return []
    seq, digest = expected
    stored = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
    if stored != digest:
        return [f"bewaard eindpunt {seq} ontbreekt of is gewijzigd (gebeurtenissen gewist?)"]
    return []


@jobs.task()
def verify_chain_job(user_id: int, expected: tuple[int, str] | None = None) -> int:
    """Run the chain check for the privacyfunctionaris; returns the CheckRun id."""
    from portal.auth.models import User

    head = chain_head()
    run = checks.run_chain_check(extra=anchor_problems(expected))
    record("audit.chain_checked", Action.EXECUTE,
           outcome=Outcome.SUCCESS if run.ok else Outcome.FAILURE,
           object_type="check_runs", object_id=run.id, user=db.session.get(User, user_id),
           detail={"checked": run.checked, "problems": run.problems,
                   "head": f"{head[0]}:{head[1]}" if head else None,
                   "expected_seq": expected[0] if expected else None})
    db.session.commit()
    return run.id
