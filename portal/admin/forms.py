"""Forms of the functioneel beheerder: users and organisations."""

from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from portal.forms import DutchForm
from portal.roles import ROLE_LABELS, OrganisationKind


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(DutchForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=120)])
    email = EmailField("E-mailadres", validators=[
        DataRequired("Vul het e-mailadres in."), Length(max=254),
        Email("Vul een geldig e-mailadres in.", check_deliverability=False)])
    organisation_id = SelectField("Organisatie", coerce=int,
                                  validators=[DataRequired("Kies een organisatie.")])
    roles = CheckboxListField(
        "Rollen", choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired("Kies minstens één rol.")],
        description="Een persoon heeft één account; kies alle rollen die zij vervult.")

    def set_organisations(self, organisations) -> None:
        self.organisation_id.choices = [SelectChoice(o.id, o.name) for o in organisations]


class DecisionForm(DutchForm):
    """Approve or reject a proposal; the reason is recorded either way."""

    reason = TextAreaField("Toelichting", validators=[
        DataRequired("Vul een toelichting in: waarom keurt u goed of af?"), Length(max=1000)],
        description="Bijvoorbeeld: nagevraagd bij de leidinggevende dat zij deze rol krijgt.")
    approve = SubmitField("Goedkeuren")
    reject = SubmitField("Afwijzen")


class ActiveForm(DutchForm):
    active = BooleanField("Actief")


class OrganisationForm(DutchForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=120)])
    kind = SelectField("Soort", choices=[SelectChoice(k.value, k.label) for k in OrganisationKind])
