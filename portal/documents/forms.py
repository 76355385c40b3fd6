"""Forms for uploading, versioning and deleting documents."""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import DutchForm


class UploadForm(DutchForm):
    kind = SelectField("Soort document", validators=[DataRequired("Kies het soort document.")])
    title = StringField("Titel", validators=[DataRequired("Geef het document een titel."),
                                             Length(max=200)])
    document_date = DateField("Datum van het document", validators=[Optional()])
    note = TextAreaField("Notitie", validators=[Optional(), Length(max=2000)])
    confidential = BooleanField("Vertrouwelijk: alleen voor mij en de toegewezen "
                                "casemanager(s)")
    file = FileField("Bestand", validators=[FileRequired("Kies een bestand.")])

    def set_kinds(self, kinds) -> None:
        self.kind.choices = [SelectChoice(k.value, k.label) for k in kinds]


class VersionForm(DutchForm):
    file = FileField("Nieuwe versie", validators=[FileRequired("Kies een bestand.")])


class DeleteForm(DutchForm):
    reason = TextAreaField("Reden van verwijderen", validators=[
        DataRequired("Geef een reden voor het verwijderen."), Length(max=1000)])


class SearchForm(DutchForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField("Zoek in documenten", validators=[Optional(), Length(max=200)])
