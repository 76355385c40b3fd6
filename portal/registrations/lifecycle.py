"""Registration statuses, the transitions between them and the reasons for ending one."""

from __future__ import annotations

from enum import StrEnum


class RegistrationStatus(StrEnum):
    AANGEVRAAGD = "aangevraagd"
    IN_BEHANDELING = "in_behandeling"
    VERLEEND = "verleend"
    AFGEWEZEN = "afgewezen"
    VERLOPEN = "verlopen"
    INGETROKKEN = "ingetrokken"
    VERVALLEN = "vervallen"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open_request(self) -> bool:
        return self in OPEN_REQUEST_STATUSES

    @property
    def blocks_new_request(self) -> bool:
        """A client with a request pending or a registration granted gets no new request."""
        return self in OPEN_REQUEST_STATUSES or self == RegistrationStatus.VERLEEND


STATUS_LABELS = {
    RegistrationStatus.AANGEVRAAGD: "Aangevraagd",
    RegistrationStatus.IN_BEHANDELING: "In behandeling",
    RegistrationStatus.VERLEEND: "Verleend",
    RegistrationStatus.AFGEWEZEN: "Afgewezen",
    RegistrationStatus.VERLOPEN: "Verlopen",
    RegistrationStatus.INGETROKKEN: "Ingetrokken",
    RegistrationStatus.VERVALLEN: "Vervallen",
}

OPEN_REQUEST_STATUSES = {RegistrationStatus.AANGEVRAAGD, RegistrationStatus.IN_BEHANDELING}
# A registration that was valid and ended: by expiry, revocation or lapse.
ENDED_STATUSES = (RegistrationStatus.VERLOPEN.value, RegistrationStatus.INGETROKKEN.value,
                  RegistrationStatus.VERVALLEN.value)

_S = RegistrationStatus
TRANSITIONS: dict[RegistrationStatus, set[RegistrationStatus]] = {
    _S.AANGEVRAAGD: {_S.IN_BEHANDELING},
    _S.IN_BEHANDELING: {_S.VERLEEND, _S.AFGEWEZEN},
    _S.VERLEEND: {_S.VERLOPEN, _S.INGETROKKEN, _S.VERVALLEN},
    _S.AFGEWEZEN: set(),
    _S.VERLOPEN: set(),
    _S.INGETROKKEN: set(),
    _S.VERVALLEN: set(),
}

# Only the daily job moves a registration to verlopen, the day after its last valid day.
AUTOMATIC_ONLY = {_S.VERLOPEN}

# Statuses from which a renewal (hernieuwing) may be requested.
RENEWABLE = {_S.VERLEEND, _S.VERLOPEN}


def manual_next(status: RegistrationStatus) -> list[RegistrationStatus]:
    """The statuses a user may choose next, in display order."""
    return [s for s in RegistrationStatus
            if s in TRANSITIONS[status] and s not in AUTOMATIC_ONLY]


class RegistrationKind(StrEnum):
    NIEUW = "nieuw"
    HERNIEUWING = "hernieuwing"

    @property
    def label(self) -> str:
        return {"nieuw": "Nieuw", "hernieuwing": "Hernieuwing"}[self.value]


class RevocationReason(StrEnum):
    EIGEN_VERZOEK = "eigen_verzoek"
    VOORWAARDEN = "voorwaarden"
    OVERLIJDEN = "overlijden"
    VERTREK = "vertrek"

    @property
    def label(self) -> str:
        return {"eigen_verzoek": "Op eigen verzoek",
                "voorwaarden": "Niet (meer) voldaan aan de voorwaarden",
                "overlijden": "Overlijden", "vertrek": "Vertrek uit de regio"}[self.value]


class RegistrationMode(StrEnum):
    """The ways of working the beheerder can switch on (REGISTRATION_MODES holds the values)."""

    PERSOONLIJK = "persoonlijk"
    DAGPAS = "dagpas"
