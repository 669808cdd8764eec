"""Meeting requests between participants: send, accept, decline, cancel, lock, and outcomes.

A validated participant requests a meeting with another, with a message. In an event with
``accept_decline`` requests the recipient answers; unanswered requests expire after the event's
expiry time. In an ``automatic`` event a request is accepted at once. Accepted meetings get a
slot when the organiser schedules (`services.events.schedule`); the organiser may lock a meeting
to its slot, or put it into a chosen one. After a meeting each side records its outcome.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.domain.enums import (
    ACTIVE_MEETING_STATES,
    EventStatus,
    MeetingOutcome,
    MeetingStatus,
    ParticipantStatus,
    RequestMode,
)
from clusterbridge.domain.errors import (
    AccessDeniedError,
    ConflictError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.domain.events import Slot, find_slot
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.events import access as event_access
from clusterbridge.services.events.events import (
    EventStateError,
    event_slots,
    get_event,
    get_managed_event,
)
from clusterbridge.services.events.notifications import (
    Notifier,
    notify_cancelled,
    notify_moved,
    notify_request,
    notify_response,
)
from clusterbridge.services.events.placement import place
from clusterbridge.services.events.schedule import (
    first_free_room,
    repair_schedule,
    unavailable_slots,
)
from clusterbridge.services.text import has_control_characters

MAX_MESSAGE_LENGTH = 1000
#: Meeting priorities: 1 is normal; a meeting of priority 3 counts as three normal ones when
#: not every meeting fits.
MIN_PRIORITY, MAX_PRIORITY = 1, 5
#: Event states in which participants may send requests.
REQUESTING_STATES = frozenset({EventStatus.OPEN, EventStatus.PUBLISHED})


@dataclass(frozen=True, slots=True)
class MyMeetings:
    """One participant's side of the event: requests to answer, requests sent, meetings."""

    event: Event
    me: EventParticipant
    incoming: list[Meeting]
    outgoing: list[Meeting]
    accepted: list[Meeting]
    closed: list[Meeting]


def request_meeting(
    session: Session,
    actor: User,
    event_id: int,
    *,
    recipient_id: int,
    message: str,
    now: datetime,
    notifier: Notifier,
) -> Meeting:
    """``actor`` (a validated participant) asks ``recipient_id`` for a meeting.

    Refused with InvalidInputError (field ``recipient_id``) for an unknown or not validated
    participant, oneself, or a pair that already has an open request or a meeting; and for an
    over-long message. ConflictError (409) when the recipient declined a request of
    ``actor``'s before, unless the event allows repeated requests (``repeat_requests``, the
    organiser's setting). Mails the recipient. Flushes for the id.

    Like every change to an event's meetings that may repair its schedule, it first locks the
    event's meetings (`lock_meetings`): two requests at once never fit two meetings into one
    free slot.
    """
    repository.lock_meetings(session, event_id)
    event = get_event(session, actor, event_id)
    if event.status not in REQUESTING_STATES:
        raise EventStateError("Meeting requests open with registration")
    me = event_access.require_validated(event, actor)
    recipient = _recipient(event, me, recipient_id)
    text = _check_message(message)
    if not event.repeat_requests:
        _refuse_after_decline(event, me, recipient)
    automatic = event.request_mode is RequestMode.AUTOMATIC
    expiry = event.request_expiry_hours
    meeting = Meeting(
        requester=me,
        recipient=recipient,
        message=text,
        status=MeetingStatus.ACCEPTED if automatic else MeetingStatus.REQUESTED,
        responded_at=now if automatic else None,
        expires_at=None if automatic or expiry is None else now + timedelta(hours=expiry),
        locked=False,
    )
    event.meetings.append(meeting)
    session.flush()
    notify_request(session, notifier, meeting, event)
    if automatic and event.status is EventStatus.PUBLISHED:
        repair_schedule(session, event, now=now, notifier=notifier)
    return meeting


