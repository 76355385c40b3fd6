"""Fixtures for the browser journeys: the app on a live port, headless Chromium pages, and
`check_page`, which runs axe-core and the no-sideways-scroll check at desktop and phone width.

Every page a journey opens comes from `browser_page` or `open_page`; each records the documents
it loads, and the test fails at teardown when one of them was never checked."""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
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


AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")

# Runs in the page: the WCAG 2.1 A/AA rules only, violations only (the fast path of axe).
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary)}));
}"""
PAGE_WIDTH = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  widest: [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
      + (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : ""))
})"""


@dataclass
class PageLog:
    """The documents one page loaded and how many of them `check_page` has checked."""

    loads: list[str] = field(default_factory=list)
    checked: int = 0

    def unchecked(self) -> list[str]:
        return self.loads[self.checked:]


def _track(page: Page) -> Page:
    log = PageLog()
    page.on("load", lambda loaded: log.loads.append(loaded.url))
    page._page_log = log  # noqa: SLF001 (our own attribute on the page object)
    return page


def _findings(page: Page, width: dict) -> list[str]:
    page.set_viewport_size(width)
    found = []
    if width["width"] <= PHONE["width"]:
        size = page.evaluate(PAGE_WIDTH)
        if size["scroll"] > size["inner"]:
            found.append(f"{width['width']} px: pagina is {size['scroll']} px breed "
                         f"(scrollt opzij; te breed: {', '.join(size['widest'])})")
        # Stacked tables are restyled, not rebuilt: a screen reader must still get a table.
        tables = page.locator("table").count()
        if page.get_by_role("table").count() < tables:
            found.append(f"{width['width']} px: {tables} tabel(len), maar niet alle als tabel "
                         "in de toegankelijkheidsboom")
    for violation in page.evaluate(RUN_AXE, WCAG_TAGS):
        if violation["impact"] in BLOCKING_IMPACTS:
            found.append(f"{width['width']} px: axe {violation['id']} ({violation['impact']}): "
                         f"{violation['help']} -> {' | '.join(violation['nodes'])}")
    return found


def page_findings(page: Page) -> list[str]:
    """What is wrong with the page's current document at 375 and at 1280 px: serious or
    critical WCAG 2.1 A/AA violations (axe-core) and, at 375 px, sideways scrolling or a table
    that no longer reaches the accessibility tree as a table. Marks the document as checked and
    leaves the page at desktop width."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)  # DevTools evaluation: the page's CSP stays as it is
    try:
        found = _findings(page, PHONE) + _findings(page, DESKTOP)
    finally:
        page.set_viewport_size(DESKTOP)
    log = getattr(page, "_page_log", None)
    if log is not None:
        log.checked = len(log.loads)
    return found


def check_page(page: Page) -> None:
    """Fail on anything `page_findings` reports for the page's current document."""
    found = page_findings(page)
    assert not found, f"{page.url}:\n" + "\n".join(found)


def _launch(playwright):
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium niet gevonden: in CI zijn de browsertests verplicht "
                        "(zet CHROMIUM_PATH of installeer Debian's chromium)")
        pytest.skip("Chromium niet gevonden: installeer Debian's chromium voor de browsertests")
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)


def _assert_all_checked(pages: list[Page]) -> None:
    missed = [url for page in pages for url in page._page_log.unchecked()]  # noqa: SLF001
    assert not missed, f"pagina's geladen maar niet met check_page gecontroleerd: {missed}"


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember whether the test itself failed (then its unchecked pages are no news)."""
    outcome = yield
    if call.when == "call":
        item.e2e_call_failed = outcome.get_result().failed


@pytest.fixture
def open_page(browser, request):
    """open_page(**context_options) opens a page in a fresh context (a second person)."""
    opened: list[tuple] = []

    def _open(**options) -> Page:
        context = browser.new_context(viewport=DESKTOP, **options)
        page = _track(context.new_page())
        opened.append((context, page))
        return page

    yield _open
    pages = [page for _, page in opened]
    for context, _ in opened:
        context.close()
    if not getattr(request.node, "e2e_call_failed", True):
        _assert_all_checked(pages)


@pytest.fixture
def browser_page(open_page):
    """A page in a fresh context of headless Chromium, at desktop width."""
    return open_page()


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
