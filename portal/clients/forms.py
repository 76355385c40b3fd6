"""Forms of the client dossier: client data, status, trajecten and journaal."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from portal.clients.lifecycle import ClientStatus, TrajectKind, TrajectStatus, Woonsituatie
from portal.fields import AmountField
from portal.forms import DutchForm

DATE_MESSAGE = "Vul een geldige datum in."
CLIENT_DATA_FIELDS = {"werknaam", "legal_name", "date_of_birth", "preferred_language", "phone",
                      "woonsituatie", "id_check_document", "id_check_date", "letters_to",
                      "postal_address", "salutation"}
LETTER_ADDRESS_MESSAGE = "Vul het eigen postadres in, of kies p/a het Stapteam."
FLEXBUDGET_MAX = 25_000  # euro; more than this for one flexbudget is a typing error
ID_CHECK_MESSAGE = "Vul bij een ID-controle zowel het soort document als de datum in."


def _choices(pairs, empty: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice("", empty)] if empty is not None else []
    return options + [SelectChoice(str(value), label) for value, label in pairs]


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class ClientForm(DutchForm):
    werknaam = StringField("Werknaam of roepnaam", validators=[
        DataRequired("Vul een werknaam of roepnaam in."), Length(max=80)],
        description="Deze naam staat in alle lijsten.")
    legal_name = StringField("Officiële naam", validators=[Optional(), Length(max=160)],
                             description="Alleen zichtbaar voor wie die nodig heeft.")
    date_of_birth = DateField("Geboortedatum", validators=[Optional()],
                              render_kw={"max": "2100-01-01"})
    preferred_language = StringField("Voorkeurstaal", default="Nederlands",
                                     validators=[DataRequired("Vul de voorkeurstaal in."),
                                                 Length(max=40)])
    phone = StringField("Telefoon", validators=[
        Optional(), Length(max=30),
        Regexp(r"^[0-9+() -]*$", message="Gebruik alleen cijfers, spaties en + ( ) -.")])
    woonsituatie = SelectField("Woonsituatie", choices=_choices(
        [(w.value, w.label) for w in Woonsituatie], "Onbekend"), validators=[Optional()])
    id_check_document = StringField("ID-controle: soort document",
                                    validators=[Optional(), Length(max=60)],
                                    description="Leg alleen vast welk document is gezien; "
                                                "maak nooit een kopie.")
    id_check_date = DateField("ID-controle: datum", validators=[Optional()])
    letters_to = RadioField("Adres voor brieven", default="team", validators=[Optional()],
                            choices=_choices([("team", "p/a het Stapteam"),
                                              ("eigen", "Eigen postadres")]),
                            description="Zij kiest waar haar brieven heen gaan.")
    postal_address = TextAreaField("Eigen postadres", validators=[Optional(), Length(max=300)],
                                   description="Straat en huisnummer, postcode en plaats, "
                                               "elk op een eigen regel.")
    salutation = StringField("Aanhef in brieven", validators=[Optional(), Length(max=120)],
                             description="Zoals zij aangesproken wil worden, bijvoorbeeld "
                                         "‘Beste Roos’ of ‘Geachte mevrouw Jansen’.")
    casemanager_ids = SelectMultipleField("Casemanager(s)", coerce=int,
                                          validators=[Optional()])
    ervaringsdeskundige_id = SelectField("Ervaringsdeskundige", coerce=optional_int,
                                         validators=[Optional()])

    def set_staff(self, casemanagers, ervaringsdeskundigen) -> None:
        self.casemanager_ids.choices = _choices([(u.id, u.name) for u in casemanagers])
        self.ervaringsdeskundige_id.choices = _choices(
            [(u.id, u.name) for u in ervaringsdeskundigen], "Geen")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if "letters_to" in self and self.letters_to.data == "eigen" and not (
                self.postal_address.data or "").strip():
            self.postal_address.errors = [*self.postal_address.errors, LETTER_ADDRESS_MESSAGE]
            valid = False
        if "id_check_date" not in self:
            return valid
        # Checked here, not per field: Optional() would skip the check for an empty date.
        if bool(self.id_check_date.data) != bool((self.id_check_document.data or "").strip()):
            self.id_check_date.errors = [*self.id_check_date.errors, ID_CHECK_MESSAGE]
            return False
        return valid

    def limit_to(self, editable: set[str], assignment: bool) -> None:
        """Drop the fields this user may not fill (they are neither shown nor saved)."""
        for name in CLIENT_DATA_FIELDS - editable:
            delattr(self, name)
        if not assignment:
            delattr(self, "casemanager_ids")
            delattr(self, "ervaringsdeskundige_id")

    def client_fields(self) -> dict:
        fields = {name: getattr(self, name).data or None for name in CLIENT_DATA_FIELDS
                  if name in self}
        if "letters_to" in fields and fields["letters_to"] is None:
            del fields["letters_to"]  # not chosen on this form: the address choice stays
        return fields

    def assignment(self) -> dict:
        if "casemanager_ids" not in self:
            return {}
        return {"casemanager_ids": self.casemanager_ids.data,
                "ervaringsdeskundige_id": self.ervaringsdeskundige_id.data}


class StatusForm(DutchForm):
    # validate_choice off: a status that is no longer allowed (stale page) reaches the service,
    # which explains which transition is refused.
    to_status = SelectField("Nieuwe status", validate_choice=False,
                            validators=[DataRequired("Kies de nieuwe status."),
                                        AnyOf([s.value for s in ClientStatus],
                                              message="Kies de nieuwe status.")])
    changed_on = DateField("Datum", validators=[InputRequired(DATE_MESSAGE)])
    reason = TextAreaField("Reden", validators=[DataRequired("Geef een reden."),
                                                Length(max=2000)])
    receiving_party = StringField("Ontvangende organisatie of gemeente",
                                  validators=[Optional(), Length(max=160)],
                                  description="Alleen bij een overdracht.")
    warm_handover = RadioField("Warme overdracht", choices=_choices(
        [("ja", "Ja"), ("nee", "Nee")]), validators=[Optional()],
        description="Alleen bij een overdracht.")


class TrajectForm(DutchForm):
    kind = SelectField("Soort traject", choices=_choices([(k.value, k.label)
                                                          for k in TrajectKind]))
    provider = StringField("Aanbieder", validators=[Optional(), Length(max=120)])
    responsible_id = SelectField("Verantwoordelijk", coerce=optional_int, validators=[Optional()])
    diagnosticus_id = SelectField("Diagnosticus (bij diagnostiek)", coerce=optional_int,
                                  validators=[Optional()])
    start_date = DateField("Startdatum", validators=[Optional()])
    amount = AmountField("Bedrag in euro (bij flexbudget)", maximum=FLEXBUDGET_MAX,
                         validators=[Optional()],
                         description="Bijvoorbeeld 250,50 of 1.250,00.")
    purpose = StringField("Doel (bij flexbudget)", validators=[Optional(), Length(max=255)])
    approved_by = StringField("Goedgekeurd door (bij flexbudget)",
                              validators=[Optional(), Length(max=120)])
    note = TextAreaField("Toelichting", validators=[Optional(), Length(max=2000)])

    def set_kinds(self, kinds) -> None:
        self.kind.choices = _choices([(k.value, k.label) for k in kinds])

    def set_staff(self, responsible, diagnostici) -> None:
        self.responsible_id.choices = _choices([(u.id, u.name) for u in responsible], "Ikzelf")
        self.diagnosticus_id.choices = _choices([(u.id, u.name) for u in diagnostici], "—")


class TrajectStatusForm(DutchForm):
    status = SelectField("Nieuwe status", choices=_choices(
        [(s.value, s.label) for s in TrajectStatus if s != TrajectStatus.VOORGESTELD]))
    changed_on = DateField("Datum", validators=[InputRequired(DATE_MESSAGE)])


class JournalForm(DutchForm):
    entry_date = DateField("Datum van het contact", validators=[InputRequired(DATE_MESSAGE)])
    text = TextAreaField("Notitie", validators=[DataRequired("Schrijf een notitie."),
                                                Length(max=10000)])
    confidential = BooleanField("Vertrouwelijk: alleen zichtbaar voor mij en de toegewezen "
                                "casemanager(s)")


class HandoverForm(DutchForm):
    casemanager_ids = SelectMultipleField("Casemanager(s)", coerce=int, validators=[Optional()])
    ervaringsdeskundige_id = SelectField("Ervaringsdeskundige", coerce=optional_int,
                                         validators=[Optional()])
    note = TextAreaField("Toelichting", validators=[
        DataRequired("Schrijf kort waarom de toewijzing verandert."), Length(max=2000)],
        description="Komt in de geschiedenis van het dossier; de betrokkenen krijgen een "
                    "melding zonder deze tekst.")

    def set_staff(self, casemanagers, ervaringsdeskundigen) -> None:
        self.casemanager_ids.choices = _choices([(u.id, u.name) for u in casemanagers])
        self.ervaringsdeskundige_id.choices = _choices(
            [(u.id, u.name) for u in ervaringsdeskundigen], "Geen")
