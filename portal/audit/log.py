"""Reading the audit log: filters that either work or say in Dutch why not, and objects named
by what the privacyfunctionaris may see (client number, document kind, registration number;
never content, never a client's name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import false, or_, select

from portal.audit.labels import AREA_LABELS, EVENT_LABELS, OUTCOME_LABELS, object_label
from portal.audit.models import ACTION_LABELS, AuditEvent
from portal.auth.models import Organisation, User
from portal.clients.models import Client
from portal.clock import AMSTERDAM
from portal.converters import parse_day
from portal.documents.models import Document, DocumentKind
from portal.extensions import db
from portal.registrations.models import Registration
from portal.roles import Role

FILTER_KEYS = ("client", "persoon", "rol", "organisatie", "gebeurtenis", "actie", "uitkomst",
               "van", "tot")
MAX_FILTER_LENGTH = 80


@dataclass
class LogFilter:
    """The filters as typed (`values`), the conditions that apply, and why others do not."""

    values: dict
    conditions: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    client: Client | None = None

    @property
    def active(self) -> dict:
        return {key: value for key, value in self.values.items() if value}


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_client(number: str) -> Client | None:
    text = (number or "").strip().upper()
    if not text or len(text) > 20:
        return None
    return db.session.scalar(select(Client).where(Client.number == text))


def _client(result: LogFilter, text: str) -> None:
    client = find_client(text)
    if client is None:
        result.problems.append(
            f"Er is geen cliënt met nummer “{text}”. Typ een cliëntnummer zoals C-2026-0001; "
            "er worden geen gebeurtenissen getoond.")
        result.conditions.append(false())
        return
    result.client = client
    result.conditions.append(AuditEvent.client_id == client.id)


def _person(text: str):
    """Part of her e-mail address (as recorded) or of her name (as the account has it now)."""
    pattern = _like(text)
    named = select(User.id).where(User.name.ilike(pattern, escape="\\"))
    return or_(AuditEvent.user_name.ilike(pattern, escape="\\"), AuditEvent.user_id.in_(named))


def _role(result: LogFilter, text: str) -> None:
    if text not in {role.value for role in Role}:
        result.problems.append("Kies een rol uit de lijst; op rol is niet gefilterd.")
        return
    column = AuditEvent.role
    result.conditions.append(or_(column == text, column.like(f"{text},%"),
                                 column.like(f"%,{text}"), column.like(f"%,{text},%")))


def _organisation(result: LogFilter, text: str) -> None:
    result.conditions.append(AuditEvent.organisation == text)
    if text not in organisation_names():
        result.problems.append(f"Er is geen organisatie “{text}” bekend; alleen gebeurtenissen "
                               "met precies deze naam worden getoond.")


def _event(result: LogFilter, text: str) -> None:
    if text in EVENT_LABELS:
        result.conditions.append(AuditEvent.event == text)
    elif text in AREA_LABELS:
        result.conditions.append(AuditEvent.event.like(f"{text}.%"))
    else:
        result.problems.append("Kies een soort gebeurtenis uit de lijst; daarop is niet "
                               "gefilterd.")


def _choice(result: LogFilter, text: str, column, allowed, name: str) -> None:
    if text in allowed:
        result.conditions.append(column == text)
    else:
        result.problems.append(f"Kies een {name} uit de lijst; daarop is niet gefilterd.")


def _day(result: LogFilter, key: str, label: str) -> date | None:
    text = result.values[key]
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        result.problems.append(f"“{label}” is geen datum tussen 1900 en 2199 (zoals 2026-03-31); "
                               "daarop is niet gefilterd.")
    return day


def _period(result: LogFilter) -> None:
    start, end = _day(result, "van", "Van"), _day(result, "tot", "Tot en met")
    if start and end and start > end:
        result.problems.append("“Van” ligt na “Tot en met”; er is niet op periode gefilterd.")
        return
    if start:
        result.conditions.append(AuditEvent.occurred_at >= day_start(start))
    if end:
        result.conditions.append(AuditEvent.occurred_at < day_start(end) + timedelta(days=1))


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=AMSTERDAM)  # her day, not UTC's


def parse_filters(args) -> LogFilter:
    values = {key: str(args.get(key, "")).strip()[:MAX_FILTER_LENGTH] for key in FILTER_KEYS}
    result = LogFilter(values)
    if values["client"]:
        _client(result, values["client"])
    if values["persoon"]:
        result.conditions.append(_person(values["persoon"]))
    if values["rol"]:
        _role(result, values["rol"])
    if values["organisatie"]:
        _organisation(result, values["organisatie"])
    if values["gebeurtenis"]:
        _event(result, values["gebeurtenis"])
    if values["actie"]:
        _choice(result, values["actie"], AuditEvent.action, ACTION_LABELS, "actie")
    if values["uitkomst"]:
        _choice(result, values["uitkomst"], AuditEvent.outcome, OUTCOME_LABELS, "uitkomst")
    _period(result)
    return result


def event_query(log_filter: LogFilter, newest_first: bool = True):
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    return select(AuditEvent).where(*log_filter.conditions).order_by(order)


def organisation_names() -> list[str]:
    return list(db.session.scalars(select(Organisation.name).order_by(Organisation.name)))


def _ids(events, object_type: str) -> tuple[set[int], set[str]]:
    values = {e.object_id for e in events if e.object_type == object_type and e.object_id}
    numbers = {int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 12}
    return numbers, values


def _documents(events) -> dict[str, str]:
    numbers, refs = _ids(events, "document")
    if not refs:
        return {}
    rows = db.session.execute(select(Document.id, Document.ref, Document.kind).where(
        or_(Document.id.in_(numbers), Document.ref.in_(refs)))).all()
    kinds = {}
    for row in rows:
        label = DocumentKind(row.kind).label if row.kind in DocumentKind._value2member_map_ \
            else row.kind
        kinds[str(row.id)] = kinds[row.ref] = label
    return kinds


def _registrations(events) -> dict[str, str]:
    numbers, refs = _ids(events, "registration")
    if not refs:
        return {}
    rows = db.session.execute(select(Registration.id, Registration.ref, Registration.number)
                              .where(or_(Registration.id.in_(numbers),
                                         Registration.ref.in_(refs)))).all()
    found = {}
    for row in rows:
        found[str(row.id)] = found[row.ref] = row.number
    return found


def _accounts(events) -> dict[str, str]:
    """Accounts (objects of beheer events) by their e-mail address, as the log shows people."""
    numbers, _ = _ids(events, "user")
    if not numbers:
        return {}
    return {str(row.id): row.email for row in db.session.execute(
        select(User.id, User.email).where(User.id.in_(numbers)))}


def client_numbers(events) -> dict[int, str]:
    ids = {e.client_id for e in events if e.client_id}
    if not ids:
        return {}
    return {row.id: row.number for row in db.session.execute(
        select(Client.id, Client.number).where(Client.id.in_(ids)))}


@dataclass(frozen=True)
class EventRow:
    """One event as the privacyfunctionaris reads it."""

    event: AuditEvent
    what: str
    client_number: str


def describe(events) -> list[EventRow]:
    """Rows with objects named by client number, document kind or registration number, in a
    fixed number of queries per page."""
    numbers = client_numbers(events)
    names = {"document": _documents(events), "registration": _registrations(events),
             "user": _accounts(events)}
    rows = []
    for event in events:
        number = numbers.get(event.client_id, "") if event.client_id else ""
        rows.append(EventRow(event, _object_name(event, number, names), number))
    return rows


def _object_name(event, number: str, names: dict) -> str:
    label = object_label(event.object_type)
    documents, registrations = names["document"], names["registration"]
    if event.object_type == "user" and event.object_id in names["user"]:
        return f"{label} {names['user'][event.object_id]}"
    if event.object_type == "client":
        return f"{label} {number}".strip() if number else label
    if event.object_type == "document" and event.object_id in documents:
        return f"{label}: {documents[event.object_id].lower()}"
    if event.object_type == "registration" and event.object_id in registrations:
        return f"{label} {registrations[event.object_id]}"
    if event.object_type == "route" and event.object_id:
        return f"{label} {event.object_id}"
    return label


def staff_names(events) -> dict[int, str]:
    ids = {e.user_id for e in events if e.user_id}
    if not ids:
        return {}
    return {row.id: row.name for row in db.session.execute(
        select(User.id, User.name).where(User.id.in_(ids)))}
