"""Suggested wording for registration letters, by the registration's status; always editable."""

from __future__ import annotations

from portal.registrations.lifecycle import RegistrationStatus
from portal.registrations.models import Registration

S = RegistrationStatus

SUBJECTS = {
    S.AANGEVRAAGD: "Bevestiging van uw aanvraag",
    S.IN_BEHANDELING: "Bevestiging van uw aanvraag",
    S.VERLEEND: "Besluit op uw aanvraag: registratie verleend",
    S.AFGEWEZEN: "Besluit op uw aanvraag: registratie afgewezen",
    S.INGETROKKEN: "Bevestiging van de intrekking van uw registratie",
    S.VERLOPEN: "Uw registratie is verlopen",
    S.VERVALLEN: "Uw registratie is vervallen",
}

BODIES = {
    S.AANGEVRAAGD: "Wij hebben uw aanvraag voor een registratie voor de tippelzone ontvangen. "
                   "Wij laten u weten wat wij besluiten.",
    S.IN_BEHANDELING: "Wij hebben uw aanvraag voor een registratie voor de tippelzone ontvangen "
                      "en zijn ermee bezig. Wij laten u weten wat wij besluiten.",
    S.VERLEEND: "U heeft een registratie voor de tippelzone aangevraagd. In deze brief leest u "
                "ons besluit: u krijgt de registratie.",
    S.AFGEWEZEN: "U heeft een registratie voor de tippelzone aangevraagd. In deze brief leest "
                 "u ons besluit en waarom wij zo hebben besloten.",
    S.INGETROKKEN: "In deze brief leest u dat wij uw registratie voor de tippelzone intrekken, "
                   "vanaf wanneer en waarom.",
    S.VERLOPEN: "Met deze brief laten wij u weten dat uw registratie voor de tippelzone is "
                "verlopen.",
    S.VERVALLEN: "Uw registratie voor de tippelzone is vervallen.",
}

def letter_defaults(registration: Registration) -> dict:
    """Form defaults (letter_form_class names: subject, f_<field>) for this registration."""
    status = registration.status_enum
    subject = f"{SUBJECTS[status]} ({registration.number})"
    return {"subject": subject, "f_onderwerp": SUBJECTS[status], "f_besluit": BODIES[status]}
