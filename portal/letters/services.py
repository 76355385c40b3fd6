"""Generating letters: one per recipient, with a unique kenmerk, stored and logged."""

from __future__ import annotations

import base64
import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from docxtpl import Listing
from flask import current_app

from portal import jobs
from portal.audit.models import Action
from portal.audit.services import record
from portal.clients.models import Client
from portal.clock import local_today
from portal.database import utcnow
from portal.documents import services as document_services
from portal.documents import storage, validation
from portal.documents.models import DocumentKind
from portal.extensions import db
from portal.letters import docx, housestyle, outbox, pdf, tasks
from portal.letters.models import (
    Letter,
    LetterAttachment,
    Mailing,
    OutboxMessage,
    Purpose,
    TemplateVersion,
)
from portal.letters.templates import template_bytes
from portal.partners.models import DistributionList, PartnerContact
from portal.refusal import DomainError
from portal.sequences import next_value
from portal.templating import local_date
from portal.transactions import service

DOCX_NAME = "{kenmerk}.docx"


def next_kenmerk(today: date) -> str:
    number = next_value("kenmerk", today.year)
    return current_app.config["LETTER_KENMERK_FORMAT"].format(year=today.year, number=number)


def _form_values(version: TemplateVersion, values: dict) -> dict:
    """Only declared fields, as text (dates in Dutch); anything else is dropped."""
    result = {}
    for field in version.fields:
        value = values.get(field["name"])
        if isinstance(value, date):
            value = local_date(value)
        result[field["name"]] = "" if value is None else str(value)
    return result


def _for_word(version: TemplateVersion, values: dict) -> dict:
    """Long text keeps its line breaks in Word (docxtpl Listing escapes the text itself);
    so does the Bijlagen line, one attachment a line."""
    long_fields = {f["name"] for f in version.fields if f["type"] == "lang"} | {BIJLAGEN}
    # An empty value stays "": a Listing is always true, and the optional rows of the
    # reference block ({%tr if bijlagen %}) must disappear when there is nothing to show.
    return {name: Listing(value) if name in long_fields and value else value
            for name, value in values.items()}


BIJLAGEN = "bijlagen"


def with_attachments(values: dict, attachments: list[LetterAttachment]) -> dict:
    """The Bijlagen line names every attachment from the library, then what was typed
    (a paper enclosure, say)."""
    if not attachments:
        return values
    typed = str(values.get(BIJLAGEN) or "").strip()
    return {**values, BIJLAGEN: "\n".join([*(a.title for a in attachments),
                                          *([typed] if typed else [])])}


def client_address_lines(client: Client, name: str) -> list[str]:
    """Her own postal address when she chose it, otherwise p/a the team (the default)."""
    own = [line.strip() for line in (client.postal_address or "").splitlines() if line.strip()]
    if client.letters_to == "eigen" and own:
        return [name, *own]
    return [name, *housestyle.team_address_lines()]


def client_aanhef(client: Client, name: str, *, formal: bool, language: str) -> str:
    """Her own aanhef; a decision keeps a formal one ("Geachte ...") only."""
    own = (client.salutation or "").strip()
    if own and (not formal or own.casefold().startswith(("geachte", "dear"))):
        return own
    if formal:
        return f"Geachte {name}"
    return f"Dear {client.werknaam}" if language == "en" else f"Beste {client.werknaam}"


def client_context(client: Client, *, formal: bool = False, language: str = "nl") -> dict:
    """A client letter goes to her working name at the address she chose (p/a the team by
    default) with her aanhef; a registration letter (formal) to her legal name."""
    name = (client.legal_name or client.werknaam) if formal else client.werknaam
    return {"client": {"werknaam": client.werknaam, "naam": client.legal_name or client.werknaam,
                       "nummer": client.number, "taal": client.preferred_language},
            "adres": Listing("\n".join(client_address_lines(client, name))),
            "aanhef": client_aanhef(client, name, formal=formal, language=language)}


def contact_context(contact: PartnerContact) -> dict:
    return {"ontvanger": {"naam": contact.name, "organisatie": contact.organisation.name,
                          "afdeling": contact.department or "", "email": contact.email},
            "adres": Listing("\n".join(contact.address_lines)), "aanhef": contact.greeting}


