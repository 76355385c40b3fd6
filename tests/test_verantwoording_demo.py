"""The demo data gives procesregie a stand van zaken for this year with something in it."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.clients.lifecycle import TrajectKind
from portal.clock import local_today
from portal.extensions import db
from portal.verantwoording.figures import stand_van_zaken


def test_the_demo_report_of_this_year_is_not_empty(app):
    from portal.demo import seed_demo

    year = local_today().replace(month=1, day=1), local_today().replace(month=12, day=31)
    with app.app_context():
        seed_demo()
        report = stand_van_zaken(*year)
        trajecten = {t.kind: t.overlapping for t in report.trajecten}
        assert trajecten[TrajectKind.TIME_OUT] >= 1
        assert trajecten[TrajectKind.INSTROOMWONING] >= 1
        assert report.active_women >= 1
        assert report.registrations.issued >= 1
        assert db.session.scalar(select(User).where(
            User.email == "procesregie@demo.stapportaal.nl")) is not None


def test_procesregie_opens_the_demo_report_and_downloads_both_word_versions(app, client,
                                                                           account):
    import io

    from docx import Document as WordDocument

    from portal.demo import seed_demo
    from portal.roles import Role
    from tests.conftest import csrf_token, log_in

    with app.app_context():
        seed_demo()
    log_in(client, account(Role.PROCESREGISSEUR))
    page = client.get("/verantwoording/stand-van-zaken").get_data(as_text=True)
    assert page.count("<svg") >= 2 and "Budget per post" in page
    token = csrf_token(client, "/verantwoording/stand-van-zaken")
    for query in ("", "?versie=publicatie"):
        response = client.post("/verantwoording/stand-van-zaken.docx" + query,
                               data={"csrf_token": token})
        assert response.status_code == 200
        text = "\n".join(p.text for p in WordDocument(io.BytesIO(response.get_data()))
                         .paragraphs)
        assert "4. Budget" in text and "Time-out" in text and "Vrouwen in beeld" in text
