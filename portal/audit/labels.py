"""Dutch names for what the audit trail records: every event, action, outcome, role and
object type, so the privacyfunctionaris reads "Dossier ingezien" instead of `clients.viewed`.

A new event recorded in the code needs a label here; tests/test_audit_log.py fails otherwise.
"""

from __future__ import annotations

from portal.roles import ROLE_LABELS, Role

AREA_LABELS = {
    "access": "Toegang", "admin": "Beheer", "audit": "Auditlog", "auth": "Inloggen en account",
    "budget": "Budget", "clients": "Cliëntdossier", "documents": "Documenten",
    "hours": "Uren", "letters": "Brieven", "main": "Vandaag", "notifications": "Meldingen",
    "partners": "Partners", "plans": "Plan van aanpak en ZRM", "privacy": "AVG-verzoeken",
    "referrals": "Aanmeldingen",
    "registrations": "Registraties", "verantwoording": "Stand van zaken",
}

EVENT_LABELS = {
    "access.csrf_refused": "Formulier geweigerd (verlopen of vervalst)",
    "access.denied": "Toegang geweigerd",
    "admin.checks_viewed": "Controles bekeken",
    "admin.organisation_created": "Organisatie aangemaakt",
    "admin.organisation_updated": "Organisatie gewijzigd",
    "admin.organisations_listed": "Organisaties bekeken",
    "admin.power_approved": "Voorstel voor bevoegdheid goedgekeurd",
    "admin.power_decision_refused": "Besluit over voorstel geweigerd",
    "admin.power_proposed": "Bevoegdheid voorgesteld",
    "admin.power_rejected": "Voorstel voor bevoegdheid afgewezen",
    "admin.proposals_listed": "Voorstellen bekeken",
    "admin.user_activated": "Account geactiveerd",
    "admin.user_created": "Account aangemaakt",
    "admin.user_deactivated": "Account gedeactiveerd",
    "admin.user_password_reset": "Wachtwoord van een account opnieuw ingesteld",
    "admin.user_totp_reset": "Tweede factor van een account opnieuw ingesteld",
    "admin.user_updated": "Account gewijzigd",
    "admin.user_viewed": "Account bekeken",
    "admin.users_listed": "Accounts bekeken",
    "audit.access_report_downloaded": "Inzageverslag voor cliënt gedownload",
    "audit.access_report_viewed": "Inzageverslag voor cliënt bekeken",
    "audit.chain_check_started": "Controle van de auditketen gestart",
    "audit.chain_checked": "Auditketen gecontroleerd",
    "audit.log_exported": "Auditlog geëxporteerd (CSV)",
    "audit.log_printed": "Auditlog afgedrukt",
    "audit.log_viewed": "Auditlog bekeken",
    "audit.retention_viewed": "Bewaartermijnen bekeken",
    "auth.account_locked": "Account geblokkeerd na mislukte pogingen",
    "auth.enrolment_completed": "Account geactiveerd via link",
    "auth.enrolment_failed": "Activeren via link mislukt",
    "auth.enrolment_link_queued": "Activeringslink verstuurd",
    "auth.login": "Ingelogd",
    "auth.login_failed": "Inloggen mislukt",
    "auth.logout": "Uitgelogd",
    "auth.password_changed": "Wachtwoord gewijzigd",
    "auth.session_ended": "Sessie beëindigd",
    "auth.session_expired": "Sessie verlopen",
    "auth.totp_enrolled": "Tweede factor ingesteld",
    "budget.entry_changed": "Budgetboeking gecorrigeerd",
    "budget.entry_created": "Budgetboeking toegevoegd",
    "budget.entry_removed": "Budgetboeking verwijderd",
    "budget.entry_viewed": "Budgetboeking bekeken",
    "budget.post_changed": "Budgetpost gewijzigd",
    "budget.post_created": "Budgetpost toegevoegd",
    "budget.subsidies_listed": "Subsidies bekeken",
    "budget.subsidy_changed": "Subsidie gewijzigd",
    "budget.subsidy_created": "Subsidie toegevoegd",
    "budget.subsidy_viewed": "Subsidie bekeken",
    "clients.caseload": "Caseload bekeken",
    "clients.created": "Dossier aangemaakt",
    "clients.edit_viewed": "Dossier geopend om te bewerken",
    "clients.handed_over": "Dossier overgedragen",
    "clients.handover_viewed": "Overdracht bekeken",
    "clients.journal_created": "Journaalregel geschreven",
    "clients.overview": "Cliëntenlijst bekeken",
    "clients.status_changed": "Status van het dossier gewijzigd",
    "clients.traject_created": "Traject toegevoegd",
    "clients.traject_status_changed": "Status van een traject gewijzigd",
    "clients.updated": "Dossiergegevens gewijzigd",
    "clients.viewed": "Dossier ingezien",
    "documents.deleted": "Document naar de prullenbak",
    "documents.downloaded": "Document gedownload",
    "documents.generated": "Document gemaakt",
    "documents.purged": "Document definitief verwijderd",
    "documents.released": "Document vrijgegeven",
    "documents.restored": "Document teruggezet",
    "documents.searched": "Documenten doorzocht",
    "documents.trash_viewed": "Prullenbak bekeken",
    "documents.upload_refused": "Upload geweigerd",
    "documents.uploaded": "Document toegevoegd",
    "documents.version_added": "Nieuwe versie van een document",
    "documents.viewed": "Document ingezien",
    "hours.entry_changed": "Urenboeking gewijzigd",
    "hours.entry_created": "Uren geboekt",
    "hours.entry_deleted": "Urenboeking verwijderd",
    "hours.entry_viewed": "Urenboeking bekeken",
    "hours.kind_activated": "Soort activiteit geactiveerd",
    "hours.kind_added": "Soort activiteit toegevoegd",
    "hours.kind_deactivated": "Soort activiteit gedeactiveerd",
    "hours.realisation_viewed": "Realisatie uren bekeken",
    "hours.target_added": "Urennorm toegevoegd",
    "hours.target_changed": "Urennorm gewijzigd",
    "hours.totals_viewed": "Urentotalen bekeken",
    "hours.week_viewed": "Weekoverzicht uren bekeken",
    "letters.attachment_added": "Bijlage toegevoegd",
    "letters.attachment_deactivated": "Bijlage uitgezet",
    "letters.attachment_downloaded": "Bijlage gedownload",
    "letters.attachment_refused": "Bijlage geweigerd",
    "letters.client_letter_created": "Brief voor cliënt gemaakt",
    "letters.downloaded": "Brief gedownload",
    "letters.handed_over": "Brief overhandigd",
    "letters.house_style_saved": "Huisstijl opgeslagen",
    "letters.mail_failed": "E-mail niet afgeleverd",
    "letters.mail_sent": "E-mail verstuurd",
    "letters.mailing_queued": "Verzending klaargezet",
    "letters.mailing_viewed": "Verzending bekeken",
    "letters.pdf_downloaded": "Brief als PDF gedownload",
    "letters.send_log_viewed": "Verzendlog bekeken",
    "letters.template_created": "Briefsjabloon aangemaakt",
    "letters.template_downloaded": "Briefsjabloon gedownload",
    "letters.template_retired": "Briefsjabloon buiten gebruik",
    "letters.template_version_added": "Nieuwe versie van een briefsjabloon",
    "main.attention_viewed": "Vandaag bekeken",
    "notifications.digest_set": "Samenvattingsmail ingesteld",
    "notifications.digests_queued": "Samenvattingsmails klaargezet",
    "notifications.read": "Melding gelezen",
    "notifications.read_all": "Alle meldingen gelezen",
    "notifications.viewed": "Meldingen bekeken",
    "partners.contact_saved": "Contactpersoon opgeslagen",
    "partners.list_saved": "Verzendlijst opgeslagen",
    "partners.listed": "Partners bekeken",
    "plans.action_saved": "Actie in plan opgeslagen",
    "plans.evaluation_added": "Evaluatie toegevoegd",
    "plans.goal_saved": "Doel in plan opgeslagen",
    "plans.plan_form_viewed": "Plan geopend om te bewerken",
    "plans.plan_letter_downloaded": "Plan als brief gedownload",
    "plans.plan_letter_pdf_downloaded": "Plan als PDF-brief gedownload",
    "plans.plan_viewed": "Plan van aanpak ingezien",
    "plans.version_created": "Nieuwe versie van het plan",
    "plans.version_fixed": "Plan vastgesteld",
    "plans.zrm_overview_viewed": "ZRM-overzicht ingezien",
    "plans.zrm_recorded": "ZRM-meting vastgelegd",
    "plans.zrm_viewed": "ZRM-meting ingezien",
    "referrals.destroyed": "Aanmelding vernietigd",
    "referrals.listed": "Aanmeldingen bekeken",
    "referrals.own_listed": "Eigen aanmeldingen bekeken",
    "referrals.submitted": "Aanmelding ingediend",
    "referrals.triaged": "Aanmelding beoordeeld",
    "referrals.viewed": "Aanmelding ingezien",
    "referrals.withdrawn": "Aanmelding ingetrokken",
    "privacy.request_contributed": "Bijdrage casemanager aan AVG-verzoek",
    "privacy.request_decided": "Besluit op AVG-verzoek vastgelegd",
    "privacy.request_extended": "Termijn van AVG-verzoek verlengd",
    "privacy.request_registered": "AVG-verzoek geregistreerd",
    "privacy.request_started": "AVG-verzoek in behandeling genomen",
    "privacy.request_viewed": "AVG-verzoek ingezien",
    "privacy.client_erased": "Gegevens van cliënt gewist (art. 17 AVG)",
    "privacy.hold_placed": "Bewaarplicht vastgelegd",
    "privacy.hold_lifted": "Bewaarplicht opgeheven",
    "privacy.holds_viewed": "Bewaarplichten bekeken",
    "privacy.destructions_viewed": "Vernietigingen bekeken",
    "privacy.destruction_viewed": "Vernietigingsverklaring ingezien",
    "privacy.destruction_lists_viewed": "Vernietigingslijsten bekeken",
    "privacy.destruction_list_viewed": "Vernietigingslijst ingezien",
    "privacy.destruction_proposed": "Vernietigingslijst voorgesteld",
    "privacy.destruction_item_held": "Onderdeel van vernietigingslijst aangehouden",
    "privacy.destruction_executed": "Vernietigingslijst uitgevoerd",
    "privacy.inzage_started": "Inzagepakket gestart",
    "privacy.inzage_viewed": "Inzagepakket ingezien",
    "privacy.inzage_released": "Inzagepakket beoordeeld en vrijgegeven",
    "privacy.inzage_downloaded": "Inzagepakket gedownload",
    "privacy.inzage_expired": "Inzagepakket vernietigd (termijn verstreken)",
    "privacy.inzage_author_viewed": "Inzageverzoeken voor eigen rapporten bekeken",
    "privacy.inzage_author_answered": "Auteur besliste over verstrekken rapport",
    "audit.checkpoint_made": "Oude auditgebeurtenissen vernietigd (controlepunt)",
    "registrations.day_passes_recorded": "Dagpassen vastgelegd",
    "registrations.day_passes_viewed": "Dagpassen bekeken",
    "registrations.figures_exported": "Registratiecijfers geëxporteerd",
    "registrations.figures_viewed": "Registratiecijfers bekeken",
    "registrations.intake_recorded": "Intake voor registratie vastgelegd",
    "registrations.intake_searched": "Gezocht bij intake voor registratie",
    "registrations.listed": "Registraties bekeken",
    "registrations.pass_issued": "Pas uitgereikt",
    "registrations.pass_returned": "Pas ingeleverd",
    "registrations.reminder_queued": "Herinnering klaargezet",
    "registrations.renewal_requested": "Verlenging van registratie aangevraagd",
    "registrations.requested": "Registratie aangevraagd",
    "registrations.settings_changed": "Registratie-instellingen gewijzigd",
    "registrations.settings_viewed": "Registratie-instellingen bekeken",
    "registrations.status_changed": "Status van registratie gewijzigd",
    "registrations.took_effect": "Registratie ingegaan",
    "registrations.updated": "Registratie gewijzigd",
    "registrations.viewed": "Registratie ingezien",
    "verantwoording.access_granted": "Toegang tot stand van zaken gegeven",
    "verantwoording.access_revoked": "Toegang tot stand van zaken ingetrokken",
    "verantwoording.access_viewed": "Toegang tot stand van zaken bekeken",
    "verantwoording.report_exported": "Stand van zaken geëxporteerd",
    "verantwoording.report_viewed": "Stand van zaken bekeken",
}