def respond(
    session: Session,
    actor: User,
    event_id: int,
    meeting_id: int,
    *,
    accept: bool,
    now: datetime,
    notifier: Notifier,
) -> Meeting:
    """The recipient accepts or declines a request that is still open (not expired); mails
    the requester. Once the agenda is published, an accepted meeting is fitted into the
    schedule at once (`repair_schedule`) and both sides are told its slot. EventStateError
    (409) for a request already answered or expired; ConflictError (409) when it was answered
    or cancelled by another request a moment before (the database decides which came first)."""
    repository.lock_meetings(session, event_id)
    event = get_event(session, actor, event_id)
    me = event_access.require_validated(event, actor)
    meeting = find_meeting(event, meeting_id)
    if meeting.recipient_id != me.id:
        raise AccessDeniedError("Only the participant asked may answer a request")
    expire_requests(event, now=now)
    if meeting.status is not MeetingStatus.REQUESTED:
        raise EventStateError(f"This request is {meeting.status.value}: it cannot be answered")
    _hold(session, meeting)
    meeting.status = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
    meeting.responded_at = now
    session.flush()
    notify_response(session, notifier, meeting, event)
    if accept and event.status is EventStatus.PUBLISHED:
        repair_schedule(session, event, now=now, notifier=notifier)
    return meeting


def cancel_meeting(
    session: Session,
    actor: User,
    event_id: int,
    meeting_id: int,
    *,
    now: datetime,
    notifier: Notifier,
) -> Meeting:
    """Cancel a request or a meeting: either participant, or the organiser.

    The other side is told by mail. When the agenda is published and the meeting had a slot,
    the schedule is repaired from the next slot that has not started (`repair_schedule`), and
    everyone whose meeting moves is told.
    """
    repository.lock_meetings(session, event_id)
    event = get_event(session, actor, event_id)
    meeting = find_meeting(event, meeting_id)
    by = event_access.find_participant(event, actor)
    organiser = event_access.can_manage(event, actor)
    if not organiser and (by is None or by.id not in {meeting.requester_id, meeting.recipient_id}):
        raise AccessDeniedError("Only the two participants may cancel a meeting")
    if meeting.status not in ACTIVE_MEETING_STATES:
        raise EventStateError(f"This request is {meeting.status.value}: it cannot be cancelled")
    _hold(session, meeting)
    was_scheduled = meeting.starts_at is not None
    # The mail names the slot, so it is written before the slot is freed.
    notify_cancelled(session, notifier, meeting, event, by=None if organiser else by)
    cancel(meeting, now=now)
    session.flush()
    if was_scheduled and event.status is EventStatus.PUBLISHED:
        repair_schedule(session, event, now=now, notifier=notifier)
    return meeting


def lock_meeting(
    session: Session,
    actor: User,
    event_id: int,
    meeting_id: int,
    *,
    slot: int | None,
    notifier: Notifier,
) -> Meeting:
    """Lock an accepted meeting (organiser only) to its slot, or to slot number ``slot``
    (counted from 1), so that scheduling keeps it there.

    InvalidInputError (field ``slot``) for a slot out of range, a meeting without a slot and
    no slot given, a slot in which either participant already meets someone else, or one with
    no free room. If the agenda is published and the meeting moves, both sides are told.
    """
    event = get_managed_event(session, actor, event_id)
    meeting = find_meeting(event, meeting_id)
    if meeting.status is not MeetingStatus.ACCEPTED:
        raise EventStateError(
            f"Only accepted meetings have a slot; this one is {meeting.status.value}"
        )
    slots = event_slots(event)
    target = _target_slot(event, meeting, slots, slot)
    moved = meeting.starts_at != target.start
    if moved:
        place(meeting, target.start, _free_room(event, meeting, target))
    meeting.locked = True
    session.flush()
    if moved and event.status is EventStatus.PUBLISHED:
        notify_moved(session, notifier, [meeting], event)
    return meeting


def set_priority(
    session: Session, actor: User, event_id: int, meeting_id: int, *, priority: int
) -> Meeting:
    """Set how much a requested or accepted meeting counts when not every meeting fits
    (organiser only): 1 (normal) to 5. InvalidInputError (field ``priority``) outside that."""
    event = get_managed_event(session, actor, event_id)
    meeting = find_meeting(event, meeting_id)
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        reason = f"must be {MIN_PRIORITY} (normal) to {MAX_PRIORITY}, not {priority}"
        raise InvalidInputError("The priority cannot change", [InputIssue("", "priority", reason)])
    if meeting.status not in ACTIVE_MEETING_STATES:
        raise EventStateError(f"This request is {meeting.status.value}: its priority is moot")
    meeting.priority = priority
    session.flush()
    return meeting


