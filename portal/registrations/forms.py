"""Forms of the registration workspace."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import DutchForm
from portal.registrations.lifecycle import RevocationReason

DATE_REQUIRED = "Vul een geldige datum in."


def _date(label: str, **kwargs) -> DateField:
    return DateField(label, validators=[InputRequired(DATE_REQUIRED)], **kwargs)


class RequestForm(DutchForm):
    requested_on = _date("Aanvraagdatum")
    criterion = StringField("Criterium", validators=[Optional(), Length(max=200)],
                            description="Op grond waarvan zij in aanmerking komt.")
    id_check_document = StringField("ID-controle: soort document",
                                    validators=[Optional(), Length(max=60)],
                                    description="Leg alleen vast welk document u zag; maak "
                                                "nooit een kopie.")
    id_check_date = DateField("ID-controle: datum", validators=[Optional()])
    note = TextAreaField("Notitie", validators=[Optional(), Length(max=2000)])
    decision_kenmerk = StringField("Besluit-kenmerk", validators=[Optional(), Length(max=60)])


INTAKE_REASON = "Zij meldt zich voor een registratie voor de tippelzone"


class IntakeForm(DutchForm):
    """A woman applies in person: find her dossier by werknaam and date of birth, or make a
    minimal one; record the ID document seen and why her identity is needed."""

    werknaam = StringField("Werknaam", validators=[DataRequired("Vul de werknaam in."),
                                                   Length(max=80)])
    date_of_birth = _date("Geboortedatum")
    legal_name = StringField("Officiële naam", validators=[Optional(), Length(max=160)],
                             description="Zoals op het ID-bewijs. Alleen nodig als er nog geen "
                                         "dossier is.")
    applied_on = _date("Datum van de aanmelding")
    id_check_document = StringField(
        "ID-controle: soort document",
        validators=[DataRequired("Vul in welk ID-bewijs u zag."), Length(max=60)],
        description="Bijvoorbeeld paspoort, identiteitskaart of verblijfsdocument. Leg alleen "
                    "vast welk document u zag; maak nooit een kopie.")
    id_check_date = _date("ID-controle: datum")
    reason = StringField("Reden", validators=[DataRequired("Vul de reden in."),
                                              Length(max=200)],
                         description="Waarom u haar identiteit nodig hebt.")

    SEARCH_FIELDS = ("werknaam", "date_of_birth")


class ProcessingForm(DutchForm):
    on = _date("Datum")
    note = StringField("Toelichting", validators=[Optional(), Length(max=200)])


class GrantForm(DutchForm):
    decided_on = _date("Besluitdatum")
    decision_kenmerk = StringField("Besluit-kenmerk", validators=[Optional(), Length(max=60)])
    valid_from = DateField("Ingangsdatum", validators=[Optional()],
                           description="Leeg: de besluitdatum.")
    valid_until = DateField("Geldig tot en met", validators=[Optional()],
                            description="Leeg: de standaardgeldigheid vanaf de ingangsdatum.")
    reason = StringField("Toelichting", validators=[Optional(), Length(max=200)])


class RefuseForm(DutchForm):
    decided_on = _date("Besluitdatum")
    decision_kenmerk = StringField("Besluit-kenmerk", validators=[Optional(), Length(max=60)])
    reason = TextAreaField("Reden van de afwijzing", validators=[
        DataRequired("Geef de reden van de afwijzing."), Length(max=500)])


class RevokeForm(DutchForm):
    on = _date("Datum van intrekking")
    reason = RadioField("Reden", choices=[SelectChoice(r.value, r.label)
                                          for r in RevocationReason],
                        validators=[InputRequired("Kies de reden van de intrekking.")])
    explanation = StringField("Toelichting", validators=[Optional(), Length(max=200)])
    pass_returned = BooleanField("De pas is op deze datum ingeleverd")


class LapseForm(DutchForm):
    on = _date("Datum")
    reason = TextAreaField("Reden", validators=[
        DataRequired("Geef de reden waarom de registratie vervalt."), Length(max=500)])


class PassForm(DutchForm):
    on = _date("Datum")


class DayPassForm(DutchForm):
    evening = _date("Avond")
    passes = IntegerField("Aantal uitgereikte dagpassen", validators=[
        InputRequired("Vul het aantal uitgereikte dagpassen in."),
        NumberRange(min=0, message="Vul een aantal van nul of meer in.")])


class SettingsForm(DutchForm):
    personal_mode = BooleanField("Persoonlijke registraties (met naam en registratienummer)")
    day_pass_mode = BooleanField("Anonieme dagpassen (alleen aantallen per avond)")
    day_pass_max = IntegerField("Maximum aantal dagpassen per avond", validators=[
        InputRequired("Vul het maximum aantal dagpassen in."),
        NumberRange(min=1, max=500, message="Kies een aantal tussen 1 en 500.")])
    validity_months = IntegerField("Standaardgeldigheid (maanden)", validators=[
        InputRequired("Vul de geldigheid in maanden in."),
        NumberRange(min=1, max=60, message="Kies tussen 1 en 60 maanden.")])
    reminder_days = IntegerField("Herinnering vooraf (dagen)", validators=[
        InputRequired("Vul het aantal dagen in."),
        NumberRange(min=1, max=365, message="Kies tussen 1 en 365 dagen.")])
