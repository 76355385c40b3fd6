"""Forms of the AVG requests register."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.forms import DutchForm
from portal.privacy.models import Decision, RequestKind, RequestStatus
from portal.privacy.requests import CHANNELS

DATE_MESSAGE = "Vul een geldige datum in."


def _choices(pairs, empty="Kies…") -> list[SelectChoice]:
    return [SelectChoice("", empty), *(SelectChoice(value, label) for value, label in pairs)]


class NewRequestForm(DutchForm):
    client_number = StringField("Cliëntnummer", validators=[
        DataRequired("Vul het cliëntnummer in."), Length(max=20)],
        description="Bijvoorbeeld C-2026-0001.")
    kind = SelectField("Soort verzoek", choices=_choices([(k.value, k.label) for k in RequestKind]),
                       validators=[DataRequired("Kies de soort verzoek.")])
    received_on = DateField("Ontvangen op", validators=[InputRequired(DATE_MESSAGE)])
    received_via = SelectField("Ontvangen via", choices=_choices([(c, c) for c in CHANNELS]),
                               validators=[DataRequired("Kies hoe het verzoek binnenkwam.")])
    description = TextAreaField("Wat vraagt zij?", validators=[Optional(), Length(max=4000)],
                                description="In haar woorden, zonder gegevens van anderen.")


class FilterForm(DutchForm):
    class Meta:
        csrf = False

    status = SelectField("Status", choices=_choices([(s.value, s.label) for s in RequestStatus],
                                                    "Alle"), validators=[Optional()])
    kind = SelectField("Soort", choices=_choices([(k.value, k.label) for k in RequestKind],
                                                 "Alle"), validators=[Optional()])
    overdue = SelectField("Termijn", choices=_choices([("ja", "Alleen verstreken")], "Alle"),
                          validators=[Optional()])


class ExtendForm(DutchForm):
    until = DateField("Nieuwe termijn", validators=[InputRequired(DATE_MESSAGE)])
    reason = TextAreaField("Reden van de verlenging", validators=[Optional(), Length(max=2000)])


class ContributeForm(DutchForm):
    note = TextAreaField("Bijdrage van de casemanager", validators=[Optional(), Length(max=4000)])


class DecideForm(DutchForm):
    decision = SelectField("Besluit", choices=_choices([(d.value, d.label) for d in Decision]),
                           validators=[DataRequired("Kies het besluit.")])
    motivation = TextAreaField("Motivering", validators=[Optional(), Length(max=4000)])
    decided_on = DateField("Datum van het besluit", validators=[InputRequired(DATE_MESSAGE)])


class StartForm(DutchForm):
    """Only the CSRF token: taking a request into handling."""


class EraseForm(DutchForm):
    confirm_number = StringField("Typ ter bevestiging het cliëntnummer", validators=[
        DataRequired("Typ het cliëntnummer om te bevestigen dat alles van haar weg mag."),
        Length(max=20)])


class HoldForm(DutchForm):
    client_number = StringField("Cliëntnummer", validators=[
        DataRequired("Vul het cliëntnummer in."), Length(max=20)])
    reason = TextAreaField("Reden", validators=[Optional(), Length(max=2000)],
                           description="Bijvoorbeeld: klacht in behandeling, lopende rechtszaak.")


class LiftForm(DutchForm):
    reason = TextAreaField("Waarom vervalt de bewaarplicht?",
                           validators=[Optional(), Length(max=2000)])


class ActionForm(DutchForm):
    """Only the CSRF token: proposing or executing a destruction list."""


class HoldItemForm(DutchForm):
    reason = TextAreaField("Reden om aan te houden", validators=[Optional(), Length(max=2000)])


class AuthorAnswerForm(DutchForm):
    answer = SelectField("Uw antwoord", choices=_choices([
        ("akkoord", "Akkoord: het rapport gaat mee"),
        ("niet_akkoord", "Niet akkoord")]), validators=[DataRequired("Kies uw antwoord.")])
    note = TextAreaField("Toelichting (verplicht bij niet akkoord)",
                         validators=[Optional(), Length(max=2000)])
