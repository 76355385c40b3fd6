"""Fixtures for the browser journeys: the app on a live port and a headless Chromium page."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set, else Debian's chromium, else whatever `chromium` is on PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


@pytest.fixture
def live_server(app):
    """Serve the test's own app (the one `account` writes to) on a free local port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def browser_page():
    """A page in a fresh context of headless Chromium."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium niet gevonden: in CI zijn de browsertests verplicht "
                        "(zet CHROMIUM_PATH of installeer Debian's chromium)")
        pytest.skip("Chromium niet gevonden: installeer Debian's chromium voor de browsertests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_ARGS)
        context = browser.new_context()
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


@pytest.fixture
def console_errors(browser_page):
    """Console errors (CSP violations among them) and uncaught exceptions on the page."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            errors.append(f"{message.text} ({message.location.get('url', '')})")

    browser_page.on("console", on_console)
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
