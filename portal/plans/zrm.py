"""Recording a ZRM assessment: every domain of the current version scored with a whole number
of its levels, or marked "niet gescoord" with a reason; the ZRM's 30-day rule on the
information an assessment rests on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.clock import local_today
from portal.extensions import db
from portal.plans.models import Assessment, AssessmentScore, ZrmVersion
from portal.refusal import DomainError
from portal.transactions import service

MAX_INFORMATION_AGE_DAYS = 30  # the ZRM rule: score on information of at most 30 days old
NOT_SCORED = "ng"


@dataclass(frozen=True)
class DomainEntry:
    """What the form says about one domain: a score, or "niet gescoord" with a reason."""

    domain_id: int
    score: int | None
    not_scored_reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class AssessmentData:
    assessed_on: date
    information_on: date
    client_took_part: bool
    entries: tuple[DomainEntry, ...]
    accept_old_information: bool = False


def current_version() -> ZrmVersion | None:
    return db.session.scalar(select(ZrmVersion).where(ZrmVersion.current.is_(True))
                             .order_by(ZrmVersion.id.desc()).limit(1))


def information_too_old(assessed_on: date | None, information_on: date | None) -> bool:
    return (assessed_on is not None and information_on is not None
            and (assessed_on - information_on).days > MAX_INFORMATION_AGE_DAYS)


@service
def record_assessment(actor, client, data: AssessmentData) -> Assessment:
    """Store one assessment with a row per domain, and its audit event, in one commit."""
    version = current_version()
    if version is None:
        raise DomainError("Er is geen ZRM-versie ingesteld; vraag de beheerder.")
    _check_dates(data)
    scores = _scores(version, data.entries)
    assessment = Assessment(client_id=client.id, version_id=version.id,
                            assessed_on=data.assessed_on, information_on=data.information_on,
                            assessed_by_id=actor.id, client_took_part=data.client_took_part,
                            scores=scores)
    db.session.add(assessment)
    db.session.flush()
    record("plans.zrm_recorded", Action.CREATE, object_type="zrm_assessment",
           object_id=assessment.id, client_id=client.id, user=actor,
           detail={"version": version.code, "assessed_on": data.assessed_on.isoformat(),
                   "scored": sum(1 for s in scores if s.score is not None)})
    db.session.commit()
    return assessment


def _check_dates(data: AssessmentData) -> None:
    if data.assessed_on > local_today():
        raise DomainError("Een meting kan niet in de toekomst liggen.", field="assessed_on")
    if data.information_on > data.assessed_on:
        raise DomainError("De informatie kan niet van na de meetdatum zijn.",
                          field="information_on")
    if information_too_old(data.assessed_on, data.information_on) and \
            not data.accept_old_information:
        raise DomainError(
            f"De meetdatum ligt meer dan {MAX_INFORMATION_AGE_DAYS} dagen na de informatie "
            "waarop de meting rust. Volgens de ZRM is de meting dan minder betrouwbaar: "
            "verzamel nieuwe informatie, of bevestig dat je toch wilt opslaan.",
            field="information_on")


def _scores(version: ZrmVersion, entries: tuple[DomainEntry, ...]) -> list[AssessmentScore]:
    """One score row per domain of the version, each checked; anything else is refused."""
    by_domain = {entry.domain_id: entry for entry in entries}
    if len(by_domain) != len(entries) or set(by_domain) != {d.id for d in version.domains}:
        raise DomainError("Vul voor elk domein van de ZRM een score in of kies 'niet "
                          "gescoord'.")
    scale = {level.score for level in version.levels}
    rows = []
    for domain in version.domains:
        entry = by_domain[domain.id]
        rows.append(_score_row(domain, entry, scale))
    return rows


def _score_row(domain, entry: DomainEntry, scale: set[int]) -> AssessmentScore:
    reason = (entry.not_scored_reason or "").strip() or None
    note = (entry.note or "").strip() or None
    if entry.score is None:
        if reason is None:
            raise DomainError(f"{domain.name}: geef een reden waarom dit domein niet is "
                              "gescoord.", field=f"reason_{domain.id}")
        return AssessmentScore(domain_id=domain.id, score=None, not_scored_reason=reason,
                               note=note)
    if isinstance(entry.score, bool) or not isinstance(entry.score, int) or \
            entry.score not in scale:
        raise DomainError(f"{domain.name}: kies een hele score van {min(scale)} tot en met "
                          f"{max(scale)}, of 'niet gescoord'.", field=f"score_{domain.id}")
    if reason is not None:
        raise DomainError(f"{domain.name}: een reden voor 'niet gescoord' hoort niet bij een "
                          "score.", field=f"reason_{domain.id}")
    return AssessmentScore(domain_id=domain.id, score=entry.score, note=note)
