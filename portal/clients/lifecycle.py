"""Client statuses, trajectory kinds and the transitions the team may make between them."""

from __future__ import annotations

from enum import StrEnum


class ClientStatus(StrEnum):
    AANGEMELD = "aangemeld"
    ACTIEF = "actief"
    MONITORING = "monitoring"
    OVERGEDRAGEN_REGULIER = "overgedragen_regulier"
    OVERGEDRAGEN_GEMEENTE = "overgedragen_andere_gemeente"
    AFGESLOTEN = "afgesloten"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_handover(self) -> bool:
        return self in HANDOVER_STATUSES


STATUS_LABELS = {
    ClientStatus.AANGEMELD: "Aangemeld",
    ClientStatus.ACTIEF: "Actief (caseload Stapteam)",
    ClientStatus.MONITORING: "Monitoring (procesregie)",
    ClientStatus.OVERGEDRAGEN_REGULIER: "Overgedragen regulier",
    ClientStatus.OVERGEDRAGEN_GEMEENTE: "Overgedragen andere gemeente",
    ClientStatus.AFGESLOTEN: "Afgesloten",
}

HANDOVER_STATUSES = {ClientStatus.OVERGEDRAGEN_REGULIER, ClientStatus.OVERGEDRAGEN_GEMEENTE}
OPEN_STATUSES = {ClientStatus.AANGEMELD, ClientStatus.ACTIEF, ClientStatus.MONITORING}

_S = ClientStatus
STATUS_TRANSITIONS: dict[ClientStatus, set[ClientStatus]] = {
    _S.AANGEMELD: {_S.ACTIEF, _S.AFGESLOTEN},
    _S.ACTIEF: {_S.MONITORING, _S.OVERGEDRAGEN_REGULIER, _S.OVERGEDRAGEN_GEMEENTE, _S.AFGESLOTEN},
    _S.MONITORING: {_S.ACTIEF, _S.OVERGEDRAGEN_REGULIER, _S.OVERGEDRAGEN_GEMEENTE,
                    _S.AFGESLOTEN},
    _S.OVERGEDRAGEN_REGULIER: {_S.ACTIEF, _S.AFGESLOTEN},
    _S.OVERGEDRAGEN_GEMEENTE: {_S.ACTIEF, _S.AFGESLOTEN},
    _S.AFGESLOTEN: {_S.ACTIEF},  # heropenen
}


def allowed_next(status: ClientStatus) -> list[ClientStatus]:
    return [s for s in ClientStatus if s in STATUS_TRANSITIONS[status]]


class TrajectKind(StrEnum):
    TIME_OUT = "time-out"
    INSTROOMWONING = "instroomwoning"
    DIAGNOSTIEK = "diagnostiek"
    FLEXBUDGET = "flexbudget"

    @property
    def label(self) -> str:
        return {"time-out": "Time-out", "instroomwoning": "Instroomwoning",
                "diagnostiek": "Diagnostiek", "flexbudget": "Flexbudget"}[self.value]


class TrajectStatus(StrEnum):
    VOORGESTELD = "voorgesteld"
    LOPEND = "lopend"
    AFGEROND = "afgerond"
    AFGEBROKEN = "afgebroken"

    @property
    def label(self) -> str:
        return self.value.capitalize()


TRAJECT_TRANSITIONS = {
    TrajectStatus.VOORGESTELD: {TrajectStatus.LOPEND, TrajectStatus.AFGEBROKEN},
    TrajectStatus.LOPEND: {TrajectStatus.AFGEROND, TrajectStatus.AFGEBROKEN},
    TrajectStatus.AFGEROND: set(),
    TrajectStatus.AFGEBROKEN: set(),
}


class Woonsituatie(StrEnum):
    ZELFSTANDIG = "zelfstandig"
    OPVANG = "maatschappelijke_opvang"
    DAKLOOS = "dakloos"
    BRIEFADRES = "briefadres"

    @property
    def label(self) -> str:
        return {"zelfstandig": "Zelfstandig", "maatschappelijke_opvang": "Maatschappelijke opvang",
                "dakloos": "Dakloos", "briefadres": "Briefadres"}[self.value]
