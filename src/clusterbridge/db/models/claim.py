"""Claims: a user's request to manage an organisation's record, and its decision."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.models.user import User
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import ClaimStatus


class OrganisationClaim(IdMixin, TimestampMixin, Base):
    """``requester`` asks to manage ``organisation`` (to become its member); a member of the
    organisation or an administrator approves or refuses.

    ``is_open`` is true while the claim waits for a decision and NULL once it is decided. The
    unique constraint on (organisation, requester, is_open) so allows one open claim per user
    and organisation and any number of decided ones: SQLite and PostgreSQL both let NULLs
    repeat in a unique constraint. A partial unique index would say the same, but models keep
    to constraints both databases share (STYLE §6).
    """

    __tablename__ = "organisation_claim"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "requester_id", "is_open"),
        sa.CheckConstraint(
            "(status = 'pending') = (is_open IS NOT NULL)", name="open_while_pending"
        ),
        sa.CheckConstraint("is_open IS NULL OR is_open", name="open_is_true"),
        sa.CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_at"),
    )

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    requester_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: Who the requester is and why they should manage the record, in their own words.
    message: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ClaimStatus] = mapped_column(str_enum(ClaimStatus), default=ClaimStatus.PENDING)
    #: True while pending, NULL once decided (see the class docstring). No default: the ORM
    #: would put it in place of an explicit None.
    is_open: Mapped[bool | None]
    #: Why the claim was refused (or approved), as the decider wrote it; may be empty.
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    requester: Mapped[User] = relationship(foreign_keys=[requester_id], lazy="raise")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")
