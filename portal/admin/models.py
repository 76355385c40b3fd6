"""Four eyes: a power that opens dossiers is a proposal until a second person approves it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.roles import Role


class ProposalKind(StrEnum):
    NIEUW_ACCOUNT = "nieuw_account"  # a new account with a role that reads dossiers
    WIJZIGING = "wijziging"  # such a role (or the e-mail address of such an account) changes
    WACHTWOORD = "wachtwoord"  # a new password through an enrolment link
    TWEEDE_FACTOR = "tweede_factor"  # a new authenticator through an enrolment link

    @property
    def label(self) -> str:
        return {"nieuw_account": "Nieuw account", "wijziging": "Rollen of e-mailadres",
                "wachtwoord": "Wachtwoord herstellen",
                "tweede_factor": "Tweede factor herstellen"}[self.value]


class ProposalStatus(StrEnum):
    OPEN = "open"
    GOEDGEKEURD = "goedgekeurd"
    AFGEWEZEN = "afgewezen"

    @property
    def label(self) -> str:
        return {"open": "Wacht op beoordeling", "goedgekeurd": "Goedgekeurd",
                "afgewezen": "Afgewezen"}[self.value]


class PowerProposal(db.Model):
    __tablename__ = "power_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=ProposalStatus.OPEN.value,
                                        index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # {"roles_before": [...], "roles_after": [...], "email_before": ..., "email_after": ...}
    change: Mapped[dict] = mapped_column(JSON, default=dict)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN.value

    @property
    def kind_label(self) -> str:
        return ProposalKind(self.kind).label

    @property
    def status_label(self) -> str:
        return ProposalStatus(self.status).label

    @property
    def roles_before(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.change.get("roles_before", []))

    @property
    def roles_after(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.change.get("roles_after", []))

    @property
    def roles_added(self) -> list[Role]:
        return sorted(self.roles_after - self.roles_before)

    @property
    def roles_removed(self) -> list[Role]:
        return sorted(self.roles_before - self.roles_after)

    @property
    def email_after(self) -> str | None:
        return self.change.get("email_after")
