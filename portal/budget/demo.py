"""Fictional budget for the demo (portal/demo.py): the subsidy "Stapteam Nijmegen 2025–2026"
with € 653.503 begroot, invoices on fixed dates and two flexbudget trajecten, so that the
overview reads as a closing report would: € 653.503 begroot, € 97.074 resterend (the time-out
voorziening a little overspent)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.budget import services
from portal.budget.models import BudgetPost, Subsidy
from portal.clock import local_today
from portal.extensions import db

NAME = "Stapteam Nijmegen 2025–2026"
BEGROTING = {"casemanagement": "520000", "flexbudget": "40000", "time-out": "45000",
             "instroomwoning": "30000", "activiteiten": "12000", "overig": "6503"}
INVOICES = [  # (date, post code, amount, description): all invented
    (date(2025, 12, 15), "casemanagement", "130000.00", "Casemanagement Iriszorg 2025"),
    (date(2025, 12, 15), "casemanagement", "125000.00", "Casemanagement Leger des Heils 2025"),
    (date(2025, 12, 20), "time-out", "24600.00", "Time-outbedden 2025"),
    (date(2025, 12, 20), "instroomwoning", "14400.00", "Huur instroomwoning 2025"),
    (date(2025, 11, 3), "activiteiten", "4250.00", "Huiskamer en groepsactiviteiten 2025"),
    (date(2025, 10, 8), "overig", "2000.00", "Scholing traumasensitief werken"),
    (date(2026, 7, 10), "casemanagement", "67500.00", "Casemanagement Iriszorg 1e halfjaar"),
    (date(2026, 7, 10), "casemanagement", "62500.00",
     "Casemanagement Leger des Heils 1e halfjaar"),
    (date(2026, 10, 15), "casemanagement", "44750.00", "Casemanagement Iriszorg 3e kwartaal"),
    (date(2026, 10, 15), "casemanagement", "42250.00",
     "Casemanagement Leger des Heils 3e kwartaal"),
    (date(2026, 10, 1), "time-out", "21900.00", "Time-outbedden januari–september 2026"),
    (date(2026, 10, 1), "instroomwoning", "11500.00", "Huur instroomwoning 2026"),
    (date(2026, 9, 30), "activiteiten", "3779.00", "Zomeractiviteiten 2026"),
]
FLEXBUDGETS = [  # (client, start, amount, purpose, finished on)
    ("Roos", date(2026, 3, 2), "1250.00", "Achterstand zorgverzekering", date(2026, 4, 1)),
    ("Jet", date(2026, 5, 11), "750.00", "Inrichting instroomwoning", None),
]


def seed_demo_budget(procesregisseur, casemanager, clients: dict) -> None:
    """The subsidy, its invoices (those not dated after today) and two flexbudget trajecten.
    Nothing when the posts are missing or the subsidy exists already."""
    posts = {p.code: p.id for p in db.session.scalars(select(BudgetPost))}
    if not set(BEGROTING) <= set(posts) or db.session.scalar(
            select(Subsidy).where(Subsidy.name == NAME)):
        return
    subsidy = services.save_subsidy(None, procesregisseur, services.SubsidyData(
        name=NAME, funder="Gemeente Nijmegen", start_date=date(2025, 1, 1),
        end_date=date(2026, 12, 31), note="Uitvoering Stapteam door Iriszorg en Leger des "
        "Heils met procesregie van het Zorg- en Veiligheidshuis.",
        amounts={posts[code]: Decimal(amount) for code, amount in BEGROTING.items()}))
    for day, code, amount, description in INVOICES:
        if day <= local_today():
            services.add_entry(subsidy, procesregisseur, services.EntryData(
                post_id=posts[code], invoice_date=day, amount=Decimal(amount),
                description=description))
    _seed_flexbudgets(casemanager, clients)


def _seed_flexbudgets(casemanager, clients: dict) -> None:
    from portal.clients import services as client_services
    from portal.clients.lifecycle import TrajectKind, TrajectStatus

    for name, start, amount, purpose, finished in FLEXBUDGETS:
        if name not in clients or start > local_today():
            continue
        traject = client_services.add_traject(clients[name], casemanager,
                                              client_services.TrajectRequest(
            kind=TrajectKind.FLEXBUDGET, start_date=start, amount=Decimal(amount),
            purpose=purpose, approved_by="Pieter Janssen (procesregie)"))
        client_services.change_traject_status(traject, TrajectStatus.LOPEND, start)
        if finished is not None and finished <= local_today():
            client_services.change_traject_status(traject, TrajectStatus.AFGEROND, finished)
