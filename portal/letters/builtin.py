"""The built-in templates, written by code with python-docx (no binary files in git)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as WordDocument
from docx.shared import Pt


@dataclass(frozen=True)
class Builtin:
    key: str
    name: str
    purpose: str
    language: str
    fields: list[dict]
    paragraphs: list[str]
    letterhead: bool = False


def _field(name: str, label: str, kind: str = "tekst", required: bool = True) -> dict:
    return {"name": name, "label": label, "type": kind, "required": required}


LETTERHEAD = [("Ons kenmerk", "{{ kenmerk }}"), ("Datum", "{{ datum }}"),
              ("Onderwerp", "{{ onderwerp }}"), ("Contactpersoon", "{{ contactpersoon }}"),
              ("Telefoon", "{{ telefoon }}"), ("Bijlagen", "{{ bijlagen }}")]

BUILTINS = [
    Builtin(
        key="informatiebrief-stapteam", name="Informatiebrief Stapteam 2.0",
        purpose="partnerbrief", language="nl", letterhead=True,
        fields=[_field("onderwerp", "Onderwerp"),
                _field("contactpersoon", "Contactpersoon registraties"),
                _field("telefoon", "Telefoon contactpersoon"),
                _field("team", "Team en bereikbaarheid", "lang"),
                _field("bijlagen", "Bijlagen", required=False)],
        paragraphs=[
            "{{ ontvanger.organisatie }}",
            "T.a.v. {{ ontvanger.naam }}",
            "Geachte {{ ontvanger.naam }},",
            "Met deze brief informeren wij u over Stapteam 2.0: de ondersteuning van "
            "sekswerkers op straat in Nijmegen door casemanagers van Iriszorg en het Leger des "
            "Heils samen met een ervaringsdeskundige, met procesregie door het Zorg- en "
            "Veiligheidshuis.",
            "{{ team }}",
            "Voor vragen over registraties voor de tippelzone is {{ contactpersoon }} uw "
            "contactpersoon, bereikbaar op {{ telefoon }}.",
            "Met vriendelijke groet,",
            "Gemeente Nijmegen, namens het Stapteam",
        ]),
    Builtin(
        key="clientbrief-nl", name="Brief aan cliënt (eenvoudig Nederlands)",
        purpose="clientbrief", language="nl",
        fields=[_field("onderwerp", "Onderwerp"), _field("bericht", "Bericht", "lang"),
                _field("afzender", "Afzender")],
        paragraphs=["Kenmerk: {{ kenmerk }}", "Nijmegen, {{ datum }}",
                    "Onderwerp: {{ onderwerp }}", "Beste {{ client.werknaam }},",
                    "{{ bericht }}", "Heb je vragen? Bel of app ons gerust.", "Groet,",
                    "{{ afzender }}, Stapteam Nijmegen"]),
    Builtin(
        key="clientbrief-en", name="Letter to client (plain English)",
        purpose="clientbrief", language="en",
        fields=[_field("onderwerp", "Onderwerp"), _field("bericht", "Bericht", "lang"),
                _field("afzender", "Afzender")],
        paragraphs=["Reference: {{ kenmerk }}", "Nijmegen, {{ datum }}",
                    "Subject: {{ onderwerp }}",
                    "Dear {{ client.werknaam }},", "{{ bericht }}",
                    "Questions? Call or text us any time.", "Kind regards,",
                    "{{ afzender }}, Stapteam Nijmegen"]),
    Builtin(
        key="registratiebrief", name="Registratiebrief tippelzone",
        purpose="registratiebrief", language="nl", letterhead=False,
        fields=[_field("onderwerp", "Onderwerp"),
                _field("registratienummer", "Registratienummer"),
                _field("besluit", "Besluit", "lang"),
                _field("ingangsdatum", "Ingangsdatum", "datum", required=False),
                _field("geldig_tot", "Geldig tot", "datum", required=False)],
        paragraphs=["Ons kenmerk: {{ kenmerk }}", "Datum: {{ datum }}",
                    "Aan: {{ client.naam }}", "Onderwerp: {{ onderwerp }}",
                    "Registratienummer: {{ registratienummer }}", "{{ besluit }}",
                    "{%p if geldig_tot %}",
                    "De registratie gaat in op {{ ingangsdatum }} en is geldig tot en met "
                    "{{ geldig_tot }}.", "{%p endif %}",
                    "Met vriendelijke groet,", "Gemeente Nijmegen"]),
]


def build(builtin: Builtin) -> bytes:
    document = WordDocument()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10.5)
    document.add_heading("Gemeente Nijmegen" if builtin.purpose != "clientbrief"
                         else "Stapteam Nijmegen", level=2)
    if builtin.letterhead:
        table = document.add_table(rows=0, cols=2)
        for label, value in LETTERHEAD:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    for text in builtin.paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
