"""The sending page while letters wait in the outbox (the mail server is down): no meta
refresh; with its script the progress updates in place (and can be stopped), without it
(the script blocked, as when JavaScript is off) "Vernieuwen" does it. JavaScript itself stays
on in that second browser because axe-core needs it for the checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from portal.database import utcnow
from portal.extensions import db
from portal.letters import outbox
from portal.letters.models import OutboxMessage, OutboxStatus
from portal.roles import Role
from tests.e2e.conftest import check_page
from tests.e2e.test_dossier_journey import log_in
from tests.factories import make_mailing
from tests.smtp_server import mail_settings

pytestmark = pytest.mark.e2e


@pytest.fixture
def app(make_app, smtp):
    """The served app, sending its mail to the loopback SMTP server."""
    return make_app(**mail_settings(smtp))


def test_progress_updates_without_meta_refresh(app, smtp, live_server, account, browser_page,
                                               open_page, console_errors):
    regisseur = account(Role.PROCESREGISSEUR, name="Pieter Janssen")
    smtp.stop()  # the first attempt fails: the letters wait for a retry
    with app.app_context():
        mailing_url = f"{live_server}/brieven/verzendingen/{make_mailing(regisseur.id, 3).id}"
    page = browser_page
    log_in(page, live_server, regisseur)
    page.goto(mailing_url)
    progress = page.get_by_role("status")
    expect(progress).to_contain_text("0 van 3 verzonden")
    expect(progress).to_contain_text("3 in de wachtrij")
    assert page.locator('meta[http-equiv="refresh" i]').count() == 0
    expect(page.get_by_role("link", name="Vernieuwen", exact=True)).to_be_visible()
    stop = page.get_by_role("button", name="Automatisch bijwerken stoppen")
    expect(stop).to_be_visible()
    check_page(page)
    loads = len(page._page_log.loads)  # noqa: SLF001

    without_js = open_page()
    without_js.route("**/static/js/**", lambda route: route.abort())
    log_in(without_js, live_server, regisseur)
    without_js.goto(mailing_url)
    expect(without_js.get_by_role("status")).to_contain_text("0 van 3 verzonden")
    expect(without_js.get_by_role("button", name="Automatisch bijwerken stoppen")).to_have_count(0)
    check_page(without_js)

    stop.click()  # the reader stops the updates; nothing changes under her eyes
    resume = page.get_by_role("button", name="Automatisch bijwerken hervatten")
    expect(resume).to_have_attribute("aria-pressed", "true")
    smtp.start()
    with app.app_context():  # the retry is due (as time would have it) and the worker runs
        db.session.execute(update(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.WACHTRIJ.value).values(
            next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert outbox.deliver_due() == {"verzonden": 3, "opnieuw": 0, "mislukt": 0}
    assert len(smtp.messages) == 3
    page.wait_for_timeout(4500)  # longer than the 3-second interval
    expect(progress).to_contain_text("0 van 3 verzonden")

    resume.click()
    expect(progress).to_contain_text("3 van 3 verzonden", timeout=10_000)
    expect(page.locator("tbody tr").filter(has_text="verzonden")).to_have_count(3)
    expect(page.get_by_role("link", name="Vernieuwen", exact=True)).to_have_count(0)
    expect(resume).to_have_count(0)
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert len(page._page_log.loads) == loads  # noqa: SLF001 (updated in place, no reload)
    check_page(page)

    without_js.get_by_role("link", name="Vernieuwen", exact=True).click()
    expect(without_js.get_by_role("status")).to_contain_text("3 van 3 verzonden")
    expect(without_js.get_by_role("link", name="Vernieuwen", exact=True)).to_have_count(0)
    check_page(without_js)
    assert console_errors == []
