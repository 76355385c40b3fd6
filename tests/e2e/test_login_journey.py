"""Login journeys in a real browser: password plus TOTP, logout, and first-time enrolment."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from portal.roles import Role
from tests.e2e.conftest import check_page

pytestmark = pytest.mark.e2e

LOGIN_URL = re.compile(r"/login(\?.*)?$")


def submit_password(page, email: str, password: str) -> None:
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Volgende", exact=True).click()


def test_login_with_code_and_logout(live_server, account, browser_page, console_errors):
    user = account(Role.CASEMANAGER, name="Carla de Wit")
    page = browser_page

    page.goto(live_server + "/")
    expect(page).to_have_url(LOGIN_URL)
    check_page(page)
    submit_password(page, user.email, user.password)
    code = page.get_by_label("Code uit uw authenticator-app", exact=True)
    expect(code).to_be_visible()
    check_page(page)
    code.fill(user.next_code())
    page.get_by_role("button", name="Inloggen", exact=True).click()

    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", name="Welkom, Carla de Wit")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Uitloggen", exact=True).click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
    check_page(page)

    page.goto(live_server + "/")
    expect(page).to_have_url(LOGIN_URL)
    check_page(page)
    assert console_errors == []


def test_first_login_enrols_authenticator(live_server, account, browser_page, console_errors):
    user = account(Role.CASEMANAGER, name="Nina Bakker", enrolled=False)
    page = browser_page

    page.goto(live_server + "/login")
    check_page(page)
    submit_password(page, user.email, user.password)

    expect(page).to_have_url(re.compile(r"/login/koppelen$"))
    expect(page.locator(".qr svg")).to_be_visible()
    check_page(page)
    secret = "".join(page.locator("#totp-secret").inner_text().split())
    assert secret
    page.get_by_label("Code uit uw authenticator-app", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Koppelen en inloggen", exact=True).click()

    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", name="Welkom, Nina Bakker")).to_be_visible()
    expect(page.get_by_text("Uw authenticator-app is gekoppeld.")).to_be_visible()
    check_page(page)
    assert console_errors == []
