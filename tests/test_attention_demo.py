"""The demo data gives every role something on her start page (issue 13: done when)."""

from __future__ import annotations

from sqlalchemy import select

from portal import demo
from portal.auth.models import User
from portal.extensions import db
from portal.main.attention import sections_for
from tests.test_cli import run

# The lists the demo must fill: at least one for every role, most of them all.
EXPECTED_FILLED = {
    "casemanager@demo.stapportaal.nl": {"cm_nieuw", "cm_rapporten", "cm_registraties",
                                        "cm_trajecten", "cm_stil", "cm_avg"},
    "ervaring@demo.stapportaal.nl": {"ed_stil"},
    "procesregie@demo.stapportaal.nl": {"pr_triage", "pr_zonder_cm", "pr_monitoring",
                                        "pr_verzendingen", "ap_voorstellen"},
    "registratie@demo.stapportaal.nl": {"rc_aanvragen", "rc_aflopend", "rc_passen",
                                        "rc_dagpassen"},
    "psychiater@demo.stapportaal.nl": {"di_concept", "di_trajecten"},
    "psycholoog@demo.stapportaal.nl": {"di_trajecten"},
    "casemanager.ldh@demo.stapportaal.nl": {"cm_zrm"},
    "beheer@demo.stapportaal.nl": {"bh_outbox", "bh_controles"},
    "privacy@demo.stapportaal.nl": {"pf_weigeringen", "pf_exports", "pf_bewaartermijn",
                                    "pf_voorstellen", "pf_avg"},
}


def test_every_role_has_items_on_the_demo_start_page(app):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        for email, keys in EXPECTED_FILLED.items():
            user = db.session.scalar(select(User).where(User.email == email))
            filled = {s.spec.key for s in sections_for(user) if s.count}
            assert keys <= filled, (email, keys - filled)
    assert {email for _, email, _, roles in demo.USERS if "netwerkpartner" not in roles} == \
        set(EXPECTED_FILLED)


def test_the_demo_library_has_a_leaflet_that_passed_the_intake(app):
    import io

    from pypdf import PdfReader

    from portal.documents import storage
    from portal.letters.models import LetterAttachment

    assert run(app, "seed-demo").exit_code == 0
    with app.app_context():
        (leaflet,) = db.session.scalars(select(LetterAttachment)).all()
        content = b"".join(storage.stream(leaflet.storage_key, leaflet.sha256))
    assert leaflet.active and leaflet.title == "Folder Stapteam (demo)"
    assert "Wij zijn er voor vrouwen" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
