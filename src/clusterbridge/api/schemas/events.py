"""Bodies of the event endpoints: ``XCreate`` / ``XUpdate`` (all optional) / ``XRead``.

Times are read and written twice: in UTC (``starts_at``) and in the event's time zone
(``local_start``), so that a client need not know time zones. Slots are numbered from 1.
"""

from datetime import date, datetime, time
from typing import Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    model_validator,
)

from clusterbridge.db.models import Event, EventParticipant, EventSession, Meeting
from clusterbridge.domain.enums import (
    EventStatus,
    MeetingOutcome,
    MeetingStatus,
    ParticipantStatus,
    RequestMode,
    SolveStatus,
)
from clusterbridge.domain.events import MAX_SLOT_MINUTES, MIN_SLOT_MINUTES, Slot, local_time
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.events.agenda import (
    DEFAULT_REMINDER_HOURS,
    MAX_REMINDER_HOURS,
    Agenda,
    AgendaItem,
)
from clusterbridge.services.events.events import (
    DEFAULT_ROOM_LINK,
    MAX_DESCRIPTION_LENGTH,
    MAX_EXPIRY_HOURS,
    MAX_FAIRNESS,
    MAX_NAME_LENGTH,
    MAX_ROOMS,
    MAX_SESSION_NAME_LENGTH,
    MAX_TEMPLATE_LENGTH,
    EventChange,
    EventDetails,
    SessionDetails,
    event_slots,
)
from clusterbridge.services.events.meetings import MAX_PRIORITY, MIN_PRIORITY
from clusterbridge.services.events.participants import MAX_PROFILE_TEXT, ParticipantView
from clusterbridge.services.events.schedule import (
    DEFAULT_TIME_LIMIT,
    MAX_TIME_LIMIT,
    MIN_TIME_LIMIT,
    ScheduleSummary,
    unavailable_slots,
)


class SessionCreate(BaseModel):
    """A session on one day, from ``start`` to ``end`` in the event's time zone."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_SESSION_NAME_LENGTH)
    date: date
    start: time
    end: time

    def details(self) -> SessionDetails:
        """The session for the service."""
        return SessionDetails(self.name, self.date, self.start, self.end)


class EventCreate(BaseModel):
    """A new event (a draft) with its sessions. ``room_link_template`` may use {event},
    {meeting} and {room}; ``request_expiry_hours`` and ``rooms`` null: no limit; ``fairness``:
    the most two participants' break counts may differ (null: no limit)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    time_zone: str = Field(default="Europe/Brussels", max_length=64)
    slot_minutes: StrictInt = Field(default=20, ge=MIN_SLOT_MINUTES, le=MAX_SLOT_MINUTES)
    room_link_template: str = Field(default=DEFAULT_ROOM_LINK, max_length=MAX_TEMPLATE_LENGTH)
    request_mode: RequestMode = RequestMode.ACCEPT_DECLINE
    request_expiry_hours: StrictInt | None = Field(default=72, ge=1, le=MAX_EXPIRY_HOURS)
    rooms: StrictInt | None = Field(default=None, ge=1, le=MAX_ROOMS)
    fairness: StrictInt | None = Field(default=None, ge=0, le=MAX_FAIRNESS)
    #: Whether a participant may ask again someone who declined their request.
    repeat_requests: StrictBool = False
    sessions: list[SessionCreate] = Field(default_factory=list, max_length=50)

    def details(self) -> EventDetails:
        """The settings for the service."""
        return EventDetails(**self.model_dump(exclude={"sessions"}))


