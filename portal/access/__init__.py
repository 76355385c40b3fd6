"""The one place where access rules live: the route table here, the object rules in
`dossiers.py` (clients, trajecten, journaal, aanmeldingen), `documents.py`, `letters.py` and
`registrations.py`.

Deny is the default: an endpoint missing from ROUTES is refused, and an exception raised
inside a check counts as a refusal. Objects a user may not see answer 404, never 403.
Views, queries, search and downloads ask this package; none writes its own rule. Views get
their objects from `loaders.py`, which asks these rules and answers 404.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user

from portal.access.denials import check_object, deny  # noqa: F401
from portal.access.documents import (  # noqa: F401 - the package's public rules
    DOCUMENT_KINDS_UPLOAD,
    DOCUMENT_KINDS_VISIBLE,
    can_manage_document,
    can_release_document,
    can_view_document,
    document_scope,
    upload_kinds,
)
from portal.access.dossiers import (  # noqa: F401
    SECTIONS,
    TEAM_WIDE,
    can_change_assignment,
    can_change_status,
    can_edit_client,
    can_filter_by_team,
    can_link_client,
    can_manage_trajecten,
    can_see_journal_entry,
    can_see_referral,
    can_see_traject,
    can_triage,
    can_view_client,
    can_withdraw_referral,
    can_write_journal,
    client_scope,
    editable_client_fields,
    list_columns,
    sections_for,
    traject_kind_scope,
    traject_kinds_to_add,
    visible_traject_kinds,
    visible_trajecten,
)
from portal.access.hours import (  # noqa: F401
    can_book_client,
    can_manage_activity_kinds,
    can_manage_targets,
    can_see_entry,
    can_see_hour_totals,
    can_write_hours,
)
from portal.access.letters import (  # noqa: F401
    can_hand_over,
    can_see_partner_letter,
    client_letter_purposes,
    dossier_letter_purposes,
)
from portal.access.plans import (  # noqa: F401
    can_evaluate,
    can_read_plan,
    can_read_texts,
    can_read_zrm,
    can_write_plan,
    can_write_zrm,
)
from portal.access.policy import PUBLIC, SIGNED_IN, Rule, only, roles_of  # noqa: F401
from portal.access.privacy import REQUEST_ROUTES
from portal.access.registrations import (  # noqa: F401
    can_manage_registrations,
    can_see_registration_status,
    can_view_registration,
)
from portal.access.verantwoording import REPORT as _REPORT
from portal.roles import Role

_DOCUMENT_READERS = (Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                     Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS)
_DOCUMENT_WRITERS = (Role.CASEMANAGER, Role.PROCESREGISSEUR, Role.REGISTRATIECONTACTPERSOON,
                     Role.DIAGNOSTICUS)
_PLAN_READERS = (Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR)
_HOUR_WRITERS = (Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE)

ROUTES: dict[str, Rule] = {
    "static": PUBLIC,
    "main.health": PUBLIC,
    "auth.login": PUBLIC,
    "auth.code": PUBLIC,
    "auth.enrol": PUBLIC,
    "auth.activate": PUBLIC,  # the one-time enrolment link (portal/auth/enrolment.py)
    "auth.logout": SIGNED_IN,
    "auth.sessions": SIGNED_IN,
    "auth.end_session": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "main.index": SIGNED_IN,
    "admin.users": only(Role.BEHEERDER),
    "admin.user_new": only(Role.BEHEERDER),
    "admin.user_edit": only(Role.BEHEERDER),
    "admin.user_set_active": only(Role.BEHEERDER),
    "admin.user_reset_totp": only(Role.BEHEERDER),
    "admin.user_reset_password": only(Role.BEHEERDER),
    # Four eyes (portal/access/powers.py decides who may approve which proposal).
    "admin.proposals": only(Role.BEHEERDER, Role.PROCESREGISSEUR, Role.PRIVACYFUNCTIONARIS),
    "admin.proposal_decide": only(Role.PROCESREGISSEUR, Role.PRIVACYFUNCTIONARIS),
    "admin.organisations": only(Role.BEHEERDER),
    "admin.organisation_new": only(Role.BEHEERDER),
    "admin.organisation_edit": only(Role.BEHEERDER),
    "audit.events": only(Role.PRIVACYFUNCTIONARIS),
    "audit.export": only(Role.PRIVACYFUNCTIONARIS),
    "audit.print_view": only(Role.PRIVACYFUNCTIONARIS),
    "audit.print_css": only(Role.PRIVACYFUNCTIONARIS),
    "audit.chain": only(Role.PRIVACYFUNCTIONARIS),
    "audit.access_report": only(Role.PRIVACYFUNCTIONARIS),
    "audit.access_report_docx": only(Role.PRIVACYFUNCTIONARIS),
    "audit.access_report_pdf": only(Role.PRIVACYFUNCTIONARIS),
    "audit.retention": only(Role.PRIVACYFUNCTIONARIS),
    "admin.checks": only(Role.BEHEERDER),
    # Client dossiers: the route admits the role, the object checks below decide per client.
    "clients.caseload": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.DIAGNOSTICUS),
    "clients.overview": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                             Role.REGISTRATIECONTACTPERSOON),
    "clients.new": only(Role.CASEMANAGER, Role.PROCESREGISSEUR),
    "clients.detail": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                           Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS),
    "clients.edit": only(Role.CASEMANAGER, Role.PROCESREGISSEUR),
    "clients.change_status": only(Role.CASEMANAGER, Role.PROCESREGISSEUR),
    "clients.handover": only(Role.CASEMANAGER, Role.PROCESREGISSEUR),
    "clients.traject_new": only(Role.CASEMANAGER),
    "clients.traject_status": only(Role.CASEMANAGER),
    "clients.journal_new": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE),
    # Documents: the route admits the roles; kind, compartment and client decide per object.
    "documents.upload": only(*_DOCUMENT_WRITERS),
    "documents.detail": only(*_DOCUMENT_READERS),
    "documents.download": only(*_DOCUMENT_READERS),
    "documents.find": only(*_DOCUMENT_READERS),
    "documents.new_version": only(*_DOCUMENT_WRITERS),
    "documents.delete": only(*_DOCUMENT_WRITERS),
    "documents.trash": only(*_DOCUMENT_WRITERS),
    "documents.restore": only(*_DOCUMENT_WRITERS),
    "documents.release": only(Role.DIAGNOSTICUS),
    # Letters and partners.
    "letters.templates": only(Role.BEHEERDER),
    "letters.template_new": only(Role.BEHEERDER),
    "letters.template_detail": only(Role.BEHEERDER),
    "letters.template_download": only(Role.BEHEERDER),
    "letters.house_style": only(Role.BEHEERDER),
    "letters.attachment_library": only(Role.BEHEERDER),
    "letters.attachment_deactivate": only(Role.BEHEERDER),
    # A leaflet carries no client data: whoever may add it to a letter may read it.
    "letters.attachment_download": only(Role.BEHEERDER, Role.PROCESREGISSEUR, Role.CASEMANAGER),
    "letters.partner_letter": only(Role.PROCESREGISSEUR),
    "letters.mailings": only(Role.PROCESREGISSEUR, Role.CASEMANAGER),
    "letters.mailing": only(Role.PROCESREGISSEUR, Role.CASEMANAGER),
    "letters.letter_download": only(Role.PROCESREGISSEUR, Role.CASEMANAGER),
    "letters.letter_pdf": only(Role.PROCESREGISSEUR, Role.CASEMANAGER),
    "letters.client_letter": only(Role.CASEMANAGER),  # registration letters: registrations.letter
    "letters.handed_over": only(Role.CASEMANAGER, Role.REGISTRATIECONTACTPERSOON),
    "partners.contacts": only(Role.BEHEERDER, Role.PROCESREGISSEUR),
    "partners.contact_edit": only(Role.BEHEERDER, Role.PROCESREGISSEUR),
    "partners.lists": only(Role.BEHEERDER, Role.PROCESREGISSEUR),
    "partners.list_edit": only(Role.BEHEERDER, Role.PROCESREGISSEUR),
    # Aanmeldingen en signalen.
    "referrals.new": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                          Role.PROCESREGISSEUR),
    "referrals.mine": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                           Role.PROCESREGISSEUR),
    "referrals.detail": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                             Role.PROCESREGISSEUR),
    "referrals.withdraw": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                               Role.PROCESREGISSEUR),
    "referrals.index": only(Role.PROCESREGISSEUR),
    "referrals.triage": only(Role.PROCESREGISSEUR),
    "referrals.to_client": only(Role.PROCESREGISSEUR),
    # Registrations: the contact person's workspace; figures also for procesregie.
    "registrations.workspace": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.intake": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.new": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.detail": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.edit": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.change_status": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.pass_event": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.renew": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.letter": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.day_passes": only(Role.REGISTRATIECONTACTPERSOON),
    "registrations.figures": only(Role.REGISTRATIECONTACTPERSOON, Role.PROCESREGISSEUR),
    "registrations.figures_csv": only(Role.REGISTRATIECONTACTPERSOON, Role.PROCESREGISSEUR),
    "registrations.settings": only(Role.BEHEERDER),
    # Notifications: her own; loaders.load_notification and notifications.queries decide.
    "notifications.index": SIGNED_IN,
    "notifications.read": SIGNED_IN,
    "notifications.read_all": SIGNED_IN,
    "notifications.digest": SIGNED_IN,
    # ZRM and plan van aanpak: portal/access/plans.py decides per client and per text.
    "plans.zrm": only(*_PLAN_READERS),
    "plans.zrm_detail": only(*_PLAN_READERS),
    "plans.zrm_new": only(Role.CASEMANAGER),
    "plans.plan": only(*_PLAN_READERS),
    "plans.goal": only(Role.CASEMANAGER),
    "plans.action": only(Role.CASEMANAGER),
    "plans.evaluation": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE),
    "plans.fix": only(Role.CASEMANAGER),
    "plans.plan_letter": only(Role.CASEMANAGER),
    "plans.plan_letter_docx": only(Role.CASEMANAGER),
    "plans.plan_letter_pdf": only(Role.CASEMANAGER),
    # Hours: her own entries (loaders.load_time_entry); totals, realisation and targets for
    # procesregie; the list of activity kinds for the beheerder (portal/access/hours.py).
    "hours.week": only(*_HOUR_WRITERS),
    "hours.new": only(*_HOUR_WRITERS),
    "hours.entry": only(*_HOUR_WRITERS),
    "hours.edit": only(*_HOUR_WRITERS),
    "hours.delete": only(*_HOUR_WRITERS),
    "hours.totals": only(Role.PROCESREGISSEUR),
    "hours.realisation": only(Role.PROCESREGISSEUR),
    "hours.targets": only(Role.PROCESREGISSEUR),
    "hours.target_edit": only(Role.PROCESREGISSEUR),
    "hours.kinds": only(Role.BEHEERDER),
    "hours.kind_active": only(Role.BEHEERDER),
    # Budget: procesregie manages subsidies and entries; the beheerder the posts list only
    # (portal/access/budget.py).
    "budget.index": only(Role.PROCESREGISSEUR),
    "budget.subsidy": only(Role.PROCESREGISSEUR),
    "budget.subsidy_edit": only(Role.PROCESREGISSEUR),
    "budget.entry_new": only(Role.PROCESREGISSEUR),
    "budget.entry_edit": only(Role.PROCESREGISSEUR),
    "budget.entry_remove": only(Role.PROCESREGISSEUR),
    "budget.posts": only(Role.BEHEERDER),
    "budget.post_edit": only(Role.BEHEERDER),
    # Stand van zaken: procesregie, and users with a grant (portal/access/verantwoording.py).
    "verantwoording.report": _REPORT,
    "verantwoording.report_csv": _REPORT,
    "verantwoording.report_xlsx": _REPORT,
    "verantwoording.report_docx": _REPORT,
    "verantwoording.grants_page": only(Role.BEHEERDER),
    "verantwoording.grant_revoke": only(Role.BEHEERDER),
    # AVG rights of the woman herself: portal/access/privacy.py.
    **REQUEST_ROUTES,
}

# Pages a signed-in user may still open while she must first choose a new password.
PASSWORD_CHANGE_ALLOWED = {"static", "main.health", "auth.change_password", "auth.logout"}


def rule_for(endpoint: str | None) -> Rule | None:
    return ROUTES.get(endpoint or "")


def may_open(user, endpoint: str, roles: frozenset[Role] | None = None) -> bool:
    """May this user reach this endpoint? Errors and unknown endpoints deny. `roles`: hers,
    when the caller has them already."""
    try:
        rule = rule_for(endpoint)
        return rule is not None and rule.allows(user, roles)
    except Exception:  # noqa: BLE001 - a failing check must deny, never allow
        current_app.logger.exception("access check failed for %s", endpoint)
        return False


def can_end_session(user, session_row) -> bool:
    return session_row is not None and session_row.user_id == user.id and session_row.is_open


def enforce_route_policy():
    """before_request: apply ROUTES to every request before any view code runs."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: Flask answers 404 / 405 itself
        return None
    if may_open(current_user, endpoint):
        if _must_change_password() and endpoint not in PASSWORD_CHANGE_ALLOWED:
            flash("Kies eerst een nieuw wachtwoord.", "warning")
            return redirect(url_for("auth.change_password"))
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return deny(403)


