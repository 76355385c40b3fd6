""""Wie heeft mijn dossier ingezien" (NEN 7513): for one client and a period, who (organisation,
role, and the name only when ACCESS_REPORT_SHOW_NAMES is on) saw or changed what, and when.

The report is for the woman herself: in Dutch, or in English when that is her preferred
language (portal.letters.languages picks it), as a page to print and as a Word document in the
house style, which LibreOffice turns into a PDF when it is installed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from docx import Document as WordDocument
from docx.shared import Cm, Pt
from flask import current_app
from sqlalchemy import select

from portal.audit.labels import event_label, object_label
from portal.audit.log import day_start, describe, staff_names
from portal.audit.models import AuditEvent, Outcome
from portal.clock import AMSTERDAM
from portal.letters import housestyle, languages
from portal.roles import Role
from portal.templating import MONTHS as NL_MONTHS

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

WORDS = {
    "nl": {
        "title": "Wie heeft mijn dossier ingezien",
        "intro": "Dit overzicht laat zien wie uw gegevens bij het Stapteam heeft ingezien of "
                 "gewijzigd tussen {start} en {end}: de organisatie, de rol en wanneer.",
        "number": "Cliëntnummer", "period": "Periode",
        "when": "Wanneer", "organisation": "Organisatie", "role": "Rol", "name": "Naam",
        "what": "Wat", "none": "In deze periode heeft niemand uw gegevens ingezien of gewijzigd.",
        "names_left_out": "Namen van medewerkers staan niet in dit overzicht; u kunt ze opvragen "
                          "bij de privacyfunctionaris.",
        "questions": "Vragen over dit overzicht? Neem contact op met het Stapteam.",
        "made": "Gemaakt op {day}.", "system": "Stapportaal (automatisch)", "unknown": "—",
    },
    "en": {
        "title": "Who has seen my file",
        "intro": "This overview shows who saw or changed your information at the Stapteam "
                 "between {start} and {end}: the organisation, the role and when.",
        "number": "Client number", "period": "Period",
        "when": "When", "organisation": "Organisation", "role": "Role", "name": "Name",
        "what": "What", "none": "Nobody saw or changed your information in this period.",
        "names_left_out": "Names of staff are not in this overview; you can ask the privacy "
                          "officer for them.",
        "questions": "Questions about this overview? Please contact the Stapteam.",
        "made": "Made on {day}.", "system": "Stapportaal (automatic)", "unknown": "—",
    },
}

EN_ACTIONS = {"C": "created", "R": "viewed", "U": "changed", "D": "deleted", "E": "carried out"}
EN_OBJECTS = {
    "client": "your file", "document": "a document", "document_version": "a document",
    "journal_entry": "a journal note", "letter": "a letter", "plan_version": "your plan",
    "plan_goal": "a goal in your plan", "plan_action": "an action in your plan",
    "plan_evaluation": "an evaluation of your plan", "zrm_assessment": "a ZRM assessment",
    "registration": "your registration", "registration_intake": "your registration intake",
    "referral": "your referral", "traject": "a traject", "time_entry": "time spent with you",
    "access_report": "this access overview",
}
EN_ROLES = {
    Role.BEHEERDER: "Application manager", Role.CASEMANAGER: "Case manager",
    Role.ERVARINGSDESKUNDIGE: "Peer support worker", Role.PROCESREGISSEUR: "Process director",
    Role.REGISTRATIECONTACTPERSOON: "Registration contact", Role.DIAGNOSTICUS: "Diagnostician",
    Role.PRIVACYFUNCTIONARIS: "Privacy officer", Role.NETWERKPARTNER: "Network partner",
}


@dataclass(frozen=True)
class ReportRow:
    when: datetime
    organisation: str
    role: str
    name: str | None
    what: str


@dataclass(frozen=True)
class AccessReport:
    number: str
    start: date
    end: date
    language: languages.Choice
    show_names: bool
    rows: list[ReportRow]
    made_on: date

    @property
    def words(self) -> dict:
        return WORDS[self.language.code]

    def day(self, value: date) -> str:
        if self.language.code == "en":
            return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
        return f"{value.day} {NL_MONTHS[value.month - 1]} {value.year}"

    def moment(self, value: datetime) -> str:
        local = value.astimezone(AMSTERDAM)
        return f"{self.day(local.date())}, {local:%H:%M}"

    @property
    def intro(self) -> str:
        return self.words["intro"].format(start=self.day(self.start), end=self.day(self.end))


def language_for(client) -> languages.Choice:
    return languages.choose(getattr(client, "preferred_language", None), WORDS)


def _role(roles: str | None, code: str) -> str:
    from portal.audit.labels import role_label

    if code != "en" or not roles:
        return role_label(roles)
    values = {role.value: role for role in Role}
    return ", ".join(EN_ROLES.get(values.get(part), part) for part in roles.split(","))


def _what(row, code: str) -> str:
    event = row.event
    if code != "en":
        label = event_label(event.event)
        if event.object_type not in ("document", "registration"):
            return label
        name = row.what.removeprefix(object_label(event.object_type)).lstrip(": ")
        return f"{label} ({name})" if name else label
    thing = EN_OBJECTS.get(event.object_type, "your information")
    return f"{thing[0].upper()}{thing[1:]} {EN_ACTIONS.get(event.action, 'used')}"


def client_events(client_id: int, start: date, end: date):
    """Every successful event about her in the period, oldest first (denials are no access)."""
    return (select(AuditEvent)
            .where(AuditEvent.client_id == client_id,
                   AuditEvent.outcome == Outcome.SUCCESS.value,
                   AuditEvent.occurred_at >= day_start(start),
                   AuditEvent.occurred_at < day_start(end + timedelta(days=1)))
            .order_by(AuditEvent.seq))


def build_report(client, start: date, end: date, today: date, events) -> AccessReport:
    language = language_for(client)
    code = language.code
    show_names = bool(current_app.config["ACCESS_REPORT_SHOW_NAMES"])
    names = staff_names(events) if show_names else {}
    words = WORDS[code]
    rows = [ReportRow(when=row.event.occurred_at,
                      organisation=row.event.organisation or (
                          words["system"] if row.event.user_id is None else words["unknown"]),
                      role=_role(row.event.role, code) or words["unknown"],
                      name=(names.get(row.event.user_id) or row.event.user_name or
                            words["unknown"]) if show_names else None,
                      what=_what(row, code))
            for row in describe(events)]
    return AccessReport(client.number, start, end, language, show_names, rows, today)


def house_document() -> WordDocument:
    """An A4 Word document with the letters' margins and font, headed by the organisation
    and team: for reports handed to a client."""
    style = housestyle.current()
    document = WordDocument()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = style.font or "Arial"
    normal.font.size = Pt(10)
    document.add_paragraph(f"{style.organisation}\n{style.team}")
    return document


def as_docx(report: AccessReport) -> bytes:
    """The report as a Word document in the house style's font, with its team and organisation."""
    words = report.words
    document = house_document()
    document.add_heading(words["title"], level=1)
    document.add_paragraph(f"{words['number']}: {report.number}\n{words['period']}: "
                           f"{report.day(report.start)} – {report.day(report.end)}")
    document.add_paragraph(report.intro)
    if not report.rows:
        document.add_paragraph(words["none"])
    else:
        heads = [words["when"], words["organisation"], words["role"],
                 *([words["name"]] if report.show_names else []), words["what"]]
        table = document.add_table(rows=1, cols=len(heads))
        table.style = "Table Grid"
        table.autofit = False
        widths = (3.0, 3.0, 3.0, 3.0, 4.6) if report.show_names else (3.2, 3.6, 3.6, 6.2)
        for cell, head in zip(table.rows[0].cells, heads, strict=True):
            cell.text = head
            cell.paragraphs[0].runs[0].bold = True
        for row in report.rows:
            values = [report.moment(row.when), row.organisation, row.role,
                      *([row.name] if report.show_names else []), row.what]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)  # LibreOffice reads the grid, Word the cells
            for cell in column.cells:
                cell.width = Cm(width)
        document.add_paragraph()
    if not report.show_names:
        document.add_paragraph(words["names_left_out"])
    document.add_paragraph(words["questions"])
    document.add_paragraph(words["made"].format(day=report.day(report.made_on)))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