class EventUpdate(BaseModel):
    """Settings to change; a field left out keeps its value. ``null`` clears the expiry, the
    room limit or the fairness bound; the other fields cannot be null."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    time_zone: str | None = Field(default=None, max_length=64)
    slot_minutes: StrictInt | None = Field(default=None, ge=MIN_SLOT_MINUTES, le=MAX_SLOT_MINUTES)
    room_link_template: str | None = Field(default=None, max_length=MAX_TEMPLATE_LENGTH)
    request_mode: RequestMode | None = None
    request_expiry_hours: StrictInt | None = Field(default=None, ge=1, le=MAX_EXPIRY_HOURS)
    rooms: StrictInt | None = Field(default=None, ge=1, le=MAX_ROOMS)
    fairness: StrictInt | None = Field(default=None, ge=0, le=MAX_FAIRNESS)
    repeat_requests: StrictBool | None = None

    @model_validator(mode="after")
    def _not_null(self) -> Self:
        nullable = {"request_expiry_hours", "rooms", "fairness"}
        for field in self.model_fields_set - nullable:
            if getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class SessionRead(BaseModel):
    """A session, in UTC and in local time."""

    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    local_start: datetime
    local_end: datetime

    @classmethod
    def from_row(cls, row: EventSession, time_zone: str) -> "SessionRead":
        """The session of ``row`` for an event in ``time_zone``."""
        return cls(
            id=row.id,
            name=row.name,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            local_start=local_time(row.starts_at, time_zone),
            local_end=local_time(row.ends_at, time_zone),
        )


class EventRead(BaseModel):
    """An event: its settings, sessions, number of slots and participants."""

    id: int
    name: str
    description: str
    status: EventStatus
    time_zone: str
    slot_minutes: int
    room_link_template: str
    request_mode: RequestMode
    request_expiry_hours: int | None
    rooms: int | None
    fairness: int | None
    repeat_requests: bool
    organiser_id: int
    published_at: datetime | None
    slots: int
    participants: int
    sessions: list[SessionRead]

    @classmethod
    def from_row(cls, row: Event) -> "EventRead":
        """The event of ``row`` (sessions and participants loaded)."""
        return cls(
            id=row.id,
            name=row.name,
            description=row.description,
            status=row.status,
            time_zone=row.time_zone,
            slot_minutes=row.slot_minutes,
            room_link_template=row.room_link_template,
            request_mode=row.request_mode,
            request_expiry_hours=row.request_expiry_hours,
            rooms=row.rooms,
            fairness=row.fairness,
            repeat_requests=row.repeat_requests,
            organiser_id=row.organiser_id,
            published_at=row.published_at,
            slots=len(event_slots(row)),
            participants=len(row.participants),
            sessions=[SessionRead.from_row(s, row.time_zone) for s in row.sessions],
        )


class EventChanged(EventRead):
    """An event after a change, with the meetings it took their slot from."""

    #: The meetings that lost their slot and room (a new slot length, fewer rooms than a slot
    #: holds, a session removed): schedule again to place them.
    unscheduled_meeting_ids: list[int]
    #: The scheduled meetings whose UTC time moved with a new time zone: they keep their slot
    #: and local time (09:00 stays 09:00). Participants see and are mailed times only once
    #: the agenda is published, and a published event's time zone cannot change.
    moved_meeting_ids: list[int]

    @classmethod
    def from_change(cls, change: EventChange) -> "EventChanged":
        """The event of ``change`` and the meetings it unscheduled or moved."""
        read = EventRead.from_row(change.event)
        return cls(
            **read.model_dump(),
            unscheduled_meeting_ids=list(change.unscheduled),
            moved_meeting_ids=list(change.moved),
        )


class RegistrationCreate(BaseModel):
    """Registering for an event on behalf of a registry organisation."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: StrictInt = Field(ge=1, le=MAX_ID)
    offers: str = Field(default="", max_length=MAX_PROFILE_TEXT)
    needs: str = Field(default="", max_length=MAX_PROFILE_TEXT)
    #: The time zone your mail gives times in, e.g. Europe/Lisbon; empty: the event's.
    time_zone: str = Field(default="", max_length=64)


class ParticipantStatusUpdate(BaseModel):
    """The organiser's decision on a registration: ``validated`` or ``rejected`` (``pending``
    and ``withdrawn``, the participant's own, are refused with 422)."""

    model_config = ConfigDict(extra="forbid")

    status: ParticipantStatus


class UnavailabilityUpdate(BaseModel):
    """The slots (numbered from 1) in which the participant cannot meet; replaces the list."""

    model_config = ConfigDict(extra="forbid")

    unavailable_slots: list[StrictInt] = Field(max_length=1000)


class ParticipantRead(BaseModel):
    """A participant; ``unavailable_slots`` (from 1) are the slots they cannot meet in;
    ``score`` and ``reasons`` when they are a suggested meeting for you."""

    id: int
    user_id: int
    name: str
    organisation_id: int
    organisation: str
    country: str
    offers: str
    needs: str
    status: ParticipantStatus
    #: When the participant withdrew (their status is then ``withdrawn``); null: they did not.
    withdrawn_at: datetime | None = None
    unavailable_slots: list[int] = Field(default_factory=list)
    score: int | None = None
    reasons: list[str] = Field(default_factory=list)

    @classmethod
    def from_row(
        cls,
        row: EventParticipant,
        view: ParticipantView | None = None,
        *,
        slots: tuple[Slot, ...] | None = None,
    ) -> "ParticipantRead":
        """The participant of ``row`` (user and organisation loaded); ``slots`` are the event's
        slots when the caller has them already (a list computes them once)."""
        suggestion = view.suggestion if view else None
        slots = event_slots(row.event) if slots is None else slots
        return cls(
            id=row.id,
            user_id=row.user_id,
            name=row.user.name,
            organisation_id=row.organisation_id,
            organisation=row.organisation.name,
            country=row.organisation.country,
            offers=row.offers,
            needs=row.needs,
            status=row.status,
            withdrawn_at=row.withdrawn_at,
            unavailable_slots=list(unavailable_slots(slots, row)),
            score=suggestion.score if suggestion else None,
            reasons=list(suggestion.reasons) if suggestion else [],
        )


class MeetingCreate(BaseModel):
    """A meeting request to another validated participant."""

    model_config = ConfigDict(extra="forbid")

    recipient_id: StrictInt = Field(ge=1, le=MAX_ID)
    message: str = Field(default="", max_length=1000)


class MeetingLock(BaseModel):
    """Lock a meeting to its slot, or to slot number ``slot`` (from 1)."""

    model_config = ConfigDict(extra="forbid")

    slot: StrictInt | None = Field(default=None, ge=-(2**31), le=MAX_ID)


