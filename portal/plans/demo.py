"""Fictional ZRM assessments and a plan van aanpak for the demo dossiers (portal/demo.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import Organisation
from portal.clock import local_today
from portal.extensions import db
from portal.plans import services
from portal.plans.zrm import AssessmentData, DomainEntry, current_version, record_assessment

# Scores in the order of the ZRM 2017 domains; None: not scored (with a reason).
ROOS_FIRST = (1, 2, 2, 1, 3, 2, 3, 2, 4, 2, 1, 2, None)
ROOS_LATEST = (3, 2, 3, 2, 3, 3, 3, 2, 4, 3, 2, 2, 4)
LINA_FIRST = (2, 1, 2, 1, 2, 2, 2, 3, 4, 2, 2, 1, 3)


def _assess(actor, client, days_ago: int, scores, note: str) -> None:
    version = current_version()
    day = local_today() - timedelta(days=days_ago)
    entries = tuple(
        DomainEntry(domain.id, score, None if score is not None else "Niet besproken",
                    note if position == 0 else None)
        for position, (domain, score) in enumerate(zip(version.domains, scores, strict=True)))
    record_assessment(actor, client, AssessmentData(
        assessed_on=day, information_on=day - timedelta(days=3), client_took_part=True,
        entries=entries))


def seed_demo_plans(carla, lotte, esra, clients: dict) -> None:
    """Roos: two assessments three months apart and a vastgesteld plan with an evaluation;
    Lina: one assessment long enough ago that her reassessment is due. Nothing when the
    database holds no ZRM version."""
    version = current_version()
    if version is None:
        return
    roos, lina = clients["Roos"], clients["Lina"]
    _assess(carla, roos, 95, ROOS_FIRST, "Schulden bij drie schuldeisers, post blijft dicht.")
    _assess(carla, roos, 4, ROOS_LATEST, "Afbetalingsregeling loopt; post wordt geopend.")
    _assess(lotte, lina, 100, LINA_FIRST, "Geen inkomen; wil graag een uitkering aanvragen.")
    finance, housing = version.domains[0].id, version.domains[3].id
    services.save_goal(carla, roos, None, services.GoalData(
        finance, "Ik wil geen post meer van deurwaarders.",
        "Schulden in beeld en een regeling met alle schuldeisers."))
    services.save_goal(carla, roos, None, services.GoalData(
        housing, "Een eigen kamer waar ik rust heb.",
        "Doorstroom van de opvang naar een instroomwoning."))
    plan = services.latest_version(roos)
    ggd = db.session.scalar(select(Organisation).where(
        Organisation.name == "GGD Gelderland-Zuid"))
    services.save_action(carla, roos, None, services.ActionData(
        plan.goals[0].id, "Samen de post doornemen", f"gebruiker:{esra.id}",
        local_today() + timedelta(days=14), "lopend"))
    if ggd is not None:
        services.save_action(carla, roos, None, services.ActionData(
            plan.goals[1].id, "Aanmelding instroomwoning bespreken", f"organisatie:{ggd.id}",
            local_today() + timedelta(days=30), "open"))
    services.fix_version(carla, roos, local_today() - timedelta(days=3))
    action = services.latest_version(roos).goals[0].actions[0]
    services.add_evaluation(esra, roos, action, services.EvaluationData(
        local_today() - timedelta(days=1), "Twee brieven samen geopend en geordend.",
        "Volgende week de rest van de stapel."))
