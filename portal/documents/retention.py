"""Documents past their retention date (set per document at upload: diagnostics reports 20
years after the last change, other dossier content 15 years after closing). Nothing is
destroyed here: these are what waits for the privacyfunctionaris' destruction decision."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, func, select

from portal.clients.models import Client
from portal.documents.models import Document


def past_retention(today: date):
    """SQL condition: a live document whose retention date has passed."""
    return and_(Document.deleted_at.is_(None), Document.retention_until < today)


def retention_overview(today: date) -> Select:
    """Per client number and kind: how many documents and since when (one statement)."""
    oldest = func.min(Document.retention_until)
    return (select(Client.number, Document.kind, func.count(Document.id).label("documents"),
                   oldest.label("oldest"))
            .join(Client, Client.id == Document.client_id)
            .where(past_retention(today))
            .group_by(Client.number, Document.kind).order_by(oldest, Client.number,
                                                              Document.kind))
