"""The UI frame: skip link, landmarks, labels tied to inputs, errors next to fields."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from portal.roles import Role
from tests.conftest import csrf_token, log_in


class FormAudit(HTMLParser):
    """Collects input ids, label targets and landmarks of one page."""

    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.tags, self.ids = [], set(), [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if attrs.get("id"):
            self.ids[attrs["id"]] = attrs
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden",
                                                                                  "submit"):
            self.inputs.append(attrs)


def audit(html: str) -> FormAudit:
    parser = FormAudit()
    parser.feed(html)
    return parser


PAGES = ["/", "/account/sessies", "/account/wachtwoord", "/beheer/gebruikers",
         "/beheer/gebruikers/nieuw", "/beheer/organisaties", "/beheer/organisaties/nieuw"]


def test_every_input_has_a_label_and_the_page_has_landmarks(client, account, app):
    user = account(Role.BEHEERDER, Role.CASEMANAGER, Role.PROCESREGISSEUR)
    with app.app_context():
        from tests.factories import make_client, make_user
        ref = make_client(casemanagers=[user], diagnosticus_id=make_user(Role.DIAGNOSTICUS).id).ref
    log_in(client, user)
    for path in [*PAGES, "/clienten/", "/clienten/caseload", "/clienten/nieuw", f"/clienten/{ref}",
                 f"/clienten/{ref}/bewerken", "/aanmeldingen/", "/aanmeldingen/nieuw"]:
        page = audit(client.get(path).get_data(as_text=True))
        unlabelled = [i for i in page.inputs if i.get("id") not in page.labels]
        assert unlabelled == [], path
        assert {"header", "nav", "main", "footer"} <= set(page.tags), path
        assert "inhoud" in page.ids  # target of the skip link


def test_login_page_has_skip_link_and_dutch_language(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert '<a class="skip-link" href="#inhoud">Direct naar de inhoud</a>' in html
    page = audit(html)
    assert [i["id"] for i in page.inputs] == ["email", "password"]
    assert page.labels >= {"email", "password"}


def test_errors_stand_next_to_their_field(client, account):
    log_in(client, account(Role.BEHEERDER))
    html = client.post("/beheer/organisaties/nieuw", data={
        "csrf_token": csrf_token(client, "/beheer/organisaties/nieuw"), "name": "",
        "kind": "partner"}).get_data(as_text=True)
    assert '<p class="form-error" id="name-error">Vul de naam in.</p>' in html
    field = audit(html).ids["name"]
    assert field["aria-invalid"] == "true" and "name-error" in field["aria-describedby"]


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_templates_need_no_inline_script_style_or_meta_refresh():
    """The CSP allows scripts and styles from 'self' only; a page never refreshes itself."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        html = path.read_text()
        for pattern in (r"<script(?![^>]*\ssrc=)", r'\sstyle\s*=\s*"', r"<style", r"\son[a-z]+=",
                        r"http-equiv=\"?refresh"):
            found += [f"{path.relative_to(TEMPLATES)}: {pattern}"
                      for _ in re.finditer(pattern, html, re.I)]
    assert found == []


def test_scrolling_tables_are_focusable_named_regions():
    """A region that scrolls sideways can be reached and scrolled with the keyboard."""
    wrappers = [(path.relative_to(TEMPLATES), match.group(0))
                for path in sorted(TEMPLATES.rglob("*.html"))
                for match in re.finditer(r'<div class="table-scroll"[^>]*>', path.read_text())]
    assert wrappers
    for name, tag in wrappers:
        assert 'tabindex="0"' in tag and 'role="region"' in tag and 'aria-label="' in tag, name
