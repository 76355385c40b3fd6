"""The wording of the built-in letters (paragraphs; "## " a small heading, "~ " small print)."""

from __future__ import annotations

# A line break inside a paragraph ("\n") keeps the ondertekening together as one block.
SIGNED = ["Met vriendelijke groet,",
          "\n\n{{ ondertekenaar.naam }}\n{{ ondertekenaar.functie }}\n{{ huisstijl.organisatie }}"]
SIGNED_FOR_COLLEGE = ["Met vriendelijke groet,\nnamens het college van burgemeester en "
                      "wethouders,",
                      "\n\n{{ ondertekenaar.naam }}\n{{ ondertekenaar.functie }}"]
OBJECTION = [
    "## Bent u het niet eens met dit besluit?",
    "~ Dan kunt u bezwaar maken (artikel 6:7 van de Algemene wet bestuursrecht). Dat moet "
    "binnen zes weken na de dag waarop wij deze brief hebben verstuurd. Wij hebben deze brief "
    "verstuurd op {{ datum }}.",
    "~ Stuur uw bezwaarschrift naar:",
    "~ {{ huisstijl.bezwaar_adres }}",
    "~ Zet in uw bezwaarschrift: uw naam en adres, de datum, het kenmerk van dit besluit "
    "({{ besluit_kenmerk or kenmerk }}), waarom u het niet eens bent met het besluit, en uw "
    "handtekening. Stuur een kopie van deze brief mee.",
    "~ Wilt u eerst met ons praten over het besluit? Bel dan {{ behandelaar.naam }} via "
    "{{ huisstijl.telefoon }}. De termijn van zes weken loopt dan gewoon door.",
]

INFORMATIEBRIEF = [
    "{{ aanhef }},",
    "Met deze brief informeren wij u over Stapteam 2.0: de ondersteuning van sekswerkers op "
    "straat in Nijmegen door casemanagers van Iriszorg en het Leger des Heils samen met een "
    "ervaringsdeskundige, met procesregie door het Zorg- en Veiligheidshuis.",
    "## Wat doet het Stapteam?",
    "Het Stapteam ondersteunt vrouwen die op straat sekswerk doen. Een casemanager helpt bij "
    "wonen, geld, gezondheid en veiligheid; de ervaringsdeskundige kent het werk van binnenuit "
    "en legt vaak het eerste contact. Waar dat nodig is, doen een psychiater van Pro Persona "
    "en een klinisch psycholoog van Iriszorg diagnostiek op straat.",
    "## Team en bereikbaarheid",
    "{{ team }}",
    "## Registraties voor de tippelzone",
    "Voor vragen over registraties voor de tippelzone is {{ contactpersoon }} uw "
    "contactpersoon, bereikbaar op {{ telefoon }}.",
    "## Samenwerken",
    "Maakt u zich zorgen over een vrouw die op straat werkt? Meld het bij het Zorg- en "
    "Veiligheidshuis met een aanmelding of signaal, of bel het Stapteam. Wij spreken met u af "
    "wie wat doet en houden u op de hoogte, binnen wat de privacyregels toestaan.",
    *SIGNED,
]

CLIENT_NL = ["{{ aanhef }},", "{{ bericht }}",
             "Heb je vragen? Bel of app ons gerust op {{ huisstijl.telefoon }}.", "Groet,",
             "\n{{ afzender }}\n{{ huisstijl.team }}"]
CLIENT_EN = ["{{ aanhef }},", "{{ bericht }}",
             "Questions? Call or text us any time on {{ huisstijl.telefoon }}.", "Kind regards,",
             "\n{{ afzender }}\n{{ huisstijl.team }}"]

ON_REQUEST = ("Op {{ aanvraagdatum }} heeft u een registratie voor de tippelzone aangevraagd. "
              "Op {{ besluitdatum }} hebben wij daarover besloten.")
GRANTED = [
    "{{ aanhef }},", "{{ besluit }}", ON_REQUEST, "## Ons besluit",
    "Wij geven u een registratie voor de tippelzone met nummer {{ registratienummer }}. De "
    "registratie gaat in op {{ ingangsdatum }} en is geldig tot en met {{ geldig_tot }}.",
    "## Waar moet u op letten?",
    "Neem uw registratiepas mee als u op de tippelzone werkt en laat hem zien als een "
    "toezichthouder of de politie daarom vraagt. Wilt u na {{ geldig_tot }} verder? Vraag dan "
    "op tijd een hernieuwing aan.",
    *SIGNED_FOR_COLLEGE, *OBJECTION,
]
REFUSED = [
    "{{ aanhef }},", "{{ besluit }}", ON_REQUEST, "## Ons besluit",
    "Wij wijzen uw aanvraag voor een registratie voor de tippelzone (nummer "
    "{{ registratienummer }}) af.",
    "## Waarom wijzen wij uw aanvraag af?", "{{ gronden }}",
    *SIGNED_FOR_COLLEGE, *OBJECTION,
]
REVOKED = [
    "{{ aanhef }},", "{{ besluit }}", "## Ons besluit",
    "Wij trekken uw registratie voor de tippelzone met nummer {{ registratienummer }} in. De "
    "intrekking gaat in op {{ einddatum }}. Vanaf die dag mag u met deze registratie niet "
    "meer op de tippelzone werken.",
    "## Waarom trekken wij uw registratie in?", "Reden: {{ reden }}.",
    "{%p if toelichting %}", "{{ toelichting }}", "{%p endif %}",
    "## Uw registratiepas",
    "Lever uw registratiepas in bij het Stapteam als u dat nog niet heeft gedaan.",
    *SIGNED_FOR_COLLEGE, *OBJECTION,
]
EXPIRED = [
    "{{ aanhef }},", "{{ besluit }}",
    "Uw registratie voor de tippelzone met nummer {{ registratienummer }} was geldig tot en "
    "met {{ geldig_tot }}. Die dag is voorbij: de registratie is verlopen en u mag er niet "
    "meer mee op de tippelzone werken.",
    "Wilt u weer op de tippelzone werken? Vraag dan een nieuwe registratie aan; het Stapteam "
    "helpt u daar graag bij. Lever uw registratiepas in als u dat nog niet heeft gedaan.",
    *SIGNED,
]