def unlock_meeting(session: Session, actor: User, event_id: int, meeting_id: int) -> Meeting:
    """Let scheduling move the meeting again (organiser only)."""
    event = get_managed_event(session, actor, event_id)
    meeting = find_meeting(event, meeting_id)
    meeting.locked = False
    session.flush()
    return meeting


def record_outcome(
    session: Session,
    actor: User,
    event_id: int,
    meeting_id: int,
    *,
    outcome: MeetingOutcome,
    now: datetime,
) -> Meeting:
    """Record what came of a meeting, for ``actor``'s side: once its slot is over."""
    event = get_event(session, actor, event_id)
    me = event_access.require_validated(event, actor)
    meeting = find_meeting(event, meeting_id)
    if me.id not in {meeting.requester_id, meeting.recipient_id}:
        raise AccessDeniedError("Only the two participants record an outcome")
    ends = meeting.starts_at + timedelta(minutes=event.slot_minutes) if meeting.starts_at else None
    if meeting.status is not MeetingStatus.ACCEPTED or ends is None or ends > now:
        raise EventStateError("An outcome can be recorded once the meeting has taken place")
    if me.id == meeting.requester_id:
        meeting.requester_outcome = outcome
    else:
        meeting.recipient_outcome = outcome
    session.flush()
    return meeting


def my_meetings(session: Session, actor: User, event_id: int, *, now: datetime) -> MyMeetings:
    """``actor``'s requests and meetings at the event, each list by time then id. Marks
    overdue requests expired first (a write)."""
    event = get_event(session, actor, event_id)
    me = event_access.require_validated(event, actor)
    expire_requests(event, now=now)
    mine = [m for m in event.meetings if me.id in {m.requester_id, m.recipient_id}]
    open_requests = [m for m in mine if m.status is MeetingStatus.REQUESTED]
    return MyMeetings(
        event=event,
        me=me,
        incoming=[m for m in open_requests if m.recipient_id == me.id],
        outgoing=[m for m in open_requests if m.requester_id == me.id],
        accepted=sorted((m for m in mine if m.status is MeetingStatus.ACCEPTED), key=_by_time),
        closed=[m for m in mine if m.status not in ACTIVE_MEETING_STATES],
    )


def list_meetings(session: Session, actor: User, event_id: int, *, now: datetime) -> list[Meeting]:
    """Every request and meeting of the event for its organiser; a participant's own for a
    validated participant. By id. Marks overdue requests expired first (a write)."""
    event = get_event(session, actor, event_id)
    expire_requests(event, now=now)
    if event_access.can_manage(event, actor):
        return list(event.meetings)
    me = event_access.require_validated(event, actor)
    return [m for m in event.meetings if me.id in {m.requester_id, m.recipient_id}]


def expire_requests(event: Event, *, now: datetime) -> list[Meeting]:
    """Mark the event's unanswered requests whose time is up as expired; returns them."""
    expired = [
        m
        for m in event.meetings
        if m.status is MeetingStatus.REQUESTED and m.expires_at is not None and m.expires_at <= now
    ]
    for meeting in expired:
        meeting.status = MeetingStatus.EXPIRED
    return expired


def cancel(meeting: Meeting, *, now: datetime) -> None:
    """Mark a request or meeting cancelled and free its slot, room and lock (no mail). The
    answer's time (``responded_at``) stays as it was: set, it says the meeting had been
    accepted (the report counts it so); a request withdrawn unanswered keeps none. ``now``
    is kept for callers that date the cancellation."""
    del now
    meeting.status = MeetingStatus.CANCELLED
    place(meeting, None, None)
    meeting.locked = False


def find_meeting(event: Event, meeting_id: int) -> Meeting:
    """The event's meeting with this id; InvalidInputError (field ``meeting_id``) otherwise."""
    meeting = next((m for m in event.meetings if m.id == meeting_id), None)
    if meeting is None:
        reason = f"{meeting_id} is not a meeting of this event"
        raise InvalidInputError("Unknown meeting", [InputIssue("", "meeting_id", reason)])
    return meeting


