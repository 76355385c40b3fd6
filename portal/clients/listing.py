"""The rows of the client lists (caseload, team overview): what each column shows, decided
once per row in Python from what the list query loaded and the reader's access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal import access
from portal.clients.lifecycle import ClientStatus, TrajectStatus
from portal.clients.models import Client
from portal.clients.services import quiet_since
from portal.templating import local_date

UNDER_WAY = {ClientStatus.AANGEMELD.value, ClientStatus.ACTIEF.value}


@dataclass(frozen=True)
class ListRow:
    client: Client
    casemanagers: str  # their names, or "—"
    running: str  # the kinds of her visible running trajecten, or "—"
    attention: list[str] = field(default_factory=list)  # the Aandacht column's lines


def shown_rows(user, rows) -> list[ListRow]:
    """One ListRow per row of queries.list_rows, in the same order."""
    since = quiet_since()
    return [_list_row(user, row, since) for row in rows]


def _list_row(user, row, since: date) -> ListRow:
    client = row.Client
    trajecten = access.visible_trajecten(user, client)
    running = [t.kind_label for t in trajecten if t.status == TrajectStatus.LOPEND]
    proposed = sum(1 for t in trajecten if t.status == TrajectStatus.VOORGESTELD)
    return ListRow(client, ", ".join(u.name for u in client.casemanagers) or "—",
                   ", ".join(running) or "—", _attention(user, row, proposed, since))


def _attention(user, row, proposed: int, since: date) -> list[str]:
    client = row.Client
    lines = []
    if client.status == ClientStatus.AANGEMELD.value:
        lines.append("Intake nog doen")
    if proposed:
        lines.append(f"{proposed} voorgesteld{'e' if proposed > 1 else ''} "
                     f"traject{'en' if proposed > 1 else ''}")
    if (row.registration_ends or row.registration_ended) and \
            access.can_see_registration_status(user, client):
        if row.registration_ends:
            lines.append(f"Registratie loopt af op {local_date(row.registration_ends)}")
        if row.registration_ended:
            lines.append(f"Registratie beëindigd op {local_date(row.registration_ended)}")
    if client.status in UNDER_WAY and (not row.last_contact or row.last_contact < since):
        last = local_date(row.last_contact) if row.last_contact else "aanmelding"
        lines.append(f"Geen contact sinds {last}")
    return lines
