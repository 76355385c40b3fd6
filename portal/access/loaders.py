"""Loaders: fetch an object by its opaque id for the current user, or answer 404.

Every view gets its objects here. A loader asks the access rules; an object that is absent or
that the user may not see answers the same 404 (no existence leaks) and writes a denial to
the audit log. A check that raises counts as a refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_login import current_user
from sqlalchemy import select

from portal.access import can_end_session
from portal.access.denials import check_object
from portal.access.documents import can_view_document
from portal.access.dossiers import can_see_referral, can_see_traject, can_view_client
from portal.access.letters import can_hand_over, can_see_partner_letter
from portal.access.privacy import can_see_request, handles_requests
from portal.access.registrations import can_view_registration
from portal.auth.models import UserSession
from portal.clients.models import Client, Traject
from portal.documents.models import Document
from portal.extensions import db
from portal.letters.models import Letter
from portal.referrals.models import Referral
from portal.registrations.models import Registration


def load_client(ref: str, allowed: Callable[[object, Client], bool] | None = None) -> Client:
    """The client behind an opaque ref. `allowed(user, client)` narrows the check further
    (e.g. "may upload here"); it runs only once she may see the client at all."""
    client = db.session.scalar(select(Client).where(Client.ref == ref))

    def may_see() -> bool:
        return can_view_client(current_user, client) and (
            allowed is None or allowed(current_user, client))

    check_object(may_see, object_type="client", object_id=ref,
                 client_id=client.id if client else None)
    return client


def load_document(ref: str, allowed=can_view_document) -> tuple[Document, Client]:
    """A document and its client; `allowed(user, document, client)` decides."""
    document = db.session.scalar(select(Document).where(Document.ref == ref))
    client = db.session.get(Client, document.client_id) if document else None
    check_object(lambda: allowed(current_user, document, client), object_type="document",
                 object_id=ref, client_id=client.id if client else None)
    return document, client


def load_registration(ref: str) -> Registration:
    registration = db.session.scalar(select(Registration).where(Registration.ref == ref))
    check_object(lambda: can_view_registration(current_user, registration),
                 object_type="registration", object_id=ref,
                 client_id=registration.client_id if registration else None)
    return registration


def load_partner_letter(letter_id: int) -> Letter:
    """A letter of a partner mailing (no client data)."""
    letter = db.session.get(Letter, letter_id)
    check_object(lambda: can_see_partner_letter(current_user, letter), object_type="letter",
                 object_id=letter_id)
    return letter


def load_client_letter(letter_id: int) -> tuple[Letter, Client]:
    """A letter about a client that this user may hand over to her."""
    letter = db.session.get(Letter, letter_id)
    client = db.session.get(Client, letter.client_id) if letter and letter.client_id else None
    check_object(lambda: can_hand_over(current_user, letter, client), object_type="letter",
                 object_id=letter_id, client_id=client.id if client else None)
    return letter, client


def load_traject(client: Client, traject_id: int) -> Traject:
    """A traject of this (already loaded) client that the user may see."""
    traject = db.session.scalar(select(Traject).where(Traject.id == traject_id,
                                                      Traject.client_id == client.id))
    check_object(lambda: traject is not None and can_see_traject(current_user, traject),
                 object_type="traject", object_id=traject_id, client_id=client.id)
    return traject


def load_own_session(session_id: int) -> UserSession:
    """One of the signed-in user's own open sessions."""
    row = db.session.get(UserSession, session_id)
    check_object(lambda: can_end_session(current_user, row), object_type="session",
                 object_id=session_id)
    return row


