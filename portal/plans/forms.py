"""Forms of the ZRM and the plan van aanpak; the assessment form has a fieldset per domain of
the current ZRM version, built from the data."""

from __future__ import annotations

from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from portal.forms import DutchForm
from portal.plans.models import ACTION_STATUSES
from portal.plans.zrm import NOT_SCORED, AssessmentData, DomainEntry

DATE_MESSAGE = "Vul een geldige datum in."
NOTE_MAX = 1000


class AssessmentBase(DutchForm):
    assessed_on = DateField("Datum van de meting", validators=[
        InputRequired(DATE_MESSAGE)], render_kw={"max": "2199-12-31"})
    information_on = DateField("Datum van de informatie", validators=[
        InputRequired(DATE_MESSAGE)], render_kw={"max": "2199-12-31"},
        description="De datum van de gesprekken en gegevens waarop de meting rust. Volgens de "
                    "ZRM ligt die hoogstens 30 dagen voor de meting.")
    client_took_part = BooleanField("De cliënt was bij de meting en deed mee")
    accept_old_information = BooleanField("Toch opslaan: de informatie is ouder dan 30 dagen")

    domain_ids: tuple[int, ...] = ()

    def domain_fields(self, domain_id: int):
        return (self[f"score_{domain_id}"], self[f"reason_{domain_id}"],
                self[f"note_{domain_id}"])

    def data_for_service(self) -> AssessmentData:
        entries = []
        for domain_id in self.domain_ids:
            score, reason, note = self.domain_fields(domain_id)
            value = score.data
            entries.append(DomainEntry(
                domain_id=domain_id, score=None if value == NOT_SCORED else int(value),
                not_scored_reason=reason.data, note=note.data))
        return AssessmentData(assessed_on=self.assessed_on.data,
                              information_on=self.information_on.data,
                              client_took_part=self.client_took_part.data,
                              entries=tuple(entries),
                              accept_old_information=self.accept_old_information.data)


def choice_list(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def assessment_form(version, **kwargs) -> AssessmentBase:
    """A form class for this ZRM version: per domain a score (its levels or "niet gescoord"),
    a reason for not scoring and a toelichting."""
    scale = [(str(level.score), f"{level.score} – {level.label}") for level in version.levels]
    pairs = [("", "Kies een score"), *scale, (NOT_SCORED, "Niet gescoord")]
    choices = choice_list(pairs)
    allowed = [value for value, _ in pairs if value]
    message = (f"Kies een hele score van 1 tot en met {len(scale)}, of 'niet gescoord'."
               if scale else "Kies een score.")
    attributes = {"domain_ids": tuple(d.id for d in version.domains)}
    for domain in version.domains:
        attributes[f"score_{domain.id}"] = SelectField(
            "Score", choices=choices, validate_choice=False,
            validators=[DataRequired(message), AnyOf(allowed, message=message)])
        attributes[f"reason_{domain.id}"] = StringField(
            "Reden niet gescoord", validators=[Optional(), Length(max=200)])
        attributes[f"note_{domain.id}"] = TextAreaField(
            "Toelichting", validators=[Optional(), Length(max=NOTE_MAX)],
            render_kw={"rows": 2})
    form_class = type("AssessmentForm", (AssessmentBase,), attributes)
    return form_class(**kwargs)


class CompareForm(DutchForm):
    """GET form: which two assessments to compare."""

    class Meta:
        csrf = False
        locales = ["nl"]

    van = SelectField("Eerste meting", validators=[Optional()], validate_choice=False)
    tot = SelectField("Tweede meting", validators=[Optional()], validate_choice=False)


class GoalForm(DutchForm):
    domain_id = SelectField("ZRM-domein", validators=[Optional()], validate_choice=False)
    own_words = TextAreaField("Wat zij wil bereiken, in haar eigen woorden", validators=[
        DataRequired("Schrijf op wat zij wil bereiken."), Length(max=NOTE_MAX)],
        render_kw={"rows": 3})
    team_text = TextAreaField("Formulering van het team", validators=[
        DataRequired("Vul de formulering van het team in."), Length(max=NOTE_MAX)],
        render_kw={"rows": 3})


class ActionForm(DutchForm):
    goal_id = SelectField("Bij doel", validators=[DataRequired("Kies een doel.")],
                          validate_choice=False)
    description = TextAreaField("Wat", validators=[
        DataRequired("Beschrijf de actie."), Length(max=NOTE_MAX)], render_kw={"rows": 2})
    owner = SelectField("Wie", validators=[DataRequired("Kies wie de actie uitvoert.")],
                        validate_choice=False,
                        description="Een lid van het team of een partnerorganisatie.")
    due_on = DateField("Uiterlijk op", validators=[Optional()],
                       render_kw={"max": "2199-12-31"})
    status = SelectField("Status", choices=choice_list(ACTION_STATUSES.items()), default="open",
                         validators=[AnyOf(list(ACTION_STATUSES), message="Kies een status.")])


class EvaluationForm(DutchForm):
    action_id = SelectField("Actie", validators=[DataRequired("Kies een actie.")],
                            validate_choice=False)
    evaluated_on = DateField("Datum van de evaluatie", validators=[InputRequired(DATE_MESSAGE)],
                             render_kw={"max": "2199-12-31"})
    result = TextAreaField("Resultaat", validators=[
        DataRequired("Beschrijf het resultaat."), Length(max=NOTE_MAX)], render_kw={"rows": 2})
    next_step = TextAreaField("Volgende stap", validators=[Optional(), Length(max=NOTE_MAX)],
                              render_kw={"rows": 2})


class FixForm(DutchForm):
    agreed_on = DateField("Vastgesteld op (datum afgesproken met de cliënt)",
                          validators=[InputRequired(DATE_MESSAGE)],
                          render_kw={"max": "2199-12-31"})
    confirmed = BooleanField("De cliënt is het eens met deze versie van het plan",
                             validators=[DataRequired("Bevestig dat zij het eens is met het "
                                                      "plan.")])


class PlanLetterForm(DutchForm):
    """Only the CSRF token: making the plan letter needs no input."""