class PriorityUpdate(BaseModel):
    """How much a meeting counts when not every meeting fits: 1 (normal) to 5."""

    model_config = ConfigDict(extra="forbid")

    priority: StrictInt = Field(ge=MIN_PRIORITY, le=MAX_PRIORITY)


class ReminderRequest(BaseModel):
    """Remind the participants whose next meeting starts within ``within_hours``."""

    model_config = ConfigDict(extra="forbid")

    within_hours: StrictInt = Field(default=DEFAULT_REMINDER_HOURS, ge=1, le=MAX_REMINDER_HOURS)


class RemindersRead(BaseModel):
    """The participants who were sent a reminder now."""

    reminded: list[int]


class OutcomeUpdate(BaseModel):
    """What came of a meeting, for your side."""

    model_config = ConfigDict(extra="forbid")

    outcome: MeetingOutcome


class MeetingRead(BaseModel):
    """A meeting request or meeting; ``starts_at`` and ``room`` once it has a slot;
    ``sequence`` counts the changes of its time or room (its iCalendar SEQUENCE)."""

    id: int
    requester_id: int
    recipient_id: int
    requester: str
    recipient: str
    message: str
    status: MeetingStatus
    expires_at: datetime | None
    locked: bool
    priority: int
    sequence: int
    starts_at: datetime | None
    room: int | None
    requester_outcome: MeetingOutcome | None
    recipient_outcome: MeetingOutcome | None

    @classmethod
    def from_row(cls, row: Meeting) -> "MeetingRead":
        """The meeting of ``row`` (participants and their organisations loaded)."""
        return cls(
            id=row.id,
            requester_id=row.requester_id,
            recipient_id=row.recipient_id,
            requester=row.requester.organisation.name,
            recipient=row.recipient.organisation.name,
            message=row.message,
            status=row.status,
            expires_at=row.expires_at,
            locked=row.locked,
            priority=row.priority,
            sequence=row.sequence,
            starts_at=row.starts_at,
            room=row.room,
            requester_outcome=row.requester_outcome,
            recipient_outcome=row.recipient_outcome,
        )


class AgendaItemRead(BaseModel):
    """One meeting of an agenda, with local times and its room link."""

    meeting_id: int
    slot: int
    local_start: datetime
    local_end: datetime
    room: int
    link: str
    #: The participant met, in a participant's agenda; null in the organiser's.
    with_participant_id: int | None
    with_organisation: str | None
    #: Both sides, in every agenda: who asked for the meeting and who was asked.
    requester_participant_id: int
    requester_organisation: str
    recipient_participant_id: int
    recipient_organisation: str

    @classmethod
    def from_item(cls, item: AgendaItem) -> "AgendaItemRead":
        """The agenda item ``item``."""
        meeting = item.meeting
        return cls(
            meeting_id=item.meeting.id,
            slot=item.slot,
            local_start=item.starts,
            local_end=item.ends,
            room=item.room,
            link=item.link,
            with_participant_id=item.other.id if item.other else None,
            with_organisation=item.other.organisation.name if item.other else None,
            requester_participant_id=meeting.requester_id,
            requester_organisation=meeting.requester.organisation.name,
            recipient_participant_id=meeting.recipient_id,
            recipient_organisation=meeting.recipient.organisation.name,
        )


class AgendaRead(BaseModel):
    """An agenda: yours, or every meeting for the organiser (``participant_id`` null)."""

    event_id: int
    time_zone: str
    participant_id: int | None
    items: list[AgendaItemRead]

    @classmethod
    def from_agenda(cls, agenda: Agenda) -> "AgendaRead":
        """The agenda ``agenda``."""
        return cls(
            event_id=agenda.event.id,
            time_zone=agenda.event.time_zone,
            participant_id=agenda.participant.id if agenda.participant else None,
            items=[AgendaItemRead.from_item(item) for item in agenda.items],
        )


class ScheduleRequest(BaseModel):
    """How long "schedule all" may search, in seconds."""

    model_config = ConfigDict(extra="forbid")

    time_limit: StrictFloat = Field(
        default=DEFAULT_TIME_LIMIT, ge=MIN_TIME_LIMIT, le=MAX_TIME_LIMIT
    )


class ScheduleRead(BaseModel):
    """What "schedule all" did; ``unplaced`` are the meeting ids that got no slot, ``reason``
    why not every meeting fits when there are more meetings than room-slots (else null)."""

    status: SolveStatus
    placed: int
    meetings: int
    unplaced: list[int]
    breaks: int | None
    moved: int
    seconds: float
    reason: str | None
    summary: str

    @classmethod
    def from_summary(cls, summary: ScheduleSummary) -> "ScheduleRead":
        """The result ``summary``."""
        return cls(
            status=summary.status,
            placed=summary.placed,
            meetings=summary.meetings,
            unplaced=[m.id for m in summary.unplaced],
            breaks=summary.breaks,
            moved=summary.moved,
            seconds=summary.seconds,
            reason=summary.reason,
            summary=summary.describe(),
        )
