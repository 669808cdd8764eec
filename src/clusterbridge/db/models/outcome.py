"""The outcome ledger: the follow-ups that ask an SME what came of a meeting or an exchange,
and the outcomes it answered (issue 19, part 1; ADR 0019)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clusterbridge.db.base import Base, IdMixin, utcnow
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import OutcomeType

#: Exactly one activity: a meeting of a match-making event or an exchange.
_ONE_ACTIVITY = "(meeting_id IS NULL) <> (exchange_id IS NULL)"


class FollowUp(IdMixin, Base):
    """One question mailed to one side (an organisation) of a meeting or an exchange, ``week``
    weeks after it. Only the SHA-256 of the answer link's token is kept; the link works once
    (``answered_at``) until ``expires_at``. A side gets each week's follow-up once."""

    __tablename__ = "follow_up"
    __table_args__ = (
        sa.CheckConstraint(_ONE_ACTIVITY, name="one_activity"),
        sa.CheckConstraint("week >= 1", name="week_positive"),
        sa.UniqueConstraint("meeting_id", "organisation_id", "week"),
        sa.UniqueConstraint("exchange_id", "organisation_id", "week"),
    )

    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    exchange_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("exchange.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    #: The person asked (the participant or the exchange's contact).
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    week: Mapped[int]
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Outcome(IdMixin, Base):
    """What came of a meeting or an exchange for one organisation, with an optional link to a
    consortium, a proposal or a funded project it led to. Counted by the rules of ADR 0019:
    an SME is counted once however many activities it had, and an outcome type once per
    activity however many sides or follow-ups reported it."""

    __tablename__ = "outcome"
    __table_args__ = (sa.CheckConstraint(_ONE_ACTIVITY, name="one_activity"),)

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    exchange_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("exchange.id", ondelete="CASCADE"), index=True
    )
    #: The follow-up answered (one outcome per follow-up); None once the follow-up is gone.
    follow_up_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("follow_up.id", ondelete="SET NULL"), unique=True
    )
    type: Mapped[OutcomeType] = mapped_column(str_enum(OutcomeType))
    consortium_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consortium.id", ondelete="SET NULL")
    )
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="SET NULL")
    )
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
