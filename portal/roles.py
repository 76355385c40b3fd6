"""The roles of the Stapteam portal and their Dutch names."""

from enum import StrEnum


class Role(StrEnum):
    BEHEERDER = "beheerder"
    CASEMANAGER = "casemanager"
    ERVARINGSDESKUNDIGE = "ervaringsdeskundige"
    PROCESREGISSEUR = "procesregisseur"
    REGISTRATIECONTACTPERSOON = "registratiecontactpersoon"
    DIAGNOSTICUS = "diagnosticus"
    PRIVACYFUNCTIONARIS = "privacyfunctionaris"
    NETWERKPARTNER = "netwerkpartner"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.BEHEERDER: "Functioneel beheerder",
    Role.CASEMANAGER: "Casemanager",
    Role.ERVARINGSDESKUNDIGE: "Ervaringsdeskundige",
    Role.PROCESREGISSEUR: "Procesregisseur",
    Role.REGISTRATIECONTACTPERSOON: "Registratiecontactpersoon",
    Role.DIAGNOSTICUS: "Diagnosticus",
    Role.PRIVACYFUNCTIONARIS: "Privacyfunctionaris",
    Role.NETWERKPARTNER: "Netwerkpartner",
}


class OrganisationKind(StrEnum):
    ZORGAANBIEDER = "zorgaanbieder"
    GEMEENTE = "gemeente"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return {"zorgaanbieder": "Zorgaanbieder", "gemeente": "Gemeente", "partner": "Partner"}[
            self.value
        ]
