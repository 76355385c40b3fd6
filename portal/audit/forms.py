"""The one form of the audit pages: starting a chain check, optionally against a stored head."""

from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.audit.tasks import parse_head
from portal.forms import DutchForm


def _a_head(form, field) -> None:
    if field.data and parse_head(field.data) is None:
        raise ValidationError("Plak het eindpunt zoals de controle het gaf: volgnummer, "
                              "dubbele punt en 64 tekens (0-9, a-f).")


class ChainCheckForm(DutchForm):
    expected_head = StringField(
        "Eerder bewaard eindpunt (niet verplicht)",
        validators=[Optional(), Length(max=100, message="Dit is te lang voor een eindpunt."),
                    _a_head])