def load_referral(referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    check_object(lambda: can_see_referral(current_user, referral), object_type="referral",
                 object_id=referral_id)
    return referral


def load_notification(notification_id: int):
    """One of the signed-in user's own notifications."""
    from portal.notifications.models import Notification

    row = db.session.get(Notification, notification_id)
    check_object(lambda: row is not None and row.user_id == current_user.id,
                 object_type="notification", object_id=notification_id)
    return row


def exists_or_404(model, object_id, object_type: str):
    """An object every holder of the route may see once it exists (beheer, partners,
    templates, mailings): a missing id answers 404 with an audit event, like a hidden one."""
    found = db.session.get(model, object_id)
    check_object(lambda: found is not None, object_type=object_type, object_id=object_id)
    return found


def load_assessment(client: Client, assessment_ref: str):
    """A ZRM assessment of this (already loaded) client that the user may read."""
    from portal.access.plans import can_see_assessment
    from portal.plans.models import Assessment

    assessment = db.session.scalar(select(Assessment).where(Assessment.ref == assessment_ref))
    check_object(lambda: can_see_assessment(current_user, assessment, client),
                 object_type="zrm_assessment", object_id=assessment_ref[:64],
                 client_id=client.id)
    return assessment


def load_plan_version(client: Client, number: int):
    """A version of this client's plan van aanpak (the client is already loaded)."""
    from portal.access.plans import can_read_plan
    from portal.plans.models import PlanVersion

    version = db.session.scalar(select(PlanVersion).where(PlanVersion.client_id == client.id,
                                                          PlanVersion.number == number))
    check_object(lambda: version is not None and can_read_plan(current_user, client),
                 object_type="plan_version", object_id=number, client_id=client.id)
    return version


def load_plan_goal(client: Client, goal_id):
    """A goal of the latest version of this client's plan, for a writer of the plan."""
    from portal.access.plans import can_write_plan
    from portal.plans.models import PlanGoal, PlanVersion

    goal = db.session.get(PlanGoal, goal_id)
    version = db.session.get(PlanVersion, goal.version_id) if goal else None
    check_object(lambda: version is not None and version.client_id == client.id
                 and can_write_plan(current_user, client), object_type="plan_goal",
                 object_id=goal_id, client_id=client.id)
    return goal


def load_plan_action(client: Client, action_id, allowed):
    """An action of this client's plan that `allowed(user, action)` admits."""
    from portal.plans.models import PlanAction, PlanGoal, PlanVersion

    action = db.session.get(PlanAction, action_id)
    goal = db.session.get(PlanGoal, action.goal_id) if action else None
    version = db.session.get(PlanVersion, goal.version_id) if goal else None
    check_object(lambda: version is not None and version.client_id == client.id
                 and allowed(current_user, action), object_type="plan_action",
                 object_id=action_id, client_id=client.id)
    return action


def load_subsidy(subsidy_id: int):
    """A subsidy or project, for whoever manages the budget."""
    from portal.access.budget import can_see_subsidy
    from portal.budget.models import Subsidy

    subsidy = db.session.get(Subsidy, subsidy_id)
    check_object(lambda: can_see_subsidy(current_user, subsidy), object_type="subsidy",
                 object_id=subsidy_id)
    return subsidy


def load_budget_entry(entry_id: int):
    """A manual budget entry and its subsidy, for whoever manages the budget."""
    from portal.access.budget import can_see_budget_entry
    from portal.budget.models import BudgetEntry, Subsidy

    entry = db.session.get(BudgetEntry, entry_id)
    subsidy = db.session.get(Subsidy, entry.subsidy_id) if entry else None
    check_object(lambda: subsidy is not None and can_see_budget_entry(current_user, entry),
                 object_type="budget_entry", object_id=entry_id)
    return entry, subsidy


def load_time_entry(entry_ref: str):
    """One of the signed-in user's own time entries (nobody opens another's)."""
    from portal.access.hours import can_see_entry
    from portal.hours.models import TimeEntry

    entry = db.session.scalar(select(TimeEntry).where(TimeEntry.ref == entry_ref))
    check_object(lambda: can_see_entry(current_user, entry), object_type="time_entry",
                 object_id=entry_ref[:64], client_id=entry.client_id if entry else None)
    return entry


def load_plan_letter(client: Client, letter_id: int) -> Letter:
    """A plan van aanpak letter of this (already loaded, already allowed) client; any other
    letter id answers 404 with an audited denial."""
    from portal.plans.letter import plan_letters

    found = next((item for item in plan_letters(client) if item.id == letter_id), None)
    check_object(lambda: found is not None, object_type="letter", object_id=letter_id,
                 client_id=client.id)
    return found


def load_avg_request(request_id: int):
    """A request of the AVG register, with the client it is about (None once erased)."""
    from portal.privacy.models import AvgRequest

    row = db.session.get(AvgRequest, request_id)
    client = db.session.get(Client, row.client_id) if row and row.client_id else None
    check_object(lambda: can_see_request(current_user, row, client), object_type="avg_request",
                 object_id=request_id, client_id=client.id if client else None)
    return row, client


def load_legal_hold(hold_id: int):
    """A legal hold; only the privacyfunctionaris reaches the route."""
    from portal.privacy.models import LegalHold

    row = db.session.get(LegalHold, hold_id)
    check_object(lambda: row is not None and handles_requests(current_user),
                 object_type="legal_hold", object_id=hold_id,
                 client_id=row.client_id if row else None)
    return row


def load_destruction_record(record_id: int):
    """A destruction record (it holds no content, but only she reads the list)."""
    from portal.privacy.models import DestructionRecord

    row = db.session.get(DestructionRecord, record_id)
    check_object(lambda: row is not None and handles_requests(current_user),
                 object_type="destruction_record", object_id=record_id)
    return row


def load_destruction_list(list_id: int):
    from portal.privacy.models import DestructionList

    row = db.session.get(DestructionList, list_id)
    check_object(lambda: row is not None and handles_requests(current_user),
                 object_type="destruction_list", object_id=list_id)
    return row


def load_destruction_item(item_id: int):
    from portal.privacy.models import DestructionItem

    row = db.session.get(DestructionItem, item_id)
    check_object(lambda: row is not None and handles_requests(current_user),
                 object_type="destruction_list", object_id=row.list_id if row else None)
    return row


def load_inzage_pack(pack_id: int):
    from portal.privacy.models import InzagePack

    row = db.session.get(InzagePack, pack_id)
    check_object(lambda: row is not None and handles_requests(current_user),
                 object_type="inzage_pack", object_id=pack_id,
                 client_id=row.client_id if row else None)
    return row


def load_inzage_document(item_id: int):
    """A report in an inzage pack, for its author only."""
    from portal.privacy.models import InzageDocument

    row = db.session.get(InzageDocument, item_id)
    check_object(lambda: row is not None and row.author_id == current_user.id,
                 object_type="inzage_pack", object_id=row.pack_id if row else None)
    return row
