"""Forms of the budget: a subsidy with one amount field per post, a manual entry, its removal,
and a post of the begroting."""

from __future__ import annotations

from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.budget.services import ENTRY_MAXIMUM, LINE_MAXIMUM
from portal.fields import AmountField, DutchNumberField
from portal.forms import DutchForm

DATE_MESSAGE = "Vul een geldige datum in."


class SubsidyForm(DutchForm):
    name = StringField("Naam van de subsidie of het project", validators=[
        DataRequired("Vul de naam van de subsidie of het project in."), Length(max=160)])
    funder = StringField("Subsidiegever", validators=[
        DataRequired("Vul de subsidiegever in."), Length(max=160)],
        description="Bijvoorbeeld Gemeente Nijmegen.")
    start_date = DateField("Begindatum", validators=[InputRequired(DATE_MESSAGE)])
    end_date = DateField("Einddatum", validators=[InputRequired(DATE_MESSAGE)])
    note = TextAreaField("Toelichting", validators=[Optional(), Length(max=2000)])

    post_fields: list[tuple[int, str]] = []  # (post id, field name), set per form class

    def amounts(self) -> dict:
        return {post_id: self[name].data for post_id, name in self.post_fields}


def subsidy_form(posts, **kwargs) -> SubsidyForm:
    """A subsidy form with a begroot-amount field per post (posts are data, not code)."""

    class PostAmounts(SubsidyForm):
        pass

    PostAmounts.post_fields = []
    for post in posts:
        name = f"post_{post.id}"
        setattr(PostAmounts, name, AmountField(
            f"Begroot: {post.label}", maximum=LINE_MAXIMUM, validators=[Optional()],
            description="In euro, bijvoorbeeld 520.000 of 12.500,50. Leeg: geen begroting."))
        PostAmounts.post_fields.append((post.id, name))
    return PostAmounts(**kwargs)


class EntryForm(DutchForm):
    invoice_date = DateField("Factuurdatum", validators=[InputRequired(DATE_MESSAGE)])
    post_id = SelectField("Post", coerce=int)
    amount = DutchNumberField("Bedrag in euro", places=2, minimum=-ENTRY_MAXIMUM,
                              maximum=ENTRY_MAXIMUM,
                              validators=[InputRequired("Vul een bedrag in.")],
                              description="Bijvoorbeeld 1.250,50. Een creditnota of "
                                          "terugbetaling als negatief bedrag: -250,00.")
    description = StringField("Omschrijving", validators=[
        DataRequired("Vul een omschrijving in."), Length(max=255)],
        description="Wat de factuur betreft, zonder gegevens van cliënten.")

    def set_posts(self, posts) -> None:
        self.post_id.choices = [SelectChoice(str(p.id), p.label) for p in posts]


class EntryChangeForm(EntryForm):
    reason = StringField("Reden van de wijziging", validators=[
        DataRequired("Vul de reden van de wijziging in."), Length(max=255)])


class RemoveForm(DutchForm):
    reason = StringField("Reden van verwijderen", validators=[
        DataRequired("Vul de reden van het verwijderen in."), Length(max=255)])


class PostForm(DutchForm):
    label = StringField("Naam van de post", validators=[
        DataRequired("Vul de naam van de post in."), Length(max=80)])
    active = BooleanField("Actief (te kiezen bij nieuwe begrotingen en boekingen)",
                          default=True)
