"""Four eyes on powers that open dossiers (DESIGN.md section 3).

Giving a role that reads dossier content, giving an approver role, changing the e-mail address
of an account that holds such a role (the enrolment link goes there) and resetting a password or
second factor are proposals of the beheerder. They take effect after a second person approves:
someone with an approver role (FOUR_EYES_APPROVER_ROLES; procesregisseur and/or
privacyfunctionaris) who did not propose it and whom it does not concern.
"""

from __future__ import annotations

from flask import current_app

from portal.access.policy import roles_of
from portal.roles import Role

# Every role whose holder reads (part of) a dossier; DESIGN.md section 2. The beheerder, the
# privacyfunctionaris (audit log only) and the netwerkpartner (her own submissions) do not.
DOSSIER_ROLES = frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                           Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS})
# The roles that may ever approve; configuration picks from these (the route admits both).
POSSIBLE_APPROVERS = frozenset({Role.PROCESREGISSEUR, Role.PRIVACYFUNCTIONARIS})


def approver_roles() -> frozenset[Role]:
    configured = current_app.config["FOUR_EYES_APPROVER_ROLES"]
    if isinstance(configured, str):
        configured = configured.split(",")
    chosen = {value.strip() for value in configured}
    return frozenset(role for role in POSSIBLE_APPROVERS if role.value in chosen)


def guarded_roles() -> frozenset[Role]:
    """Roles that are given only with a second person's approval: the dossier roles, and the
    approver roles (else the beheerder could give an account of her own the power to approve)."""
    return DOSSIER_ROLES | approver_roles()


def needs_approval(roles_before, roles_after) -> bool:
    added = {Role(r) for r in roles_after} - {Role(r) for r in roles_before}
    return bool(added & guarded_roles())


def holds_guarded_role(roles) -> bool:
    return bool({Role(r) for r in roles} & guarded_roles())


def may_decide_at_all(user) -> bool:
    return bool(roles_of(user) & approver_roles())


def decision_refusal(user, proposal) -> str | None:
    """Why this user may not approve or reject this proposal, or None when she may."""
    if not may_decide_at_all(user):
        return "Alleen een " + " of ".join(sorted(r.label.lower() for r in approver_roles())) + \
            " beoordeelt een voorstel."
    if proposal.proposed_by_id == user.id:
        return "U kunt uw eigen voorstel niet beoordelen; een ander moet dat doen."
    if proposal.user_id == user.id:
        return "Dit voorstel gaat over uw eigen account; een ander moet het beoordelen."
    if not proposal.is_open:
        return "Over dit voorstel is al besloten."
    return None
