"""Calls authored in the app and the proposals sent to them (issue 18). The evaluation
(experts, reports, consensus) and the selection build on these two tables."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.models.consortium import Consortium
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.models.user import User
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import CallKind, ProposalState, Role

#: Grants and budgets in euros with cents.
Amount = sa.Numeric(14, 2)


class ProgrammeCall(IdMixin, TimestampMixin, Base):
    """A call written by a programme officer (or a Eurocluster, for its open call to SMEs).

    ``call_file`` is the call in the call-file format (TOML: rules from the condition registry,
    strands, duration), so the eligibility engine and the catalogue read it as they read the
    shipped files. ``selection`` holds the selection settings in the JSON shape of
    ``clusterbridge selection rank`` without the proposals (budget, max_projects,
    strand_minimum, on_overflow, criteria, overall_threshold, tie_break). A call is a draft
    until ``published_at``; ``closes_at`` empty means no stated deadline."""

    __tablename__ = "programme_call"

    identifier: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[CallKind] = mapped_column(str_enum(CallKind), default=CallKind.PROGRAMME)
    call_file: Mapped[str] = mapped_column(sa.Text)
    selection: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    max_grant: Mapped[Decimal | None] = mapped_column(Amount)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Brussels")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    created_by: Mapped[User | None] = relationship(lazy="raise")
    proposals: Mapped[list["Proposal"]] = relationship(
        back_populates="call", lazy="raise", cascade="all, delete-orphan"
    )


class Proposal(IdMixin, TimestampMixin, Base):
    """A proposal to an authored call: a consortium of the registry (a programme call) or one
    organisation (an SME's application to a cascade call), its strand, requested grant and
    duration. At submission the eligibility report is frozen in ``eligibility`` (the checker's
    JSON report) with its verdict in ``eligible``, and the partners in ``partners``; later
    edits of the consortium change nothing of either (ADR 0037)."""

    __tablename__ = "proposal"
    __table_args__ = (
        sa.CheckConstraint(
            "(state = 'draft') = (submitted_at IS NULL)", name="submitted_when_submitted"
        ),
        sa.CheckConstraint("requested_grant >= 0", name="grant_not_negative"),
        # What a payment's (proposal_id, call_id) refers to: its call is its proposal's.
        sa.Index("uq_proposal_id_call_id", "id", "call_id", unique=True),
    )

    call_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_call.id", ondelete="CASCADE"), index=True
    )
    applicant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    consortium_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consortium.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    acronym: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    strand: Mapped[str | None] = mapped_column(sa.String(40))
    requested_grant: Mapped[Decimal] = mapped_column(Amount)
    duration_months: Mapped[int | None]
    state: Mapped[ProposalState] = mapped_column(
        str_enum(ProposalState), default=ProposalState.DRAFT
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    eligibility: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    eligible: Mapped[bool | None]

    call: Mapped[ProgrammeCall] = relationship(back_populates="proposals", lazy="raise")
    applicant: Mapped[User | None] = relationship(lazy="raise")
    consortium: Mapped[Consortium | None] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    documents: Mapped[list["ProposalDocument"]] = relationship(
        back_populates="proposal",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProposalDocument.id",
    )
    partners: Mapped[list["ProposalPartner"]] = relationship(
        back_populates="proposal",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProposalPartner.position",
    )


class ProposalPartner(IdMixin, Base):
    """A partner of a proposal as it was submitted (ADR 0037): its place, name, country, PIC
    and role as the call's rules saw them, and the registry organisation it was, if any (left
    empty when that organisation is deleted). Written once at submission, never edited."""

    __tablename__ = "proposal_partner"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "position"),)

    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(300))
    country: Mapped[str] = mapped_column(sa.String(2))
    pic: Mapped[str | None] = mapped_column(sa.String(9))
    role: Mapped[Role | None] = mapped_column(str_enum(Role))

    proposal: Mapped[Proposal] = relationship(back_populates="partners", lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")


class ProposalDocument(IdMixin, Base):
    """A file the applicant uploaded with a proposal (the technical annex, a budget table),
    kept in the database as exchange evidence is."""

    __tablename__ = "proposal_document"
    __table_args__ = (sa.CheckConstraint("size > 0", name="not_empty"),)

    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True, deferred_raiseload=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship(back_populates="documents", lazy="raise")


class CascadePayment(IdMixin, TimestampMixin, Base):
    """A payment to the SME of a selected application to a cascade call: the amount in euros,
    the day it was paid and the payment's reference (a bank transfer's, an invoice's). The
    payments of an application never add up to more than its awarded amount (the service
    checks, under a lock of the call's row; ADR 0026), and a reference is used once per call
    among the payments not cancelled, ignoring case: the service checks it for its message and
    the database keeps it (``uq_cascade_payment_call_reference``, ADR 0041). ``call_id`` is
    the proposal's call, copied so that the index can name it; the foreign key on
    ``(proposal_id, call_id)`` keeps the copy right."""

    __tablename__ = "cascade_payment"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.ForeignKeyConstraint(
            ["proposal_id", "call_id"],
            ["proposal.id", "proposal.call_id"],
            name="fk_cascade_payment_proposal_id_call_id_proposal",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )

    proposal_id: Mapped[int] = mapped_column(index=True)
    call_id: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Amount)
    paid_on: Mapped[date]
    reference: Mapped[str] = mapped_column(sa.String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: A payment recorded by mistake is cancelled, never deleted: it stays with who cancelled
    #: it, when and why, and no longer counts as paid.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    cancel_reason: Mapped[str] = mapped_column(sa.String(500), default="")

    proposal: Mapped[Proposal] = relationship(lazy="raise")
    recorded_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[recorded_by_id])
    cancelled_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[cancelled_by_id])


#: The payments that count: a cancelled one frees its reference.
_STANDING = sa.text("cancelled_at IS NULL")

# A reference once per call among the payments not cancelled, ignoring case (ADR 0041).
sa.Index(
    "uq_cascade_payment_call_reference",
    CascadePayment.call_id,
    sa.func.lower(CascadePayment.reference),
    unique=True,
    sqlite_where=_STANDING,
    postgresql_where=_STANDING,
)
