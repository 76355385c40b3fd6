"""The house style every letter uses: letterhead, logo, footer, signer, font, addresses."""

from __future__ import annotations

import io

from docxtpl import Listing
from sqlalchemy import select

from portal.audit.models import Action
from portal.audit.services import record
from portal.documents import validation
from portal.extensions import db
from portal.letters.models import HouseStyle
from portal.refusal import DomainError
from portal.transactions import service

MAX_LOGO_BYTES = 1024 * 1024
FONTS = ("Arial", "Calibri", "Verdana", "Liberation Sans", "DejaVu Sans")

# Until the beheerder saves the house style; the addresses are the municipality's public ones.
DEFAULTS = {
    "organisation": "Gemeente Nijmegen",
    "letterhead": "Stapteam Nijmegen\nZorg- en Veiligheidshuis Gelderland-Zuid",
    "team": "Stapteam Nijmegen",
    "team_address": "Postbus 9105\n6500 HG Nijmegen",
    "postal_address": "Postbus 9105, 6500 HG Nijmegen",
    "visiting_address": "Stadswinkel, Korte Nieuwstraat 6, Nijmegen",
    "phone": "14 024",
    "email": "stapteam@nijmegen.nl",
    "website": "www.nijmegen.nl",
    "signer_name": "L. de Wit",
    "signer_function": "teamleider Stapteam",
    "objection_address": "het college van burgemeester en wethouders van Nijmegen\n"
                         "Postbus 9105\n6500 HG Nijmegen",
    "font": "Arial",
}
TEXT_FIELDS = tuple(DEFAULTS)


def current() -> HouseStyle:
    """The saved house style, or an unsaved one with the defaults."""
    saved = db.session.scalar(select(HouseStyle).order_by(HouseStyle.id).limit(1))
    return saved if saved is not None else HouseStyle(**DEFAULTS)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def context(style: HouseStyle | None = None) -> dict:
    """What a template may use: `huisstijl.*` and `ondertekenaar.*` (the logo is added by
    the renderer, which needs the document to place an image)."""
    style = style or current()
    return {
        "huisstijl": {
            "organisatie": style.organisation,
            "briefhoofd": Listing("\n".join(_lines(style.letterhead))),
            "team": style.team,
            "postadres": style.postal_address,
            "bezoekadres": style.visiting_address,
            "telefoon": style.phone, "email": style.email, "website": style.website,
            "bezwaar_adres": Listing("\n".join(_lines(style.objection_address))),
            "voettekst": f"Postadres: {style.postal_address} · Bezoekadres: "
                         f"{style.visiting_address} · {style.website}",
        },
        "ondertekenaar": {"naam": style.signer_name, "functie": style.signer_function},
    }


def team_address_lines(style: HouseStyle | None = None) -> list[str]:
    style = style or current()
    return [f"p/a {style.team}", *_lines(style.team_address)]


def checked_logo(data: bytes) -> bytes:
    """A logo is a PNG or JPEG that passes the intake check, at most 1 MB."""
    if len(data) > MAX_LOGO_BYTES:
        raise DomainError("Het logo is groter dan 1 MB.", field="logo")
    try:
        kind = validation.sniff(data[:16])
    except validation.Refused:
        kind = None
    if kind not in (validation.PNG, validation.JPEG):
        raise DomainError("Het logo moet een PNG- of JPEG-afbeelding zijn.", field="logo")
    validation.check(io.BytesIO(data), {validation.PNG, validation.JPEG})
    return data


@service
def save(actor, values: dict, *, logo: bytes | None = None, remove_logo: bool = False
         ) -> HouseStyle:
    style = db.session.scalar(select(HouseStyle).order_by(HouseStyle.id).limit(1))
    created = style is None
    style = style or HouseStyle()
    for name in TEXT_FIELDS:
        setattr(style, name, (values.get(name) or "").strip() or DEFAULTS[name])
    if style.font not in FONTS:
        raise DomainError("Kies een van de lettertypen uit de lijst.", field="font")
    if logo:
        try:
            style.logo = checked_logo(logo)
        except validation.Refused as refused:
            raise DomainError(refused.message, field="logo") from refused
    elif remove_logo:
        style.logo = None
    style.updated_by_id = actor.id
    db.session.add(style)
    db.session.flush()
    record("letters.house_style_saved", Action.CREATE if created else Action.UPDATE,
           object_type="letter_house_style", object_id=style.id,
           detail={"logo": style.logo is not None})
    db.session.commit()
    return style
