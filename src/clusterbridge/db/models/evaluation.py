"""The evaluation of the proposals to an authored call (issue 18, items 3-6): the pool of
experts, their declared conflicts, the panel of a call (assignment settings, ranking and
publication), who evaluates what with which fit, the individual and consensus reports, and
every proposal's outcome with its reason.

Scores and comments are kept per criterion as JSON objects (``{"relevance": "25"}``; scores as
decimal strings, so they add up exactly); the services check them against the call's criteria.
"""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.models.selection import Amount, ProgrammeCall, Proposal
from clusterbridge.db.models.user import User
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import ProposalOutcome


class Expert(IdMixin, TimestampMixin, Base):
    """A user account in the pool of experts, with its expertise (free text, ecosystems,
    technologies) and the organisation it works for (``None``: independent)."""

    __tablename__ = "expert"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    expertise: Mapped[str] = mapped_column(sa.Text, default="")
    ecosystems: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    technologies: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    user: Mapped[User] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")


class ExpertDeclaration(IdMixin, TimestampMixin, Base):
    """A conflict of interest an expert declared for a proposal, in their words."""

    __tablename__ = "expert_declaration"
    __table_args__ = (
        sa.UniqueConstraint("expert_id", "proposal_id"),
        sa.CheckConstraint("statement <> ''", name="statement_given"),
    )

    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("expert.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    statement: Mapped[str] = mapped_column(sa.Text)

    expert: Mapped[Expert] = relationship(lazy="raise")


class EvaluationPanel(IdMixin, TimestampMixin, Base):
    """The evaluation of one call: experts per proposal and the load limit of the last
    assignment, when the panel ranked and selected (with the ties left for it, the strand
    minimums not met and the budget used), and when the selection was published to the
    applicants."""

    __tablename__ = "evaluation_panel"
    __table_args__ = (
        sa.CheckConstraint("per_proposal >= 1", name="per_proposal_positive"),
        sa.CheckConstraint("max_load >= 1", name="max_load_positive"),
        sa.CheckConstraint(
            "published_at IS NULL OR ranked_at IS NOT NULL", name="published_after_ranking"
        ),
    )

    call_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_call.id", ondelete="CASCADE"), unique=True
    )
    per_proposal: Mapped[int] = mapped_column(default=3)
    max_load: Mapped[int] = mapped_column(default=4)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ranked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ties_left: Mapped[list[list[int]]] = mapped_column(sa.JSON, default=list)
    shortfalls: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    budget_used: Mapped[Decimal | None] = mapped_column(Amount)

    call: Mapped[ProgrammeCall] = relationship(lazy="raise")


class EvaluationAssignment(IdMixin, TimestampMixin, Base):
    """An expert on a proposal, with the fit of their expertise (0..1) and the words it rests
    on. Holds the expert's individual report once written (``submitted_at`` set)."""

    __tablename__ = "evaluation_assignment"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "expert_id"),
        sa.CheckConstraint(
            "(submitted_at IS NULL) = (scores IS NULL)", name="report_scored_when_submitted"
        ),
    )

    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(
        sa.ForeignKey("expert.id", ondelete="CASCADE"), index=True
    )
    fit: Mapped[float] = mapped_column(default=0.0)
    fit_words: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    scores: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    comments: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship(lazy="raise")
    expert: Mapped[Expert] = relationship(lazy="raise")


class ConsensusReport(IdMixin, TimestampMixin, Base):
    """The consensus of a proposal's experts, drafted by the rapporteur the officer chose
    among them; its scores are the ones the panel ranks."""

    __tablename__ = "consensus_report"
    __table_args__ = (
        sa.CheckConstraint(
            "(submitted_at IS NULL) = (scores IS NULL)", name="scored_when_submitted"
        ),
    )

    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), unique=True
    )
    rapporteur_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluation_assignment.id", ondelete="CASCADE"), index=True
    )
    scores: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    comments: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship(lazy="raise")
    rapporteur: Mapped[EvaluationAssignment] = relationship(lazy="raise")


class ProposalDecision(IdMixin, TimestampMixin, Base):
    """A proposal's outcome in the panel's selection and why; ``rank`` is its place among the
    proposals that pass (none when it is out), ``taken_order`` its place in the order the
    selection took them, ``reserve_position`` its place on the reserve list. ``awarded_grant``
    is the amount the officer awarded a selected application of a cascade call when it is less
    than requested (none: the requested grant; ADR 0032)."""

    __tablename__ = "proposal_decision"
    __table_args__ = (
        sa.CheckConstraint("(outcome = 'out') = (rank IS NULL)", name="ranked_unless_out"),
        sa.CheckConstraint(
            "(outcome = 'selected') = (taken_order IS NOT NULL)", name="ordered_when_selected"
        ),
        sa.CheckConstraint(
            "(outcome = 'reserve') = (reserve_position IS NOT NULL)",
            name="placed_when_reserve",
        ),
        sa.CheckConstraint("reason <> ''", name="reason_given"),
        sa.CheckConstraint(
            "awarded_grant IS NULL OR (awarded_grant > 0 AND outcome = 'selected')",
            name="awarded_when_selected",
        ),
    )

    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[ProposalOutcome] = mapped_column(str_enum(ProposalOutcome))
    reason: Mapped[str] = mapped_column(sa.Text)
    rank: Mapped[int | None]
    total: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    taken_order: Mapped[int | None]
    reserve_position: Mapped[int | None]
    awarded_grant: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))

    proposal: Mapped[Proposal] = relationship(lazy="raise")

    @property
    def awarded(self) -> Decimal:
        """The grant awarded: the amount set at selection, else the requested grant."""
        return self.proposal.requested_grant if self.awarded_grant is None else self.awarded_grant