OUTCOME_LABELS = {"gelukt": "Gelukt", "mislukt": "Mislukt", "geweigerd": "Geweigerd"}

OBJECT_LABELS = {
    "activity_kind": "Soort activiteit", "audit_log": "Auditlog", "budget_entry": "Budgetboeking",
    "budget_post": "Budgetpost", "check_runs": "Controles", "client": "Dossier",
    "day_pass_evening": "Dagpassen", "distribution_list": "Verzendlijst",
    "document": "Document", "document_version": "Documentversie", "hour_target": "Urennorm",
    "journal_entry": "Journaalregel", "letter": "Brief", "letter_attachment": "Bijlage",
    "letter_house_style": "Huisstijl", "letter_template": "Briefsjabloon",
    "mailing": "Verzending", "notification": "Melding",
    "notification_preference": "Meldingsinstelling", "organisation": "Organisatie",
    "outbox_message": "E-mail", "partner_contact": "Contactpersoon",
    "plan_action": "Actie in plan", "plan_evaluation": "Evaluatie", "plan_goal": "Doel in plan",
    "plan_version": "Plan van aanpak", "power_proposal": "Voorstel bevoegdheid",
    "referral": "Aanmelding", "registration": "Registratie",
    "registration_figures": "Registratiecijfers", "registration_intake": "Intake registratie",
    "registration_settings": "Registratie-instellingen", "report_grant": "Toegang stand van zaken",
    "retention": "Bewaartermijnen", "route": "Pagina", "session": "Sessie",
    "stand_van_zaken": "Stand van zaken", "subsidy": "Subsidie", "time_entry": "Urenboeking",
    "traject": "Traject", "user": "Account", "zrm_assessment": "ZRM-meting",
    "access_report": "Inzageverslag", "avg_request": "AVG-verzoek",
    "legal_hold": "Bewaarplicht", "destruction_record": "Vernietigingsverklaring",
    "destruction_list": "Vernietigingslijst", "inzage_pack": "Inzagepakket",
}


def event_label(name: str) -> str:
    """The Dutch label; an event without one still shows, marked with its code."""
    if name in EVENT_LABELS:
        return EVENT_LABELS[name]
    area = AREA_LABELS.get(name.partition(".")[0])
    return f"{area}: {name}" if area else name


def object_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    return OBJECT_LABELS.get(object_type, object_type.replace("_", " ").capitalize())


def role_label(roles: str | None) -> str:
    """'casemanager,procesregisseur' as 'Casemanager, Procesregisseur'."""
    if not roles:
        return ""
    values = {role.value: role for role in Role}
    return ", ".join(ROLE_LABELS[values[part]] if part in values else part
                     for part in roles.split(","))


def event_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The event filter's options grouped per area, for <optgroup>: (area label, events)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, label in sorted(EVENT_LABELS.items(), key=lambda item: item[1]):
        groups.setdefault(name.partition(".")[0], []).append((name, label))
    return [(AREA_LABELS[area], groups[area]) for area in sorted(
        groups, key=lambda area: AREA_LABELS[area])]
