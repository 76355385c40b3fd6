"""Forms of the letters feature; the letter form itself is built from a template's fields."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.converters import FIRST_DAY, LAST_DAY
from portal.forms import DutchForm
from portal.letters import languages
from portal.letters.models import Purpose

TYPE_CHOICES = [SelectChoice("tekst", "Tekst (één regel)"), SelectChoice("lang", "Lange tekst"),
                SelectChoice("datum", "Datum"), SelectChoice("getal", "Getal of bedrag")]


class FieldRowForm(Form):
    """One placeholder of the uploaded template as a form field; the name comes from the file."""

    class Meta:
        locales = ["nl"]

    name = HiddenField()
    label = StringField("Label", validators=[DataRequired("Geef het veld een label."),
                                             Length(max=120)])
    type = SelectField("Type", choices=TYPE_CHOICES)
    required = BooleanField("Verplicht")


class _Upload(DutchForm):
    """A .docx upload in two steps: the file is read and its fields proposed, the beheerder
    edits the proposal; the file waits server-side (letters.staging) under the token in
    `upload` and is checked again when stored."""

    file = FileField("Word-sjabloon (.docx)")
    upload = HiddenField()
    fields = FieldList(FormField(FieldRowForm))


class TemplateForm(_Upload):
    name = StringField("Naam", validators=[DataRequired("Geef het sjabloon een naam."),
                                           Length(max=120)],
                       description="Een sjabloon met dezelfde naam en hetzelfde doel in een "
                                   "andere taal is een vertaling: de voorkeurstaal van de "
                                   "cliënt kiest welke er wordt gebruikt.")
    purpose = SelectField("Doel", choices=[SelectChoice(p.value, p.label) for p in Purpose])
    language = SelectField("Taal", choices=[SelectChoice(code, name)
                                            for code, name in languages.choices()])


class TemplateVersionForm(_Upload):
    note = StringField("Wat is er veranderd?", validators=[Optional(), Length(max=255)])


FIELD_CLASSES = {"tekst": StringField, "lang": TextAreaField, "datum": DateField,
                 "getal": DecimalField}


def ordinary_number(form, field) -> None:
    """A getal is a finite number of sensible size: not NaN, not infinite, not 1e999999."""
    value = field.data
    if value is not None and (not value.is_finite() or abs(value) >= MAX_NUMBER):
        raise ValidationError("Vul een gewoon getal in (geen NaN of oneindig, kleiner dan "
                              "een biljoen).")


def ordinary_date(form, field) -> None:
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(f"Vul een datum tussen {FIRST_DAY.year} en {LAST_DAY.year} in.")


def single_line(form, field) -> None:
    """A subject or one-line value becomes a mail header or a heading: no line breaks."""
    if field.data and any(mark in field.data for mark in "\r\n\x0b\x0c\x85\u2028\u2029"):
        raise ValidationError("Gebruik één regel, zonder regeleinde (Enter).")


MAX_NUMBER = 10**12
EXTRA_VALIDATORS = {"tekst": [Length(max=4000), single_line], "lang": [Length(max=4000)],
                    "datum": [ordinary_date], "getal": [ordinary_number]}


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes (the field macro renders them as a fieldset)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def letter_form_class(fields: list[dict], *, with_list: bool,
                      attachments: list | None = None, posted: bool = False):
    """A WTForms class for this template version: subject, its declared fields, a list and
    (when the library has any, or some were posted) the attachments that go with every
    letter; a posted one that is no longer offered is refused by the service, not dropped."""
    attributes = {"subject": StringField("Onderwerp van de e-mail" if with_list
                                         else "Titel in het dossier",
                                         validators=[DataRequired("Vul een onderwerp in."),
                                                     Length(max=200), single_line])}
    for field in fields:
        required = DataRequired(f"Vul '{field['label']}' in.") if field["required"] \
            else Optional()
        attributes[f"f_{field['name']}"] = FIELD_CLASSES[field["type"]](
            field["label"], validators=[required, *EXTRA_VALIDATORS[field["type"]]])
    if with_list:
        attributes["list_id"] = SelectField("Verzendlijst", coerce=int, validators=[
            DataRequired("Kies een verzendlijst.")])
    if attachments or (attachments is not None and posted):
        attributes["attachment_ids"] = CheckboxListField(
            "Bijlagen uit de bibliotheek", coerce=int, validators=[Optional()],
            validate_choice=False,
            choices=[SelectChoice(item.id, f"{item.title} (PDF)") for item in attachments],
            description="Gaan mee met " + ("elke brief van deze verzending"
                                           if with_list else "de brief")
                        + " en staan in de regel Bijlagen van de brief.")
    return type("LetterForm", (DutchForm,), attributes)


def values_of(form, fields: list[dict]) -> dict:
    return {field["name"]: getattr(form, f"f_{field['name']}").data for field in fields}


def _text(label: str, hint: str | None = None, long: bool = False, size: int = 120):
    kind = TextAreaField if long else StringField
    validators = [DataRequired(f"Vul '{label}' in."), Length(max=size)]
    return kind(label, description=hint, validators=validators if long
                else [*validators, single_line])


class AttachmentForm(DutchForm):
    title = _text("Titel (zo staat de bijlage in de brief)")
    file = FileField("PDF-bestand", description="Het bestand gaat door dezelfde controle als "
                                               "een document in een dossier.")


class HouseStyleForm(DutchForm):
    """The beheerder's house style: what every letter shows at the top, bottom and signature."""

    organisation = _text("Organisatie (bovenaan de brief)")
    letterhead = _text("Briefhoofd", "Regels rechtsboven, bijvoorbeeld team en afdeling.",
                       long=True, size=500)
    logo = FileField("Logo (PNG of JPEG, hoogstens 1 MB)",
                     description="Laat leeg om het huidige logo te houden.")
    remove_logo = BooleanField("Logo verwijderen")
    team = _text("Team (afzender van cliëntbrieven)")
    team_address = _text("Postadres van het team (voor 'p/a')", long=True, size=300)
    postal_address = _text("Postadres (voettekst en retouradres)", size=200)
    visiting_address = _text("Bezoekadres (voettekst)", size=200)
    phone = _text("Telefoon", size=40)
    email = _text("E-mailadres", size=254)
    website = _text("Website", size=120)
    signer_name = _text("Naam van de ondertekenaar")
    signer_function = _text("Functie van de ondertekenaar")
    objection_address = _text("Bezwaarschriften naar", "Het adres in de bezwaarclausule van "
                              "besluiten.", long=True, size=300)
    font = SelectField("Lettertype")