def render_letter(version: TemplateVersion, values: dict, extra: dict, kenmerk: str,
                  on: date, template: bytes | None = None, sender: str = "") -> bytes:
    """The letter as Word file: the form values, the house style, the recipient's address;
    it passes the same intake check as an upload before anyone stores or sends it."""
    style = housestyle.current()
    context = {"adres": "", "aanhef": "", **housestyle.context(style),
               "behandelaar": {"naam": sender or style.team},
               **_for_word(version, _form_values(version, values)), **extra,
               "kenmerk": kenmerk, "datum": local_date(on)}
    try:
        content = docx.render(template if template is not None else template_bytes(version),
                              context, docx.Limits.from_config(current_app.config),
                              logo=style.logo)
    except docx.RenderError as error:  # preview, mailing or dossier letter: say why, in Dutch
        raise DomainError(str(error)) from error
    if version.template is not None and version.template.builtin_key:
        content = docx.with_font(content, style.font)
    try:
        validation.check(io.BytesIO(content), {validation.DOCX})
    except validation.Refused as refused:
        raise DomainError(f"De gemaakte brief komt niet door de controle op documenten: "
                          f"{refused.message}") from refused
    return content


@dataclass(frozen=True)
class Preview:
    """What the writer sees before making or sending: the first page as a picture from the
    same render (when LibreOffice is there) and the letter's text."""

    text: str
    image: str | None = None  # a data: URI of the first page (PNG)
    no_image: str | None = None  # why there is no picture, in Dutch

    def __str__(self) -> str:  # pages that show only the text
        return self.text


def preview(version: TemplateVersion, values: dict, *, client: Client | None = None,
            contact: PartnerContact | None = None, formal: bool = False,
            sender: str = "", attachments: list[LetterAttachment] = ()) -> Preview:
    """The letter as it will be, with a sample kenmerk; nothing is stored."""
    rendered = preview_docx(version, with_attachments(values, list(attachments)),
                            client=client, contact=contact, formal=formal, sender=sender)
    return Preview(docx.plain_text(rendered), *first_page(rendered))


def first_page(rendered: bytes) -> tuple[str | None, str | None]:
    """The first page of a rendered letter as a data: URI, or why there is none."""
    if not pdf.available():
        return None, ("LibreOffice is niet geïnstalleerd op deze server, dus er is geen "
                      "afbeelding van de brief; hieronder staat de tekst.")
    try:
        png = pdf.first_page_png(pdf.to_pdf(rendered), dpi=80)
    except pdf.ConversionError as error:
        return None, f"{error} Hieronder staat de tekst van de brief."
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii"), None


def preview_docx(version: TemplateVersion, values: dict, *, client: Client | None = None,
                 contact: PartnerContact | None = None, formal: bool = False,
                 sender: str = "") -> bytes:
    if client:
        extra = client_context(client, formal=formal, language=_language(version))
    elif contact:
        extra = contact_context(contact)
    else:
        extra = {"ontvanger": {"naam": "(naam ontvanger)", "organisatie": "(organisatie)",
                               "afdeling": "", "email": ""},
                 "adres": Listing("(naam ontvanger)\n(organisatie)\n(postadres)"),
                 "aanhef": "Geachte (naam ontvanger)"}
    sample = current_app.config["LETTER_KENMERK_FORMAT"].format(year=local_today().year,
                                                                number=0)
    return render_letter(version, values, extra, sample, local_today(), sender=sender)


def _language(version: TemplateVersion) -> str:
    return version.template.language if version.template is not None else "nl"


@dataclass(frozen=True)
class MailingRequest:
    version: TemplateVersion
    values: dict
    subject: str
    distribution_list: DistributionList
    attachments: list[LetterAttachment] = dataclasses.field(default_factory=list)


@service
def send_to_list(actor, request: MailingRequest) -> Mailing:
    """One personal letter per active list member, each queued in the outbox; one commit."""
    if request.version.template.purpose_enum.uses_client:
        raise DomainError("Een brief met cliëntgegevens gaat nooit naar een partnerlijst.")
    contacts = request.distribution_list.active_members
    if not contacts:
        raise DomainError("Deze verzendlijst heeft geen actieve contactpersonen.")
    values = with_attachments(request.values, request.attachments)
    mailing = Mailing(template_version_id=request.version.id, subject=request.subject.strip(),
                      list_id=request.distribution_list.id,
                      values=_form_values(request.version, values),
                      created_by_id=actor.id)
    db.session.add(mailing)
    keys: list[str] = []
    template = template_bytes(request.version)  # decrypted once for the whole mailing
    with document_services.files_kept_only_on_commit(keys):
        for contact in contacts:
            letter = _letter(actor, request.version, values, contact_context(contact),
                             request.subject, keys, template=template, contact_id=contact.id)
            letter.mailing = mailing
            letter.attachments = list(request.attachments)
            letter.outbox.append(_outbox_message(letter, contact, actor))
        db.session.flush()
        record("letters.mailing_queued", Action.CREATE, object_type="mailing",
               object_id=mailing.id, detail={
                   "letters": len(contacts), "template_version": request.version.id,
                   **({"attachments": [a.id for a in request.attachments]}
                      if request.attachments else {})})
        jobs.after_commit(tasks.deliver_outbox)  # the worker picks the queue up right away
    return mailing


