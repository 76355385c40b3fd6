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
    S.VERLEEND: "Wij hebben besloten u een registratie voor de tippelzone te geven. Neem uw "
                "registratiepas mee als u op de tippelzone werkt.",
    S.AFGEWEZEN: "Wij hebben besloten uw aanvraag af te wijzen. Bent u het hier niet mee eens? "
                 "Dan kunt u binnen zes weken bezwaar maken.",
    S.INGETROKKEN: "Uw registratie voor de tippelzone is ingetrokken. Lever uw registratiepas "
                   "in als u dat nog niet heeft gedaan.",
    S.VERLOPEN: "Uw registratie voor de tippelzone is verlopen. Wilt u verder? Vraag dan een "
                "hernieuwing aan.",
    S.VERVALLEN: "Uw registratie voor de tippelzone is vervallen.",
}


def letter_defaults(registration: Registration) -> dict:
    """Form defaults (letter_form_class names: subject, f_<field>) for this registration."""
    status = registration.status_enum
    subject = f"{SUBJECTS[status]} ({registration.number})"
    return {"subject": subject, "f_onderwerp": SUBJECTS[status], "f_besluit": BODIES[status]}
