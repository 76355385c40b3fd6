"""Demo requests of the AVG register: an inzage near its term, an extended verwijdering,
a correctie the casemanager contributed to and a handled bezwaar."""

from __future__ import annotations

from datetime import timedelta

from portal.clock import local_today
from portal.privacy import requests as register
from portal.privacy.models import Decision, RequestKind


def seed_demo_requests(staff: dict, clients: dict) -> None:
    officer = staff["privacy@demo.stapportaal.nl"]
    carla = staff["casemanager@demo.stapportaal.nl"]
    today = local_today()

    def new(werknaam: str, kind: RequestKind, days_ago: int, via: str, text: str):
        return register.register(officer, register.NewRequest(
            client_number=clients[werknaam].number, kind=kind,
            received_on=today - timedelta(days=days_ago), received_via=via, description=text))

    inzage = new("Roos", RequestKind.INZAGE, 26, "via de casemanager",
                 "Zij wil zien wat er over haar is vastgelegd en wie haar dossier heeft bekeken.")
    register.start(inzage)
    register.contribute(inzage, carla, "Zij wil het pakket op papier, bij een afspraak op "
                                       "het inloophuis.")
    erasure = new("Jet", RequestKind.VERWIJDERING, 20, "schriftelijk",
                  "Zij vraagt haar oude aanmelding en de brieven te verwijderen.")
    register.start(erasure)
    register.extend(erasure, erasure.deadline + timedelta(days=30),
                    "Er lopen een registratie en een diagnostiektraject; de bewaarplicht "
                    "wordt per stuk nagegaan.")
    new("Lina", RequestKind.CORRECTIE, 3, "mondeling",
        "Het telefoonnummer in haar dossier is niet meer van haar.")
    bezwaar = new("Roos", RequestKind.BEZWAAR, 40, "e-mail",
                  "Bezwaar tegen het delen van haar gegevens met de woningcorporatie.")
    register.decide(bezwaar, officer, Decision.TOEGEWEZEN,
                    "Er wordt niets gedeeld met de woningcorporatie zonder haar toestemming; "
                    "dat is vastgelegd in haar dossier.", today - timedelta(days=12))