def _letter(actor, version: TemplateVersion, values: dict, extra: dict, subject: str,
            keys: list[str], template: bytes | None = None, **links) -> Letter:
    today = local_today()
    kenmerk = next_kenmerk(today)
    content = render_letter(version, values, extra, kenmerk, today, template,
                            sender=actor.name)
    stored = storage.store(io.BytesIO(content))
    keys.append(stored.key)
    letter = Letter(kenmerk=kenmerk, template_version_id=version.id, subject=subject.strip(),
                    letter_date=today, values=_form_values(version, values),
                    storage_key=stored.key, sha256=stored.sha256, size=stored.size,
                    created_by_id=actor.id, **links)
    db.session.add(letter)
    return letter


def _outbox_message(letter: Letter, contact: PartnerContact, actor) -> OutboxMessage:
    return OutboxMessage(recipient=contact.email, subject=f"{letter.subject} ({letter.kenmerk})",
                         body=mail_body(letter, contact, actor),
                         message_id=outbox.new_message_id())


def mail_body(letter: Letter, contact: PartnerContact, actor) -> str:
    """A short Dutch message with the letter attached and whom to ask about it."""
    style = housestyle.current()
    attached = "als PDF" if pdf.for_mail(current_app.config) else "als Word-bestand"
    names = [f"- {item.title} ({item.filename})" for item in letter.attachments]
    enclosed = ("Met de brief gaan deze bijlagen mee:\n" + "\n".join(names) + "\n\n"
                if names else "")
    return (f"{contact.greeting},\n\n"
            f"Bijgaand ontvangt u {attached} onze brief \"{letter.subject}\" met kenmerk "
            f"{letter.kenmerk}.\n\n{enclosed}"
            f"Heeft u vragen over deze brief? Neem dan contact op met {actor.name}, "
            f"{style.team}, telefoon {style.phone}, e-mail {style.email}. Vermeld daarbij "
            "het kenmerk.\n\n"
            f"Met vriendelijke groet,\n\n{actor.name}\n{style.team}\n{style.organisation}\n"
            f"{style.postal_address}\n")


@service
def create_client_letter(actor, version: TemplateVersion, values: dict, subject: str,
                         client: Client, *, registration_id: int | None = None,
                         within: Callable[[Letter], None] | None = None,
                         attachments: list[LetterAttachment] = ()) -> Letter:
    """A letter about one client, stored in her dossier as a confidential document (brief).

    A registration letter carries its registration's id; `within` runs inside the same
    transaction (the registration notes the letter in its history). Attachments from the
    library are named in the Bijlagen line and go with the letter when it is handed over."""
    if not version.template.purpose_enum.uses_client:
        raise DomainError("Dit sjabloon is voor partners, niet voor een cliënt.")
    keys: list[str] = []
    with document_services.files_kept_only_on_commit(keys):
        formal = version.template.purpose_enum == Purpose.REGISTRATIEBRIEF
        letter = _letter(actor, version, with_attachments(values, list(attachments)),
                         client_context(client, formal=formal, language=_language(version)),
                         subject, keys,
                         client_id=client.id,
                         registration_id=registration_id)
        letter.attachments = list(attachments)
        content = b"".join(storage.stream(letter.storage_key, letter.sha256))
        kind = (DocumentKind.REGISTRATIEDOCUMENT
                if version.template.purpose_enum == Purpose.REGISTRATIEBRIEF
                else DocumentKind.BRIEF)
        document = document_services.add_generated(
            client, actor, kind=kind, title=f"{subject.strip()} ({letter.kenmerk})",
            content=content, filename=DOCX_NAME.format(kenmerk=letter.kenmerk.replace("/", "-")),
            keys=keys)
        letter.document_id = document.id
        if within is not None:
            within(letter)
        record("letters.client_letter_created", Action.CREATE, object_type="letter",
               object_id=letter.id, client_id=client.id,
               detail={"kenmerk": letter.kenmerk, "template_version": version.id,
                       **({"attachments": [a.id for a in attachments]} if attachments
                          else {})})
    return letter


@service
def mark_handed_over(letter: Letter, actor) -> None:
    if letter.handed_over_at is not None:
        raise DomainError("Deze brief is al als uitgereikt vastgelegd.")
    letter.handed_over_at, letter.handed_over_by_id = utcnow(), actor.id
    record("letters.handed_over", Action.UPDATE, object_type="letter", object_id=letter.id,
           client_id=letter.client_id)
    db.session.commit()
