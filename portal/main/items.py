"""The building blocks of Vandaag: an item, a list definition, the reader's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import Select, func, select

from portal.auth.models import User
from portal.clients.models import Client, JournalEntry, client_casemanagers
from portal.clock import AMSTERDAM, local_today
from portal.database import utcnow
from portal.roles import Role

LIMIT = 20  # items shown per list; the count covers all of them
@dataclass(frozen=True)
class Item:
    label: str
    url: str | None
    detail: str = ""
    client_id: int | None = None  # for the audit event of the page


@dataclass(frozen=True)
class Context:
    user: User
    today: date
    now: datetime
    quiet_days: int
    recent_days: int

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    @property
    def recent(self) -> datetime:
        return self.now - timedelta(days=self.recent_days)


@dataclass(frozen=True)
class AttentionList:
    key: str
    role: Role
    title: str
    empty: str
    query: Callable[[Context], Select]
    item: Callable[[object, Context], Item]
    counted: bool = True  # False: information (tonight's day passes), not a task


@dataclass
class Section:
    spec: AttentionList
    items: list[Item] = field(default_factory=list)
    count: int = 0


def context_for(user) -> Context:
    cfg = current_app.config
    return Context(user=user, today=local_today(), now=utcnow(),
                   quiet_days=cfg["ATTENTION_QUIET_DAYS"],
                   recent_days=cfg["ATTENTION_RECENT_DAYS"])


def nl_date(day) -> str:
    return day.strftime("%d-%m-%Y") if day else "—"


def nl_datetime(moment) -> str:
    """A stored UTC moment as Nijmegen time."""
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if moment else "—"


def client_url(client: Client) -> str:
    return url_for("clients.detail", ref=client.ref)


def client_label(client: Client) -> str:
    return f"{client.werknaam} ({client.number})"


def mine(user, column=Client.id):
    """The rows of her own clients; pass the row's client column (Traject.client_id) so the
    database reaches them through her assignments instead of scanning the table."""
    return column.in_(select(client_casemanagers.c.client_id)
                      .where(client_casemanagers.c.user_id == user.id))


def last_contact():
    return (select(func.max(JournalEntry.entry_date))
            .where(JournalEntry.client_id == Client.id).scalar_subquery())


