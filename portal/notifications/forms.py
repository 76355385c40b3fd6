"""The one setting on the notifications page: the daily digest."""

from __future__ import annotations

from wtforms import BooleanField

from portal.forms import DutchForm


class DigestForm(DutchForm):
    daily_digest = BooleanField("Stuur mij elke ochtend een samenvatting per e-mail",
                                description="Alleen aantallen en een link; nooit namen of "
                                            "nummers van cliënten.")
