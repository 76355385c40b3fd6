"""Forms for aanmeldingen en signalen and their triage."""

from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import DutchForm
from portal.referrals.models import ReferralKind, TriageOutcome


class ReferralForm(DutchForm):
    kind = SelectField("Soort", choices=[SelectChoice(k.value, k.label) for k in ReferralKind],
                       description="Een aanmelding vraagt om ondersteuning door het Stapteam; "
                                   "een signaal meldt een zorg.")
    werknaam = StringField("Werknaam of roepnaam van de vrouw",
                           validators=[Optional(), Length(max=80)],
                           description="Geen officiële naam of BSN.")
    client_number = StringField("Cliëntnummer (als zij al bekend is)",
                                validators=[Optional(), Length(max=20)])
    aanleiding = TextAreaField("Aanleiding", validators=[DataRequired("Beschrijf de aanleiding."),
                                                         Length(max=4000)])
    doel = TextAreaField("Doel of vraag", validators=[DataRequired("Beschrijf het doel of de "
                                                                   "vraag."), Length(max=4000)])
    partners_involved = StringField("Betrokken partners", validators=[Optional(),
                                                                      Length(max=255)])


class TriageForm(DutchForm):
    outcome = SelectField("Uitkomst", choices=[SelectChoice("", "Kies…")] + [
        SelectChoice(o.value, o.label) for o in TriageOutcome],
        validators=[DataRequired("Kies de uitkomst van de triage.")])
    note = TextAreaField("Toelichting", validators=[Optional(), Length(max=4000)])


class ToClientForm(DutchForm):
    """Triage that opens a dossier: who takes her on."""

    casemanager_ids = SelectMultipleField("Casemanager(s) die haar oppakken", coerce=int,
                                          validators=[Optional()])

    def set_staff(self, casemanagers) -> None:
        self.casemanager_ids.choices = [SelectChoice(u.id, u.name) for u in casemanagers]
