"""ZRM versions with their domains and levels (data, seeded by the migration), assessments
with a score per domain, and plan versions with goals, actions and evaluations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Organisation, User
from portal.clients.models import new_ref
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class ZrmVersion(db.Model):
    """One edition of the Zelfredzaamheid-Matrix; `current` is the one new assessments use."""

    __tablename__ = "zrm_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    current: Mapped[bool] = mapped_column(Boolean, default=False)

    domains: Mapped[list[ZrmDomain]] = relationship(order_by="ZrmDomain.position")
    levels: Mapped[list[ZrmLevel]] = relationship(order_by="ZrmLevel.score")


class ZrmDomain(db.Model):
    __tablename__ = "zrm_domains"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("zrm_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))


class ZrmLevel(db.Model):
    __tablename__ = "zrm_levels"
    __table_args__ = (UniqueConstraint("version_id", "score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("zrm_versions.id"))
    score: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(60))


class Assessment(db.Model):
    """One ZRM assessment of a client on a date, resting on information of a date."""

    __tablename__ = "zrm_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True, default=new_ref)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("zrm_versions.id"))
    assessed_on: Mapped[date] = mapped_column(Date, index=True)
    information_on: Mapped[date] = mapped_column(Date)
    assessed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    client_took_part: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[ZrmVersion] = relationship()
    assessed_by: Mapped[User] = relationship()
    scores: Mapped[list[AssessmentScore]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", back_populates="assessment")

    def score_for(self, domain_id: int) -> AssessmentScore | None:
        return next((s for s in self.scores if s.domain_id == domain_id), None)


class AssessmentScore(db.Model):
    """A domain's score (a whole number of the version's levels) or a reason it was not
    scored, with a short toelichting."""

    __tablename__ = "zrm_scores"
    __table_args__ = (UniqueConstraint("assessment_id", "domain_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("zrm_assessments.id", ondelete="CASCADE"), index=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("zrm_domains.id"))
    score: Mapped[int | None] = mapped_column(Integer)
    not_scored_reason: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="scores")


class PlanVersion(db.Model):
    """One version of a client's plan van aanpak: a concept until it is vastgesteld on a
    date agreed with her; after that it is only read, and a change makes a new version."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("client_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    number: Mapped[int] = mapped_column(Integer)
    agreed_on: Mapped[date | None] = mapped_column(Date)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])
    goals: Mapped[list[PlanGoal]] = relationship(
        order_by="PlanGoal.position", cascade="all, delete-orphan", back_populates="version")

    @property
    def is_fixed(self) -> bool:
        return self.agreed_on is not None

    @property
    def status_label(self) -> str:
        return "Vastgesteld" if self.is_fixed else "Concept"


class PlanGoal(db.Model):
    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"),
                                            index=True)
    domain_id: Mapped[int | None] = mapped_column(ForeignKey("zrm_domains.id"))
    position: Mapped[int] = mapped_column(Integer)
    own_words: Mapped[str] = mapped_column(Text)
    team_text: Mapped[str] = mapped_column(Text)

    version: Mapped[PlanVersion] = relationship(back_populates="goals")
    domain: Mapped[ZrmDomain | None] = relationship()
    actions: Mapped[list[PlanAction]] = relationship(
        order_by="PlanAction.id", cascade="all, delete-orphan", back_populates="goal")


class PlanAction(db.Model):
    """What is done, by whom (a team member or a partner organisation), by when."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("plan_goals.id", ondelete="CASCADE"),
                                         index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")

    goal: Mapped[PlanGoal] = relationship(back_populates="actions")
    owner_user: Mapped[User | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()
    evaluations: Mapped[list[PlanEvaluation]] = relationship(
        order_by="PlanEvaluation.evaluated_on", cascade="all, delete-orphan",
        back_populates="action")

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.name
        return self.owner_organisation.name if self.owner_organisation else "—"

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)


class PlanEvaluation(db.Model):
    __tablename__ = "plan_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"),
                                           index=True)
    evaluated_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    action: Mapped[PlanAction] = relationship(back_populates="evaluations")
    by: Mapped[User] = relationship()


ACTION_STATUSES = {"open": "Nog niet begonnen", "lopend": "Loopt", "gedaan": "Gedaan",
                   "gestopt": "Gestopt"}
