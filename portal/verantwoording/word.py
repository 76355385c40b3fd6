"""The stand van zaken as a Word report in the municipality's house style, laid out like the
closing report: inleiding (for the author to write), stand van zaken with the figures,
overdrachten, budget and advies (for the author). The template is a built-in letter
template of the letters module (written by code, kept inactive so the general letter form
never offers it); the beheerder may replace it with an edited Word file on the template
page, as long as it uses the same fields. Rendering goes through the letters module, so the
house style, the sandbox and the intake check of every rendered letter apply."""

from __future__ import annotations

from datetime import date

from docxtpl import Listing
from sqlalchemy import select

from portal.clock import local_today
from portal.extensions import db
from portal.fields import format_dutch_number
from portal.letters import builtin, housestyle, templates
from portal.letters import services as letter_services
from portal.letters.models import LetterTemplate, Purpose, TemplateVersion
from portal.templating import local_date
from portal.verantwoording.exports import footnotes, title
from portal.verantwoording.publication import Settings
from portal.verantwoording.tables import Report, Table

KEY = "stand-van-zaken"
NAME = "Stand van zaken Stapteam (rapportage)"
FOR_THE_AUTHOR = "[Door de auteur te schrijven.]"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _field(name: str, label: str, kind: str = "lang") -> dict:
    return {"name": name, "label": label, "type": kind, "required": False}


FIELDS = [_field("onderwerp", "Onderwerp", "tekst"), _field("versie", "Versie", "tekst"),
          _field("inleiding", "Inleiding"), _field("stand_van_zaken", "Stand van zaken"),
          _field("overdrachten", "Overdrachten"), _field("budget", "Budget"),
          _field("advies", "Advies"), _field("verantwoording", "Toelichting bij de cijfers")]
PARAGRAPHS = ["{{ versie }}",
              "## 1. Inleiding", "{{ inleiding }}",
              "## 2. Stand van zaken", "{{ stand_van_zaken }}",
              "## 3. Overdrachten", "{{ overdrachten }}",
              "## 4. Budget", "{{ budget }}",
              "## 5. Advies", "{{ advies }}",
              "~ {{ verantwoording }}"]
SECTIONS = {"stand_van_zaken": ("registraties", "intrekkingen", "vrouwen", "trajecten",
                                "caseload", "zrm"),
            "overdrachten": ("overdrachten",), "budget": ("budget",)}


def template_version() -> TemplateVersion:
    """The report's template, created (inactive) the first time."""
    template = db.session.scalar(select(LetterTemplate).where(LetterTemplate.builtin_key == KEY))
    if template is None:
        item = builtin.Builtin(key=KEY, name=NAME, purpose=Purpose.PARTNERBRIEF.value,
                               language="nl", fields=FIELDS, paragraphs=PARAGRAPHS)
        template = templates.create_template(
            name=NAME, purpose=Purpose.PARTNERBRIEF, language="nl", data=builtin.build(item),
            fields=FIELDS, actor=None, builtin_key=KEY)
        template.active = False  # made from the stand van zaken only
        db.session.commit()
    return template.current


def table_text(table: Table) -> str:
    lines = [table.caption]
    for row in table.rows:
        values = ", ".join(f"{column.lower()} {cell.text}" if len(table.columns) > 1
                           else cell.text for column, cell in zip(table.columns, row.cells,
                                                                  strict=True))
        lines.append(f"• {row.label}: {values}")
    if table.note:
        lines.append(table.note)
    return "\n".join(lines)


def section_text(report: Report, keys: tuple[str, ...], empty: str) -> str:
    found = [table_text(t) for key in keys if (t := report.table(key)) is not None]
    return "\n\n".join(found) or empty


def hours_text(report: Report) -> str:
    """Hours against the norm per quarter: a report is read on paper, the weeks are on the
    page and in the exports. Hours are no counts of women, so nothing is suppressed."""
    from portal.hours.figures import realisation

    until = min(report.end, local_today())  # the norm of days still to come is not yet due
    rows = realisation(report.start, until, "kwartaal")
    if not rows:
        return ""
    lines = ["Uren casemanagement tegenover de norm, per kwartaal"
             + (f" (t/m {local_date(until)})" if until < report.end else "")]
    for row in rows:
        quarter = f"K{(row.period_start.month - 1) // 3 + 1} {row.period_start.year}"
        norm = "geen norm" if row.target_hours is None else \
            f"norm {format_dutch_number(row.target_hours)} uur"
        share = f" ({round(row.hours / row.target_hours * 100)} % van de norm)" \
            if row.target_hours else ""
        lines.append(f"• {quarter} · {row.organisation}: {format_dutch_number(row.hours)} uur, "
                     f"{norm}{share}")
    return "\n".join(lines)


def values_for(report: Report, settings: Settings) -> dict:
    notes = ["Alle aantallen zijn geteld op de datum waarop iets gebeurde (statuswijziging, "
             "besluit, begin- en einddatum van een traject), niet op de stand van vandaag."]
    return {
        "onderwerp": f"Stand van zaken Stapteam {report.period}",
        "versie": title(report) + ".",
        "inleiding": FOR_THE_AUTHOR,
        "stand_van_zaken": "\n\n".join(part for part in (
            section_text(report, SECTIONS["stand_van_zaken"], "—"), hours_text(report)) if part),
        "overdrachten": section_text(report, SECTIONS["overdrachten"], "—"),
        "budget": section_text(report, SECTIONS["budget"],
                               "Er is (nog) geen budget vastgelegd in het portaal."),
        "advies": FOR_THE_AUTHOR,
        "verantwoording": " ".join(notes + footnotes(report, settings)),
    }


def render(report: Report, settings: Settings, author: str, on: date) -> bytes:
    """The filled-in report (not stored: it holds no personal data and is made again from
    the same dated events whenever it is asked for)."""
    version = template_version()
    style = housestyle.current()
    extra = {"adres": Listing(f"{style.organisation}\nt.a.v. de opdrachtgever van het "
                              f"{style.team}"), "aanhef": ""}
    reference = f"SVZ {report.start.isoformat()} t/m {report.end.isoformat()}"
    return letter_services.render_letter(version, values_for(report, settings), extra,
                                         reference, on, sender=author)

