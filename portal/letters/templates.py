"""The template library: built-in templates, uploads checked against their declared fields."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.documents import storage, validation
from portal.documents.services import files_kept_only_on_commit
from portal.extensions import db
from portal.letters import builtin, docx, languages
from portal.letters.models import LetterTemplate, Purpose, TemplateVersion
from portal.refusal import DomainError
from portal.transactions import service

FIELD_TYPES = {"tekst", "lang", "datum", "getal"}
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED = docx.SYSTEM_FIELDS | docx.HOUSE_FIELDS


GUESSES = (("datum", "datum"), ("bedrag", "getal"), ("aantal", "getal"), ("getal", "getal"),
           ("nummer", "tekst"), ("toelichting", "lang"), ("bericht", "lang"),
           ("omschrijving", "lang"), ("tekst", "lang"))


def guessed_type(name: str) -> str:
    """The field type a placeholder's name suggests: einddatum is a date, bedrag a number."""
    return next((kind for part, kind in GUESSES if part in name), "tekst")


def _label(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def proposed_fields(data: bytes, purpose: Purpose) -> list[dict]:
    """The placeholders of an uploaded .docx the beheerder must describe as form fields;
    what the portal fills itself (client, recipient, house style, kenmerk, datum) is left out.
    Refuses a file that the intake refuses, that turns escaping off or does not parse."""
    _checked_file(data)
    try:
        used = docx.variables(data)
    except docx.RenderError as error:
        raise DomainError(str(error), field="file") from error
    own = RESERVED | docx.CLIENT_FIELDS | docx.RECIPIENT_FIELDS
    return [{"name": name, "label": _label(name), "type": guessed_type(name), "required": True}
            for name in sorted(used - own)]


def checked_fields(rows: list[dict]) -> list[dict]:
    """The field list the beheerder confirmed: free names, a label, a known type."""
    fields, seen = [], set()
    for row in rows:
        name, label, kind = row["name"], (row["label"] or "").strip(), row["type"]
        if not FIELD_NAME.match(name or "") or name in RESERVED | seen:
            raise DomainError(f"'{name}' is geen geldige of vrije veldnaam (kleine letters, "
                              "cijfers en _).", field="fields")
        if kind not in FIELD_TYPES or not label:
            raise DomainError(f"Geef veld '{name}' een label en een type (tekst, lang, datum "
                              "of getal).", field="fields")
        seen.add(name)
        fields.append({"name": name, "label": label, "type": kind,
                       "required": bool(row["required"])})
    return fields


def _checked_file(data: bytes) -> None:
    validation.check(io.BytesIO(data), {validation.DOCX})  # refuses on the file field
    if docx.turns_escaping_off(data):
        raise DomainError("Dit sjabloon zet het beveiligen van ingevulde tekst uit "
                          "({% autoescape %}); dat is niet toegestaan.", field="file")


def _checked_docx(data: bytes, fields: list[dict], purpose: Purpose) -> None:
    _checked_file(data)
    try:
        result = docx.check_template(data, [f["name"] for f in fields],
                                     uses_client=purpose.uses_client)
    except docx.RenderError as error:
        raise DomainError(str(error), field="file") from error
    problems = []
    if result.client_fields:
        problems.append("Een brief aan partners mag geen cliëntgegevens gebruiken "
                        f"({', '.join(result.client_fields)}).")
    if result.unfilled:
        problems.append("Deze plaatshouders vult het formulier niet: "
                        f"{', '.join(result.unfilled)}.")
    if result.unused:
        problems.append(f"Deze velden gebruikt het sjabloon niet: {', '.join(result.unused)}.")
    if problems:
        raise DomainError(" ".join(problems), field="file")
    _sample_render(data, fields, purpose)


# What each declared field type holds at the trial render of an upload.
SAMPLE_VALUES = {"tekst": "Voorbeeldtekst", "lang": "Eerste regel\nTweede regel",
                 "datum": date(2026, 1, 31), "getal": "12"}


def _sample_context(purpose: Purpose) -> dict:
    """Who the letter is for at the trial render: an unsaved client or partner contact."""
    from portal.auth.models import Organisation
    from portal.clients.models import Client
    from portal.letters import services
    from portal.partners.models import PartnerContact

    if purpose.uses_client:
        return services.client_context(Client(werknaam="Voorbeeld", number="2026-000",
                                              preferred_language="nl"))
    return services.contact_context(PartnerContact(
        name="Voorbeeld Contact", email="contact@voorbeeld.invalid",
        organisation=Organisation(name="Voorbeeldorganisatie")))


def _sample_render(data: bytes, fields: list[dict], purpose: Purpose) -> None:
    """Render once with a sample value of each field's type, so a template that fails while
    rendering (an unknown attribute, a runaway loop) is refused now, not at the first letter."""
    from portal.letters import services

    values = {f["name"]: SAMPLE_VALUES[f["type"]] for f in fields}
    try:
        services.render_letter(TemplateVersion(fields=fields), values,
                               _sample_context(purpose), "VOORBEELD/0000", date(2026, 1, 31),
                               template=data)
    except DomainError as error:
        raise DomainError(f"{error.message} (proef met voorbeeldwaarden)", field="file") \
            from error


def _new_version(template: LetterTemplate, data: bytes, fields: list[dict], actor,
                 note: str | None) -> TemplateVersion:
    _checked_docx(data, fields, template.purpose_enum)
    stored = storage.store(io.BytesIO(data))
    version = TemplateVersion(number=len(template.versions) + 1, fields=fields,
                              storage_key=stored.key, sha256=stored.sha256, size=stored.size,
                              note=note, uploaded_by_id=actor.id if actor else None)
    template.versions.append(version)
    return version


@service
def create_template(*, name: str, purpose: Purpose, language: str, data: bytes,
                    fields: list[dict], actor, builtin_key: str | None = None) -> LetterTemplate:
    template = LetterTemplate(name=name.strip(), purpose=purpose.value, language=language,
                              builtin_key=builtin_key)
    db.session.add(template)
    version = _new_version(template, data, fields, actor, "Eerste versie")
    _commit_keeping_file(version, "letters.template_created", Action.CREATE, template)
    return template


@service
def add_version(template: LetterTemplate, *, data: bytes, fields: list[dict], actor,
                note: str | None) -> TemplateVersion:
    version = _new_version(template, data, fields, actor, note)
    _commit_keeping_file(version, "letters.template_version_added", Action.UPDATE, template)
    return version


def _commit_keeping_file(version, event: str, action: Action, template) -> None:
    with files_kept_only_on_commit([version.storage_key]):
        db.session.flush()
        record(event, action, object_type="letter_template", object_id=template.id,
               detail={"version": version.number})


@service
def ensure_builtin_templates() -> int:
    """Bring the built-in templates to this release: create the missing ones, give an older
    one (or one from before built-ins were numbered) the current wording and layout as a new
    version, and retire what is no longer built in (inactive, kept with its letters).
    Answers how many templates were made, updated or retired."""
    changed = 0
    for item in builtin.BUILTINS:
        template = db.session.scalar(select(LetterTemplate)
                                     .where(LetterTemplate.builtin_key == item.key))
        if template is None:
            template = create_template(name=item.name, purpose=Purpose(item.purpose),
                                       language=item.language, data=builtin.build(item),
                                       fields=item.fields, actor=None, builtin_key=item.key)
        elif (template.builtin_version or 0) < item.version:
            template.name = item.name
            add_version(template, data=builtin.build(item), fields=item.fields, actor=None,
                        note=f"Ingebouwde versie {item.version} (huisstijl op A4)")
        else:
            continue
        template.builtin_version = item.version
        db.session.commit()
        changed += 1
    return changed + _retire_builtins()


def _retire_builtins() -> int:
    retired = db.session.scalars(select(LetterTemplate).where(
        LetterTemplate.builtin_key.in_(builtin.RETIRED), LetterTemplate.active.is_(True))).all()
    for template in retired:
        template.active = False
        record("letters.template_retired", Action.UPDATE, object_type="letter_template",
               object_id=template.id, detail={"reason": builtin.RETIRED[template.builtin_key]},
               user=None)
    db.session.commit()
    return len(retired)


def template_bytes(version: TemplateVersion) -> bytes:
    return b"".join(storage.stream(version.storage_key, version.sha256))


def chosen(purposes, wanted: int | None) -> tuple[list[LetterTemplate], LetterTemplate | None]:
    """The active templates for these purposes, and the one the user picked (if any)."""
    options = db.session.scalars(select(LetterTemplate).where(
        LetterTemplate.active.is_(True),
        LetterTemplate.purpose.in_([p.value for p in purposes])).order_by(LetterTemplate.name)
    ).all()
    return options, next((t for t in options if t.id == wanted), None)


@dataclass(frozen=True)
class InLanguage:
    """Which language a client letter is written in, why, and the same letter in the other
    languages it exists in."""

    choice: languages.Choice  # what her preferred language picks among this letter's languages
    template: LetterTemplate
    others: list[LetterTemplate]

    @property
    def name(self) -> str:
        return languages.dutch_name(self.template.language)

    @property
    def reason(self) -> str:
        if self.template.language == self.choice.code:
            return self.choice.reason
        return (f"{self.name}, omdat u deze taal koos; haar voorkeurstaal kiest "
                f"{languages.dutch_name(self.choice.code)} ({self.choice.reason})")


def _letter_key(template: LetterTemplate) -> tuple[str, str]:
    """Templates of the same purpose and name are one letter in several languages."""
    return template.purpose, " ".join(template.name.casefold().split())


def _pick(group: list[LetterTemplate], preferred: str | None) -> LetterTemplate:
    code = languages.choose(preferred, [t.language for t in group]).code
    return next((t for t in group if t.language == code), group[0])


def in_language(options: list[LetterTemplate], template: LetterTemplate | None,
                preferred: str | None) -> tuple[list[LetterTemplate], InLanguage | None]:
    """One option per letter, in her language where it exists; and for the chosen template
    the language used and why."""
    groups: dict[tuple[str, str], list[LetterTemplate]] = {}
    for option in options:
        groups.setdefault(_letter_key(option), []).append(option)
    shown = [_pick(group, preferred) for group in groups.values()]
    if template is None:
        return shown, None
    group = groups[_letter_key(template)]
    choice = languages.choose(preferred, [t.language for t in group])
    return shown, InLanguage(choice, template, [t for t in group if t.id != template.id])
