"""The one letter flow: choose a template → fill in its fields → preview → make (or send).

Partner letters, client letters and registration letters each describe their case in a
`LetterCase`; `run` walks the steps. A template that fails on the values entered shows its
Dutch reason on the form, at preview and at making alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import render_template, request
from flask_login import current_user

from portal.forms import show_domain_error
from portal.letters import attachments, services, templates
from portal.letters.forms import letter_form_class, values_of
from portal.letters.models import Purpose, TemplateVersion
from portal.refusal import DomainError


@dataclass
class LetterCase:
    """What differs between the kinds of letter; the steps themselves do not."""

    purposes: list[Purpose]
    # Makes (or sends) the letter and answers the redirect; raises DomainError to refuse.
    make: Callable[[TemplateVersion, dict, object], object]
    choose_page: str = "letters/choose.html"
    form_page: str = "letters/letter_form.html"
    make_action: str = "maken"  # the value of the submit button that makes the letter
    context: dict = field(default_factory=dict)  # shown on both pages
    portal_fields: frozenset[str] = frozenset()  # filled by the portal, not on the form
    defaults: dict = field(default_factory=dict)
    with_list: bool = False  # a distribution list to send to
    prepare_form: Callable[[object], None] | None = None
    preview_values: Callable[[dict], dict] = lambda values: values
    recipient: dict = field(default_factory=dict)  # whom the preview addresses (client=...)
    shown: Callable[[bool], None] | None = None  # told whether a preview was shown (audit)
    with_attachments: bool = False  # the sender may add PDFs from the attachment library
    # A client letter: her preferred language picks the template's language among the
    # templates of the same name (None: every template is its own letter).
    preferred_language: str | None = None


def attachments_of(form) -> list:
    """The library attachments ticked on the letter form (none when it offers none)."""
    field_ = getattr(form, "attachment_ids", None)
    return attachments.chosen(field_.data) if field_ is not None else []


def run(case: LetterCase):
    options, template = templates.chosen(case.purposes, request.values.get("sjabloon", type=int))
    language = None
    if case.preferred_language is not None:
        options, language = templates.in_language(options, template, case.preferred_language)
    if template is None:
        return render_template(case.choose_page, options=options, **case.context)
    version = template.current
    fields = [f for f in version.fields if f["name"] not in case.portal_fields]
    offered = attachments.active() if case.with_attachments else None
    form = letter_form_class(fields, with_list=case.with_list, attachments=offered,
                             posted=bool(request.form.getlist("attachment_ids")))(
        **case.defaults)
    if case.prepare_form is not None:
        case.prepare_form(form)
    preview = None
    if form.validate_on_submit():
        values = values_of(form, fields)
        try:
            if request.form.get("actie") == case.make_action:
                return case.make(version, values, form)
            preview = services.preview(
                version, case.preview_values(values), sender=current_user.name,
                formal=version.template.purpose_enum == Purpose.REGISTRATIEBRIEF,
                attachments=attachments_of(form), **case.recipient)
        except DomainError as error:
            show_domain_error(form, error)
    if case.shown is not None:
        case.shown(preview is not None)
    return render_template(case.form_page, form=form, template=template, preview=preview,
                           language=language, **case.context)
