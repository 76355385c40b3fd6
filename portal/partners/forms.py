"""Forms for partner contacts and distribution lists."""

from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.admin.forms import CheckboxListField
from portal.forms import DutchForm


class ContactForm(DutchForm):
    organisation_id = SelectField("Organisatie", coerce=int,
                                  validators=[DataRequired("Kies een organisatie.")])
    name = StringField("Naam", validators=[DataRequired("Vul de naam in."), Length(max=120)])
    email = EmailField("E-mailadres", validators=[
        DataRequired("Vul het e-mailadres in."), Length(max=254),
        Email("Vul een geldig e-mailadres in.", check_deliverability=False)])
    department = StringField("Afdeling", validators=[Optional(), Length(max=120)])
    postal_address = TextAreaField(
        "Postadres", description="Straat en huisnummer of postbus, dan postcode en plaats, "
        "elk op een eigen regel.", validators=[Optional(), Length(max=300)])
    salutation = StringField("Aanhef", description="Bijvoorbeeld 'Geachte mevrouw Jansen'. "
                             "Leeg: 'Geachte' met de naam.",
                             validators=[Optional(), Length(max=120)])
    active = BooleanField("Actief (ontvangt brieven)", default=True)

    def set_organisations(self, organisations) -> None:
        self.organisation_id.choices = [SelectChoice(o.id, o.name) for o in organisations]


class ListForm(DutchForm):
    name = StringField("Naam van de lijst", validators=[DataRequired("Vul een naam in."),
                                                        Length(max=120)])
    description = TextAreaField("Omschrijving", validators=[Optional(), Length(max=1000)])
    member_ids = CheckboxListField("Contactpersonen", coerce=int, validators=[Optional()])

    def set_contacts(self, contacts) -> None:
        self.member_ids.choices = [SelectChoice(c.id, f"{c.name} ({c.organisation.name})")
                                   for c in contacts]
