"""Forms of the login flow and the user's own account pages."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.auth.passwords import MAX_LENGTH, password_problems
from portal.forms import DutchForm


class LoginForm(DutchForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."),
                                                  Length(max=254)],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."),
                                                       Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})


class CodeForm(DutchForm):
    code = StringField(
        "Code uit uw authenticator-app",
        validators=[DataRequired("Vul de code van zes cijfers in."),
                    Length(max=12, message="Een code heeft zes cijfers.")],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "autofocus": True, "pattern": "[0-9 ]*"},
    )


class NewPasswordMixin:
    """A new password with confirmation, checked against the password policy."""

    new_password = PasswordField(
        "Nieuw wachtwoord", validators=[DataRequired("Kies een nieuw wachtwoord.")],
        description="Minstens 12 tekens. Een zin van een paar woorden werkt goed.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Herhaal het nieuwe wachtwoord",
        validators=[DataRequired("Herhaal het nieuwe wachtwoord."),
                    EqualTo("new_password", "De twee wachtwoorden zijn niet gelijk.")],
        render_kw={"autocomplete": "new-password"},
    )

    def policy_subject(self) -> tuple[str, str]:
        return "", ""

    def validate_new_password(self, field):
        email, name = self.policy_subject()
        problems = password_problems(field.data or "", email=email, name=name)
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(NewPasswordMixin, DutchForm):
    current_password = PasswordField(
        "Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in.")],
        render_kw={"autocomplete": "current-password"},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def policy_subject(self) -> tuple[str, str]:
        return self._user.email, self._user.name


class ConfirmForm(DutchForm):
    """An empty form: a POST button with a CSRF token."""


class ActivateForm(NewPasswordMixin, DutchForm):
    """The enrolment link: her own password and a code from her authenticator app."""

    code = StringField(
        "Code uit uw authenticator-app",
        validators=[DataRequired("Vul de code van zes cijfers in."),
                    Length(max=12, message="Een code heeft zes cijfers.")],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "pattern": "[0-9 ]*"},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def policy_subject(self) -> tuple[str, str]:
        return self._user.email, self._user.name
