"""Match-making events: sessions, registered participants and their meetings."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.models.user import User
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import (
    EventStatus,
    MeetingOutcome,
    MeetingStatus,
    ParticipantStatus,
    RequestMode,
)


class Event(IdMixin, TimestampMixin, Base):
    """A virtual match-making event of one-to-one meetings in fixed slots."""

    __tablename__ = "event"
    __table_args__ = (
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 240", name="slot_minutes"),
        sa.CheckConstraint("rooms IS NULL OR rooms > 0", name="rooms"),
        sa.CheckConstraint(
            "request_expiry_hours IS NULL OR request_expiry_hours > 0", name="request_expiry"
        ),
        sa.CheckConstraint(
            "(status = 'published') = (published_at IS NOT NULL)", name="published_at"
        ),
        sa.CheckConstraint("fairness IS NULL OR fairness >= 0", name="fairness"),
    )

    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: An IANA time zone name: the agenda shows local times in it.
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    slot_minutes: Mapped[int]
    #: The address of each meeting's virtual room, with {event}, {meeting} and {room}.
    room_link_template: Mapped[str] = mapped_column(sa.String(500))
    request_mode: Mapped[RequestMode] = mapped_column(str_enum(RequestMode))
    #: Unanswered requests expire after this many hours; None: never.
    request_expiry_hours: Mapped[int | None]
    #: How many meetings may run at once; None: no limit.
    rooms: Mapped[int | None]
    #: The most two participants' break counts may differ when scheduling; None: no limit.
    fairness: Mapped[int | None]
    #: Whether a participant may ask again someone who declined their request.
    repeat_requests: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    organiser_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)

    organiser: Mapped[User] = relationship(lazy="raise")
    sessions: Mapped[list["EventSession"]] = relationship(
        back_populates="event",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="(EventSession.starts_at, EventSession.id)",
    )
    participants: Mapped[list["EventParticipant"]] = relationship(
        back_populates="event",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="EventParticipant.id",
    )
    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="event", lazy="raise", cascade="all, delete-orphan", order_by="Meeting.id"
    )


class EventSession(IdMixin, Base):
    """A block of time in which meetings take place, e.g. a morning."""

    __tablename__ = "event_session"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship(back_populates="sessions", lazy="raise")


class EventParticipant(IdMixin, TimestampMixin, Base):
    """A user registered for an event on behalf of a registry organisation."""

    __tablename__ = "event_participant"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id"),
        # Withdrawn by the participant exactly when it says when (revision 0037).
        sa.CheckConstraint(
            "(status = 'withdrawn') = (withdrawn_at IS NOT NULL)", name="withdrawn_when"
        ),
    )

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    #: What the participant offers and looks for, in their own words.
    offers: Mapped[str] = mapped_column(sa.Text, default="")
    needs: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ParticipantStatus] = mapped_column(
        str_enum(ParticipantStatus), default=ParticipantStatus.PENDING
    )
    #: The IANA time zone their mail gives times in; None: the event's.
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))
    #: When the reminder of their agenda was sent; None: not yet.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the participant withdrew their registration (its status is then ``withdrawn``);
    #: None: they did not. Registering again clears it.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship(back_populates="participants", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
    unavailable: Mapped[list["Unavailability"]] = relationship(
        back_populates="participant",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Unavailability.starts_at",
    )


class Unavailability(IdMixin, Base):
    """A time in which a participant cannot meet anyone: scheduling keeps their meetings out
    of the slots it overlaps. Stored as times, so it survives a change of slot length."""

    __tablename__ = "event_unavailability"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_participant.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    participant: Mapped[EventParticipant] = relationship(back_populates="unavailable", lazy="raise")


#: A meeting request still open or accepted (``ACTIVE_MEETING_STATES``).
_OPEN = sa.text("status IN ('requested', 'accepted')")
_LOWER_ID = "CASE WHEN requester_id < recipient_id THEN requester_id ELSE recipient_id END"
_HIGHER_ID = "CASE WHEN requester_id < recipient_id THEN recipient_id ELSE requester_id END"


class Meeting(IdMixin, TimestampMixin, Base):
    """A meeting request from one participant to another, and once accepted, the meeting.

    A meeting has a slot (``starts_at``) and a room only while it is accepted; a locked one keeps
    its slot when the organiser schedules again.
    """

    __tablename__ = "meeting"
    __table_args__ = (
        sa.CheckConstraint("requester_id <> recipient_id", name="not_with_oneself"),
        sa.CheckConstraint("starts_at IS NULL OR status = 'accepted'", name="scheduled_accepted"),
        sa.CheckConstraint("room IS NULL OR starts_at IS NOT NULL", name="room_scheduled"),
        sa.CheckConstraint("NOT locked OR starts_at IS NOT NULL", name="locked_scheduled"),
        sa.CheckConstraint("priority BETWEEN 1 AND 5", name="priority"),
        sa.CheckConstraint("sequence >= 0", name="sequence"),
        # One open request or meeting per pair of participants, whoever asked (revision 0011).
        sa.Index(
            "uq_meeting_open_pair",
            "pair_low_id",
            "pair_high_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_participant.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_participant.id", ondelete="CASCADE"), index=True
    )
    #: The pair's lower and higher participant id, computed by the database: the unique index
    #: on them sees A asking B and B asking A as the same pair.
    pair_low_id: Mapped[int] = mapped_column(sa.Computed(_LOWER_ID))
    pair_high_id: Mapped[int] = mapped_column(sa.Computed(_HIGHER_ID))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus), default=MeetingStatus.REQUESTED
    )
    #: When an unanswered request expires; None: never.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked: Mapped[bool] = mapped_column(default=False)
    #: How much the meeting counts when not every meeting fits: 1 (normal) to 5.
    priority: Mapped[int] = mapped_column(default=1, server_default="1")
    #: The calendar revision (iCalendar SEQUENCE): raised whenever its time or room changes.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    room: Mapped[int | None]
    #: The start it had when it last lost its slot (cancelled, or left out by a new schedule);
    #: calendar files list it there as cancelled, so that calendars which imported it remove
    #: it. None while it has a slot, and cleared when the agenda is first published (no
    #: participant's calendar held a meeting before).
    former_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requester_outcome: Mapped[MeetingOutcome | None] = mapped_column(
        str_enum(MeetingOutcome, name="requester_outcome")
    )
    recipient_outcome: Mapped[MeetingOutcome | None] = mapped_column(
        str_enum(MeetingOutcome, name="recipient_outcome")
    )

    event: Mapped[Event] = relationship(back_populates="meetings", lazy="raise")
    requester: Mapped[EventParticipant] = relationship(foreign_keys=[requester_id], lazy="raise")
    recipient: Mapped[EventParticipant] = relationship(foreign_keys=[recipient_id], lazy="raise")
