"""Languages of letters: names in Dutch and English (and the language's own) to ISO 639-1.

A client's preferred language is free text ("Engels", "English", "Roemeens", "ro"); templates
carry a code ("nl", "en", "ro"). `choose` picks the language of a letter among the codes a
template exists in, Dutch when hers is missing, and says why in Dutch for the letter page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

DUTCH = "nl"

# code: (Dutch name, English name, other names people type: the language's own, variants)
LANGUAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "nl": ("Nederlands", "Dutch", ("nederlandse", "vlaams", "flemish")),
    "en": ("Engels", "English", ("engelse",)),
    "de": ("Duits", "German", ("deutsch",)),
    "fr": ("Frans", "French", ("français", "francais")),
    "es": ("Spaans", "Spanish", ("español", "espanol", "castellano")),
    "pt": ("Portugees", "Portuguese", ("português", "portugues", "braziliaans")),
    "it": ("Italiaans", "Italian", ("italiano",)),
    "ro": ("Roemeens", "Romanian", ("română", "romana", "moldavisch")),
    "bg": ("Bulgaars", "Bulgarian", ("български", "balgarski")),
    "pl": ("Pools", "Polish", ("polski",)),
    "hu": ("Hongaars", "Hungarian", ("magyar",)),
    "cs": ("Tsjechisch", "Czech", ("čeština", "cestina")),
    "sk": ("Slowaaks", "Slovak", ("slovenčina", "slovencina")),
    "lt": ("Litouws", "Lithuanian", ("lietuvių", "lietuviu")),
    "lv": ("Lets", "Latvian", ("latviešu", "latviesu")),
    "ru": ("Russisch", "Russian", ("русский", "russkij")),
    "uk": ("Oekraïens", "Ukrainian", ("українська", "oekraiens")),
    "sq": ("Albanees", "Albanian", ("shqip",)),
    "hr": ("Kroatisch", "Croatian", ("hrvatski",)),
    "sr": ("Servisch", "Serbian", ("srpski",)),
    "el": ("Grieks", "Greek", ("ελληνικά",)),
    "tr": ("Turks", "Turkish", ("türkçe", "turkce")),
    "ar": ("Arabisch", "Arabic", ("العربية",)),
    "fa": ("Perzisch", "Persian", ("farsi", "dari")),
    "ti": ("Tigrinya", "Tigrinya", ("tigrinya", "tigrinia")),
    "am": ("Amhaars", "Amharic", ("amhaars",)),
    "so": ("Somalisch", "Somali", ("soomaali",)),
    "sw": ("Swahili", "Swahili", ("kiswahili",)),
    "th": ("Thais", "Thai", ("thai", "ภาษาไทย")),
    "tl": ("Tagalog", "Tagalog", ("filipino",)),
    "zh": ("Chinees", "Chinese", ("mandarijn", "mandarin", "中文")),
    "vi": ("Vietnamees", "Vietnamese", ("tiếng việt", "tieng viet")),
}


def _plain(text: str) -> str:
    """Lower case without accents, so "Roemeens", "roemeens " and "Română" compare."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


NAMES: dict[str, str] = {}
for _code, (_dutch, _english, _others) in LANGUAGES.items():
    for _name in (_code, _dutch, _english, *_others):
        NAMES[_plain(_name)] = _code


def code_for(name: str | None) -> str | None:
    """The ISO 639-1 code of a language name or code ("Engels", "english", "en-GB"), or None."""
    plain = _plain(name or "")
    if plain in NAMES:
        return NAMES[plain]
    head = plain.replace("_", "-").split("-", 1)[0]
    return head if len(head) == 2 and head in LANGUAGES else None


def dutch_name(code: str) -> str:
    """The language's name in Dutch ("ro" → "Roemeens"); an unknown code as it is."""
    return LANGUAGES[code][0] if code in LANGUAGES else code


def _listed(codes: list[str]) -> str:
    names = [f"het {dutch_name(code)}" for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


@dataclass(frozen=True)
class Choice:
    code: str  # the language the letter is written in
    reason: str  # shown on the letter page: which language, and why

    @property
    def fallback(self) -> bool:
        return self.reason.startswith(f"{dutch_name(DUTCH)}:")


def choose(preferred: str | None, available) -> Choice:
    """Her language when a template exists in it, otherwise Dutch, with the reason."""
    codes = sorted(set(available), key=lambda code: (code != DUTCH, code))
    shown = (preferred or "").strip()
    wanted = code_for(shown)
    if not shown:
        return Choice(DUTCH, "Nederlands, omdat er geen voorkeurstaal is vastgelegd.")
    if wanted in codes:
        return Choice(wanted, f"{dutch_name(wanted)}, omdat de voorkeurstaal van de cliënt "
                              f"{shown} is.")
    if wanted is None:
        return Choice(DUTCH, f"Nederlands: de voorkeurstaal van de cliënt ({shown}) is geen "
                             "taal die het portaal kent.")
    return Choice(DUTCH, f"Nederlands: de voorkeurstaal van de cliënt is {shown}, en de brief "
                         f"bestaat alleen in {_listed(codes)}.")


def choices() -> list[tuple[str, str]]:
    """(code, Dutch name) for a select of template languages, Dutch and English first."""
    first = [DUTCH, "en"]
    rest = sorted((code for code in LANGUAGES if code not in first), key=dutch_name)
    return [(code, dutch_name(code)) for code in [*first, *rest]]
