"""Counts per period for the municipality's reports, and their CSV export.

Counts come from the recorded history (the date on which a request, decision or ending took
effect), so a registration granted in March counts in March even if it was revoked later.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.registrations.lifecycle import RegistrationStatus, RevocationReason
from portal.registrations.models import DayPassEvening, Registration, RegistrationEvent
from portal.registrations.services import RENEWED
from portal.templating import local_date

S = RegistrationStatus


@dataclass
class Figures:
    start: date
    end: date
    today: date
    requested: int = 0
    issued: int = 0
    refused: int = 0
    revoked: dict[RevocationReason, int] = field(default_factory=dict)
    expired: int = 0
    lapsed: int = 0
    renewed: int = 0
    valid_now: int = 0
    day_passes: int = 0
    day_pass_evenings: int = 0
    day_pass_busiest: int = 0

    @property
    def revoked_total(self) -> int:
        return sum(self.revoked.values())

    def rows(self) -> list[tuple[str, int]]:
        rows = [("Aangevraagd", self.requested), ("Verleend", self.issued),
                ("Afgewezen", self.refused), ("Ingetrokken (totaal)", self.revoked_total)]
        rows += [(f"Ingetrokken: {reason.label.lower()}", self.revoked.get(reason, 0))
                 for reason in RevocationReason]
        rows += [("Verlopen", self.expired), ("Vervallen", self.lapsed),
                 ("Vervangen door hernieuwing", self.renewed),
                 (f"Geldig op {local_date(self.today)}", self.valid_now),
                 ("Dagpassen uitgereikt", self.day_passes),
                 ("Avonden met dagpassen", self.day_pass_evenings),
                 ("Meeste dagpassen op één avond", self.day_pass_busiest)]
        return rows


def figures_for(start: date, end: date, today: date) -> Figures:
    figures = Figures(start=start, end=end, today=today)
    in_period = (RegistrationEvent.on_date >= start, RegistrationEvent.on_date <= end)
    figures.requested = _count(RegistrationEvent.event == "aanvraag", *in_period)
    transitions = dict(db.session.execute(
        select(RegistrationEvent.to_status, func.count()).where(
            RegistrationEvent.event == "status", *in_period)
        .group_by(RegistrationEvent.to_status)).all())
    figures.issued = transitions.get(S.VERLEEND.value, 0)
    figures.refused = transitions.get(S.AFGEWEZEN.value, 0)
    figures.expired = transitions.get(S.VERLOPEN.value, 0)
    figures.renewed = _count(RegistrationEvent.event == "status",
                             RegistrationEvent.to_status == S.VERVALLEN.value,
                             RegistrationEvent.reason_code == RENEWED, *in_period)
    figures.lapsed = transitions.get(S.VERVALLEN.value, 0) - figures.renewed
    revoked = dict(db.session.execute(
        select(RegistrationEvent.reason_code, func.count()).where(
            RegistrationEvent.event == "status",
            RegistrationEvent.to_status == S.INGETROKKEN.value, *in_period)
        .group_by(RegistrationEvent.reason_code)).all())
    figures.revoked = {reason: revoked.get(reason.value, 0) for reason in RevocationReason}
    figures.valid_now = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.status == S.VERLEEND.value, Registration.valid_from <= today,
        Registration.valid_until >= today))
    passes = db.session.execute(select(
        func.coalesce(func.sum(DayPassEvening.passes), 0),
        func.count().filter(DayPassEvening.passes > 0),
        func.coalesce(func.max(DayPassEvening.passes), 0)).where(
        DayPassEvening.evening >= start, DayPassEvening.evening <= end)).one()
    figures.day_passes, figures.day_pass_evenings, figures.day_pass_busiest = map(int, passes)
    return figures


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(RegistrationEvent)
                             .where(*conditions))


def as_csv(figures: Figures) -> str:
    """Semicolon-separated with a BOM, as Dutch Excel opens it; only fixed labels and numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Periode", f"{local_date(figures.start)} t/m {local_date(figures.end)}"])
    writer.writerow(["Onderdeel", "Aantal"])
    writer.writerows(figures.rows())
    return "\ufeff" + buffer.getvalue()
