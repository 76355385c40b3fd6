"""Who reads the stand van zaken: procesregie, and read-only the named users the beheerder
grants it (report_grants). The report holds counts only, never a name or a dossier text;
still, small numbers of the full version can point to a woman, so it is need-to-know.
A netwerkpartner is outside the team and is never granted it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.access.policy import Rule
from portal.access.policy import roles_of as _roles
from portal.extensions import db
from portal.roles import Role

READERS = frozenset({Role.PROCESREGISSEUR})
NEVER_GRANTED = frozenset({Role.NETWERKPARTNER})


def has_grant(user) -> bool:
    from portal.verantwoording.models import ReportGrant

    if not getattr(user, "is_authenticated", False) or not may_be_granted(user):
        return False
    return db.session.scalar(select(ReportGrant.id).where(ReportGrant.user_id == user.id)) \
        is not None


def may_be_granted(user) -> bool:
    """A granted reader is an active account of the team's side, not already a reader."""
    return bool(user.active) and not (user.roles & (NEVER_GRANTED | READERS))


def can_read_report(user) -> bool:
    return bool(_roles(user) & READERS) or has_grant(user)


@dataclass(frozen=True)
class ReportRule(Rule):
    """The route rule of the report pages: the reader roles, or a grant for this user."""

    def allows(self, user, roles: frozenset[Role] | None = None) -> bool:
        return super().allows(user, roles) or has_grant(user)


REPORT = ReportRule(roles=READERS)