def _must_change_password() -> bool:
    return current_user.is_authenticated and current_user.must_change_password


MENU = [  # endpoint and label, in display order
    ("main.index", "Vandaag"),
    ("notifications.index", "Meldingen"),
    ("clients.caseload", "Mijn caseload"),
    ("clients.overview", "Cliënten"),
    ("referrals.index", "Aanmeldingen"),
    ("referrals.mine", "Mijn aanmeldingen"),
    ("registrations.workspace", "Registraties"),
    ("registrations.day_passes", "Dagpassen"),
    ("registrations.figures", "Registratiecijfers"),
    ("hours.week", "Mijn uren"),
    ("hours.realisation", "Uren en normen"),
    ("budget.index", "Budget"),
    ("verantwoording.report", "Stand van zaken"),
    ("documents.find", "Documenten zoeken"),
    ("letters.partner_letter", "Brief aan partners"),
    ("letters.mailings", "Verzendlog"),
    ("partners.contacts", "Partners"),
    ("letters.templates", "Briefsjablonen"),
    ("admin.users", "Gebruikers"),
    ("admin.organisations", "Organisaties"),
    ("admin.proposals", "Voorstellen"),
    ("admin.checks", "Controles"),
    ("registrations.settings", "Registratie-instellingen"),
    ("hours.kinds", "Soorten activiteit"),
    ("budget.posts", "Budgetposten"),
    ("verantwoording.grants_page", "Toegang stand van zaken"),
    ("audit.events", "Auditlog"),
    ("privacy.requests", "AVG-verzoeken"),
    ("audit.retention", "Bewaartermijnen"),
    ("privacy.author_requests", "Inzage in rapporten"),
]


def menu_for(user) -> list[tuple[str, str]]:
    """The navigation entries this user may open, in display order."""
    if hasattr(user, "_get_current_object"):  # current_user: resolve the proxy once
        user = user._get_current_object()
    roles = roles_of(user)
    return [(endpoint, label) for endpoint, label in MENU if may_open(user, endpoint, roles)]
