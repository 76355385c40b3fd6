"""The nightly checks of file store and audit chain, and where their results are kept.

`flask portal check-storage` and `flask portal audit-verify` run the same checks by hand; each
run is stored so the beheerder sees the last result on Vandaag without reading a log.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from portal import jobs
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.transactions import service


class CheckKind(StrEnum):
    OPSLAG = "opslag"
    AUDITKETEN = "auditketen"

    @property
    def label(self) -> str:
        return {"opslag": "Controle van de bestandsopslag",
                "auditketen": "Controle van de auditketen"}[self.value]


class CheckRun(db.Model):
    __tablename__ = "check_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    checked: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")

    @property
    def kind_label(self) -> str:
        return CheckKind(self.kind).label


@service
def record_run(kind: CheckKind, *, checked: int, problems: list[str]) -> CheckRun:
    """Keep the outcome of one check; the first problems are kept as its summary."""
    run = CheckRun(kind=kind.value, ok=not problems, checked=checked, problems=len(problems),
                   summary="\n".join(problems[:20]))
    db.session.add(run)
    db.session.commit()
    return run


def latest_runs():
    """The newest run of each kind (a statement for Vandaag)."""
    newest = (select(CheckRun.kind, func.max(CheckRun.id).label("id"))
              .group_by(CheckRun.kind).subquery())
    return (select(CheckRun).join(newest, newest.c.id == CheckRun.id)
            .order_by(CheckRun.ok, CheckRun.kind))


def storage_problems() -> tuple[int, list[str]]:
    from portal.documents.integrity import check_storage

    report = check_storage()
    problems = [f"{title}: {item}" for title, items in (
        ("Ontbrekende bestanden", report.missing),
        ("Bestanden zonder databaserij", report.orphans),
        ("Controlegetal klopt niet", report.mismatched),
        ("Niet te ontsleutelen", report.undecryptable),
        ("Onvoltooide tijdelijke bestanden", report.unfinished)) for item in items]
    return report.checked, problems


def chain_problems() -> tuple[int, list[str]]:
    from portal.audit.services import verify_chain

    checked, problems = verify_chain()
    return checked, [f"{problem.message} (volgnummer {problem.seq})" for problem in problems]


def run_storage_check() -> CheckRun:
    checked, problems = storage_problems()
    return record_run(CheckKind.OPSLAG, checked=checked, problems=problems)


def run_chain_check(extra: list[str] = ()) -> CheckRun:
    checked, problems = chain_problems()
    return record_run(CheckKind.AUDITKETEN, checked=checked, problems=[*problems, *extra])


@jobs.periodic(hour="4", minute="0")
def nightly_checks() -> None:
    run_storage_check()
    run_chain_check()
