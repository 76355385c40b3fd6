"""Forms of the functioneel beheerder: users and organisations."""

from wtforms import BooleanField, EmailField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from portal.auth.forms import NewPasswordMixin
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


class NewUserForm(NewPasswordMixin, UserForm):
    """Creating a user also sets a first password that she must change at first login."""

    def policy_subject(self) -> tuple[str, str]:
        return self.email.data or "", self.name.data or ""


class TemporaryPasswordForm(NewPasswordMixin, DutchForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def policy_subject(self) -> tuple[str, str]:
        return self._user.email, self._user.name


class ActiveForm(DutchForm):
    active = BooleanField("Actief")


class OrganisationForm(DutchForm):
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=120)])
    kind = SelectField("Soort", choices=[SelectChoice(k.value, k.label) for k in OrganisationKind])
