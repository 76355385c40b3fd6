"""The plan van aanpak as a letter for the client, in her language, through the letters module.

The plan letter is a built-in client letter (house style, kenmerk, stored in her dossier as a
confidential brief, audited, through the same intake check as every rendered letter). Its
template is written by code like the other built-in letters and kept inactive, so it is only
made from the plan page, never chosen in the general letter form. Fixed wording exists in
Dutch and English; her preferred language picks it (portal.letters.languages), Dutch
when it is neither.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.letters import builtin, languages, templates
from portal.letters import services as letter_services
from portal.letters.models import Letter, LetterTemplate, Purpose, TemplateVersion
from portal.plans import progress
from portal.plans.models import PlanVersion
from portal.refusal import DomainError
from portal.templating import local_date

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

FIELDS = [{"name": name, "label": label, "type": kind, "required": True}
          for name, label, kind in (("onderwerp", "Onderwerp", "tekst"),
                                    ("versie", "Versie", "tekst"),
                                    ("doelen", "Doelen", "lang"),
                                    ("acties", "Acties", "lang"),
                                    ("evaluatie", "Volgende evaluatie", "lang"),
                                    ("afzender", "Afzender", "tekst"))]

WORDING = {
    "nl": {
        "name": "Plan van aanpak (brief aan cliënt, Nederlands)",
        "subject": "Jouw plan van aanpak",
        "paragraphs": [
            "{{ aanhef }},",
            "In deze brief staat jouw plan van aanpak: wat je wilt bereiken, wat we samen gaan "
            "doen en wanneer we weer kijken hoe het gaat. {{ versie }}",
            "## Wat je wilt bereiken", "{{ doelen }}",
            "## Wat we gaan doen", "{{ acties }}",
            "## Wanneer we weer samen kijken", "{{ evaluatie }}",
            "Klopt er iets niet, of wil je iets veranderen? Zeg het ons. Bel of app ons gerust "
            "op {{ huisstijl.telefoon }}.",
            "Groet,", "\n{{ afzender }}\n{{ huisstijl.team }}"],
        "version_fixed": "Dit is versie {number}, die we op {day} samen hebben afgesproken.",
        "version_draft": "Dit is versie {number}. We hebben deze versie nog niet samen "
                         "vastgesteld.",
        "goal": "Doel {position}{domain}",
        "own": "Zo zeg jij het: {text}",
        "team": "Zo schrijft het team het op: {text}",
        "action": "• {what}. Wie: {who}. {due}",
        "due": "Uiterlijk {day}.", "no_due": "Nog geen datum.",
        "no_actions": "Er staan nog geen acties in het plan.",
        "no_goals": "Er staan nog geen doelen in het plan.",
        "next_zrm": "We kijken samen weer hoe het gaat op alle levensgebieden rond {day}.",
        "no_zrm": "We spreken samen af wanneer we kijken hoe het gaat.",
        "step": "Volgende stap bij “{what}”: {text}",
    },
    "en": {
        "name": "Plan of action (letter to client, English)",
        "subject": "Your plan of action",
        "paragraphs": [
            "{{ aanhef }},",
            "This letter sets out your plan of action: what you want to achieve, what we will "
            "do together and when we will look again at how things are going. {{ versie }}",
            "## What you want to achieve", "{{ doelen }}",
            "## What we will do", "{{ acties }}",
            "## When we look at it together again", "{{ evaluatie }}",
            "Is something not right, or do you want to change something? Tell us. Call or "
            "text us any time on {{ huisstijl.telefoon }}.",
            "Kind regards,", "\n{{ afzender }}\n{{ huisstijl.team }}"],
        "version_fixed": "This is version {number}, which we agreed together on {day}.",
        "version_draft": "This is version {number}. We have not yet agreed this version "
                         "together.",
        "goal": "Goal {position}{domain}",
        "own": "In your words: {text}",
        "team": "How the team writes it down: {text}",
        "action": "• {what}. Who: {who}. {due}",
        "due": "By {day}.", "no_due": "No date yet.",
        "no_actions": "There are no actions in the plan yet.",
        "no_goals": "There are no goals in the plan yet.",
        "next_zrm": "We will look together at how things are going in all areas of your "
                    "life around {day}.",
        "no_zrm": "We will agree together when we look at how things are going.",
        "step": "Next step for “{what}”: {text}",
    },
}


Language = languages.Choice  # code and the reason shown on the page


def language_for(client) -> Language:
    """Her preferred language when the plan letter exists in it (the letters' one mapping of
    language names to codes), otherwise Dutch; with the reason."""
    return languages.choose(getattr(client, "preferred_language", None), WORDING)


def _day(value: date, code: str) -> str:
    if code == "en":
        return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
    return local_date(value)


def chosen_version(versions: list[PlanVersion]) -> PlanVersion | None:
    """The latest vastgestelde version; without one, the current (latest) version."""
    fixed = [v for v in versions if v.is_fixed]
    return fixed[-1] if fixed else (versions[-1] if versions else None)


def _goals_text(version: PlanVersion, words: dict) -> str:
    blocks = []
    for goal in version.goals:
        domain = f" ({goal.domain.name})" if goal.domain else ""
        blocks.append("\n".join([words["goal"].format(position=goal.position, domain=domain),
                                 words["own"].format(text=goal.own_words.strip()),
                                 words["team"].format(text=goal.team_text.strip())]))
    return "\n\n".join(blocks) or words["no_goals"]


def _actions_text(version: PlanVersion, words: dict, code: str) -> str:
    lines = []
    for goal in version.goals:
        for action in goal.actions:
            due = (words["due"].format(day=_day(action.due_on, code)) if action.due_on
                   else words["no_due"])
            lines.append(words["action"].format(what=action.description.strip().rstrip("."),
                                                who=action.owner_label, due=due))
    return "\n".join(lines) or words["no_actions"]


def _evaluation_text(client, version: PlanVersion, words: dict, code: str) -> str:
    assessments = progress.client_assessments(client)
    due = progress.next_due(assessments[-1].assessed_on if assessments else None)
    lines = [words["next_zrm"].format(day=_day(due, code)) if due else words["no_zrm"]]
    for goal in version.goals:
        for action in goal.actions:
            last = action.evaluations[-1] if action.evaluations else None
            if last is not None and last.next_step:
                lines.append(words["step"].format(what=action.description.strip().rstrip("."),
                                                  text=last.next_step.strip()))
    return "\n".join(lines)


def values_for(client, version: PlanVersion, code: str, sender: str) -> dict:
    words = WORDING[code]
    version_line = (words["version_fixed"].format(number=version.number,
                                                  day=_day(version.agreed_on, code))
                    if version.is_fixed else words["version_draft"].format(number=version.number))
    return {"onderwerp": words["subject"], "versie": version_line,
            "doelen": _goals_text(version, words),
            "acties": _actions_text(version, words, code),
            "evaluatie": _evaluation_text(client, version, words, code), "afzender": sender}


def builtin_key(code: str) -> str:
    return f"planbrief-{code}"


def template_version(code: str) -> TemplateVersion:
    """The plan letter's template in this language: created (inactive) the first time, and
    given the current wording as a new version when it was made by an earlier release."""
    key = builtin_key(code)
    words = WORDING[code]
    item = builtin.Builtin(key=key, name=words["name"], purpose=Purpose.CLIENTBRIEF.value,
                           language=code, fields=FIELDS, paragraphs=words["paragraphs"],
                           labels=code)
    template = db.session.scalar(select(LetterTemplate).where(LetterTemplate.builtin_key == key))
    if template is None:
        template = templates.create_template(
            name=item.name, purpose=Purpose.CLIENTBRIEF, language=code,
            data=builtin.build(item), fields=FIELDS, actor=None, builtin_key=key)
        template.active = False  # made from the plan page only, not in the letter form
    elif (template.builtin_version or 0) < item.version:
        templates.add_version(template, data=builtin.build(item), fields=FIELDS, actor=None,
                              note=f"Ingebouwde versie {item.version} (haar eigen aanhef)")
    else:
        return template.current
    template.builtin_version = item.version
    db.session.commit()
    return template.current


def make_letter(actor, client, versions: list[PlanVersion]) -> tuple[Letter, Language]:
    """Render the plan letter and store it as a client letter of her dossier."""
    version = chosen_version(versions)
    if version is None or not version.goals:
        raise DomainError("Er is nog geen plan met doelen om als brief te maken.")
    language = language_for(client)
    values = values_for(client, version, language.code, actor.name)
    letter = letter_services.create_client_letter(
        actor, template_version(language.code), values, WORDING[language.code]["subject"],
        client)
    return letter, language


def plan_letters(client) -> list[Letter]:
    """The plan letters already in her dossier, newest first."""
    keys = [builtin_key(code) for code in WORDING]
    return list(db.session.scalars(
        select(Letter).join(TemplateVersion, Letter.template_version_id == TemplateVersion.id)
        .join(LetterTemplate, TemplateVersion.template_id == LetterTemplate.id)
        .where(Letter.client_id == client.id, LetterTemplate.builtin_key.in_(keys))
        .order_by(Letter.id.desc())))
