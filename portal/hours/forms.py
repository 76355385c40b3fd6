"""Forms of the hours pages: an entry (full and the dossier's quick form post the same
fields), deleting with a reason, an activity kind, a target and the period of the figures."""

from __future__ import annotations

from wtforms import DateField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import TextInput

from portal.fields import DutchNumberField
from portal.forms import DutchForm
from portal.hours.durations import format_duration, parse_duration
from portal.hours.models import SCOPES

DATE_MESSAGE = "Vul een geldige datum in."
DATE_ATTRS = {"max": "2199-12-31"}
GRAINS = {"week": "Per week", "maand": "Per maand", "kwartaal": "Per kwartaal"}


class DurationField(Field):
    """A duration typed as 90, 1:30 or 1,5 uur; `data` is whole minutes or None."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"autocomplete": "off", "inputmode": "text", "size": 8,
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            self.data = parse_duration(str(valuelist[0]))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format_duration(self.data)


class EntryForm(DutchForm):
    work_date = DateField("Datum", validators=[InputRequired(DATE_MESSAGE)],
                          render_kw=DATE_ATTRS)
    duration = DurationField("Duur", validators=[InputRequired("Vul de duur in.")],
                             description="In minuten (90), uren en minuten (1:30) of uren "
                                         "(1,5 uur); hoogstens 24 uur.")
    kind_id = SelectField("Soort activiteit", validate_choice=False,
                          validators=[DataRequired("Kies een soort activiteit.")])
    client = SelectField("Cliënt of teamtijd", validate_choice=False,
                         validators=[Optional()])
    note = StringField("Korte notitie (alleen voor uzelf)", validators=[
        Optional(), Length(max=200, message="Hoogstens 200 tekens.")],
        description="Geen gevoelige details; procesregie ziet alleen de totalen.")
    reason = TextAreaField("Reden (alleen bij boeken of wijzigen na de termijn)", validators=[
        Optional(), Length(max=1000, message="Hoogstens 1000 tekens.")], render_kw={"rows": 2})
    back = HiddenField(validators=[Optional()])

    def set_choices(self, kinds, clients) -> None:
        self.kind_id.choices = [SelectChoice("", "Kies een soort")] + [
            SelectChoice(str(k.id), k.name + ("" if k.active else " (niet meer in gebruik)"))
            for k in kinds]
        self.client.choices = [SelectChoice("", "Teamtijd (geen cliënt)")] + [
            SelectChoice(c.ref, f"{c.werknaam} · {c.number}") for c in clients]
        allowed = [str(k.id) for k in kinds]
        self.kind_id.validators = [DataRequired("Kies een soort activiteit."),
                                   AnyOf(allowed, message="Kies een soort activiteit uit de "
                                                          "lijst.")]
        refs = [""] + [c.ref for c in clients]
        self.client.validators = [Optional(), AnyOf(refs, message="Kies een cliënt uit de "
                                                                  "lijst, of teamtijd.")]


class DeleteForm(DutchForm):
    reason = TextAreaField("Reden", validators=[
        Optional(), Length(max=1000, message="Hoogstens 1000 tekens.")], render_kw={"rows": 2})


class KindForm(DutchForm):
    name = StringField("Naam", validators=[DataRequired("Vul een naam in."), Length(
        max=80, message="Hoogstens 80 tekens.")])
    scope = SelectField("Geldt voor", choices=[SelectChoice(k, v) for k, v in SCOPES.items()],
                        default="beide",
                        validators=[AnyOf(list(SCOPES), message="Kies waarvoor de soort "
                                                                "geldt.")])


class TargetForm(DutchForm):
    organisation_id = SelectField("Organisatie", validate_choice=False,
                                  validators=[DataRequired("Kies een zorgaanbieder.")])
    valid_from = DateField("Geldt vanaf", validators=[InputRequired(DATE_MESSAGE)],
                           render_kw=DATE_ATTRS)
    valid_until = DateField("Geldt tot en met", validators=[Optional()], render_kw=DATE_ATTRS,
                            description="Leeg: tot er een nieuwe norm komt.")
    weekly_hours = DutchNumberField("Gesubsidieerde uren casemanagement per week", maximum=1000,
                                    validators=[InputRequired("Vul het aantal uren in.")])
    hours_per_client = DutchNumberField("Verwachte uren per cliënt per week", maximum=40,
                                        validators=[InputRequired("Vul het aantal uren in.")])
    note = StringField("Toelichting (bijvoorbeeld de subsidiebeschikking)", validators=[
        Optional(), Length(max=200, message="Hoogstens 200 tekens.")])

    def set_organisations(self, organisations) -> None:
        self.organisation_id.choices = [SelectChoice("", "Kies een zorgaanbieder")] + [
            SelectChoice(str(o.id), o.name) for o in organisations]


class PeriodForm(DutchForm):
    """GET form: the period (and for the realisation the grain) of the figures."""

    class Meta:
        csrf = False
        locales = ["nl"]

    van = DateField("Van", validators=[Optional()], render_kw=DATE_ATTRS)
    tot = DateField("Tot en met", validators=[Optional()], render_kw=DATE_ATTRS)
    per = SelectField("Indeling", choices=[SelectChoice(k, v) for k, v in GRAINS.items()],
                      default="week",
                      validators=[Optional()], validate_choice=False)