def _hold(session: Session, meeting: Meeting) -> None:
    """Lock the meeting in the state it was read in, reloaded; ConflictError (409) when another
    request changed its status meanwhile."""
    if not repository.hold_meeting(session, meeting, status=meeting.status):
        raise ConflictError(
            "This request was answered or cancelled a moment ago: reload to see its state"
        )


def _by_time(meeting: Meeting) -> tuple[bool, datetime | None, int]:
    return (meeting.starts_at is None, meeting.starts_at, meeting.id)


def _recipient(event: Event, me: EventParticipant, recipient_id: int) -> EventParticipant:
    def refuse(reason: str) -> InvalidInputError:
        return InvalidInputError(
            "The meeting cannot be requested", [InputIssue("", "recipient_id", reason)]
        )

    if recipient_id == me.id:
        raise refuse("you cannot request a meeting with yourself")
    recipient = next((p for p in event.participants if p.id == recipient_id), None)
    if recipient is None or recipient.status is not ParticipantStatus.VALIDATED:
        raise refuse(f"{recipient_id} is not a participant of this event")
    pair = {me.id, recipient.id}
    for meeting in event.meetings:
        if (
            meeting.status in ACTIVE_MEETING_STATES
            and {meeting.requester_id, meeting.recipient_id} == pair
        ):
            raise refuse(
                f"you already have a {meeting.status.value} meeting with {recipient.organisation.name}"
            )
    return recipient


def _refuse_after_decline(event: Event, me: EventParticipant, recipient: EventParticipant) -> None:
    """ConflictError when ``recipient`` declined a request from ``me`` before."""
    declined = any(
        m.status is MeetingStatus.DECLINED
        and m.requester_id == me.id
        and m.recipient_id == recipient.id
        for m in event.meetings
    )
    if declined:
        raise ConflictError(
            f"{recipient.organisation.name} declined your request: you cannot ask again "
            "unless the organiser allows repeated requests"
        )


def _check_message(message: str) -> str:
    text = message.strip()
    if has_control_characters(text, multiline=True):
        reason = "must not contain control characters"
    elif len(text) > MAX_MESSAGE_LENGTH:
        reason = too_long_reason(MAX_MESSAGE_LENGTH, len(text))
    else:
        return text
    raise InvalidInputError("The meeting cannot be requested", [InputIssue("", "message", reason)])


def _target_slot(
    event: Event, meeting: Meeting, slots: tuple[Slot, ...], number: int | None
) -> Slot:
    def refuse(reason: str) -> InvalidInputError:
        return InvalidInputError("The meeting cannot be locked", [InputIssue("", "slot", reason)])

    if number is None:
        current = find_slot(slots, meeting.starts_at) if meeting.starts_at else None
        if current is None:
            raise refuse("the meeting has no slot yet: give the slot to put it in")
        return current
    if not 1 <= number <= len(slots):
        raise refuse(f"must be between 1 and {len(slots)} (the event's slots), not {number}")
    target = slots[number - 1]
    for person in (meeting.requester, meeting.recipient):
        if number in unavailable_slots(slots, person):
            raise refuse(f"{person.organisation.name} is unavailable in slot {number}")
    pair = {meeting.requester_id, meeting.recipient_id}
    for other in event.meetings:
        if (
            other.id != meeting.id
            and other.starts_at == target.start
            and other.status is MeetingStatus.ACCEPTED
        ):
            busy = pair & {other.requester_id, other.recipient_id}
            if busy:
                who = meeting.requester if meeting.requester_id in busy else meeting.recipient
                raise refuse(f"{who.organisation.name} already has a meeting in slot {number}")
    return target


def _free_room(event: Event, meeting: Meeting, target: Slot) -> int:
    room = first_free_room(event, target.start, exclude=meeting.id)
    if room is None:
        reason = f"all {event.rooms} rooms are taken in slot {target.index + 1}"
        raise InvalidInputError("The meeting cannot be locked", [InputIssue("", "slot", reason)])
    return room
