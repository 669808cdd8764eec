"""The event's schedule: placing accepted meetings in slots and rooms, repairing it after a
cancellation, and publishing it.

Meetings are stored with their start (UTC) and room; the slot is found again from the start.
The engine (`clusterbridge.engines.scheduling`) sees the accepted meetings by their position
in id order, the validated participants by id, and the slots of the event's sessions; locked
meetings are pinned to their slot.
"""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.domain.enums import SCHEDULED_STATUSES, EventStatus, MeetingStatus, SolveStatus
from clusterbridge.domain.errors import (
    ConflictError,
    InputIssue,
    InvalidInputError,
    MissingDependencyError,
)
from clusterbridge.domain.events import SessionWindow, Slot, find_slot, overlapped_slots
from clusterbridge.domain.scheduling import Assignment, Schedule, SchedulingProblem, SolveResult
from clusterbridge.domain.scheduling import Meeting as ProblemMeeting
from clusterbridge.domain.scheduling.breaks import participant_breaks, schedule_slots
from clusterbridge.domain.scheduling.problem import ParticipantKey
from clusterbridge.services.events.agenda import (
    Agenda,
    agenda_calendar,
    build_items,
    withdrawn_items,
)
from clusterbridge.services.events.events import EventStateError, event_slots, get_managed_event
from clusterbridge.services.events.notifications import (
    AgendaLine,
    Notifier,
    PublishedAgenda,
    notify_moved,
    notify_published,
)
from clusterbridge.services.events.placement import place

logger = logging.getLogger(__name__)

#: Seconds "schedule all" may search by default; an event of a few hundred meetings needs less.
DEFAULT_TIME_LIMIT = 10.0
MAX_TIME_LIMIT = 600.0
#: The fewest seconds the solver may be given.
MIN_TIME_LIMIT = 1.0
#: Seconds a repair after a cancellation may take (it runs inside the participant's request).
REPAIR_TIME_LIMIT = 1.0
#: One worker: the machine serves requests at the same time.
WORKERS = 1


@dataclass(frozen=True, slots=True)
class ScheduleSummary:
    """What "schedule all" did: the solver's status, how many meetings it placed of how many,
    the meetings left out, the breaks, how many meetings moved and the time taken."""

    status: SolveStatus
    placed: int
    meetings: int
    unplaced: tuple[Meeting, ...]
    breaks: int | None
    moved: int
    seconds: float
    #: Why not every meeting can be placed, when the numbers say so: "200 meetings, 196
    #: room-slots"; None otherwise.
    reason: str | None = None

    def describe(self) -> str:
        """One sentence for the organiser."""
        text = f"{self.placed} of {self.meetings} accepted meetings placed"
        if self.reason:
            text += f" ({self.reason})"
        if self.breaks is not None:
            text += f", {self.breaks} breaks in total"
        if self.unplaced:
            pairs = "; ".join(
                f"{m.requester.organisation.name} / {m.recipient.organisation.name}"
                for m in self.unplaced
            )
            text += f". No slot fits: {pairs}"
        return text + f" ({self.status.value}, {self.seconds:.1f} s)."


def first_free_room(event: Event, start: datetime, *, exclude: int | None = None) -> int | None:
    """The lowest room number (from 1) no accepted meeting but ``exclude`` uses at ``start``;
    None when the event's rooms are all taken."""
    taken = {
        m.room
        for m in event.meetings
        if m.id != exclude and m.starts_at == start and m.status is MeetingStatus.ACCEPTED
    }
    room = next(number for number in range(1, len(taken) + 2) if number not in taken)
    return None if event.rooms is not None and room > event.rooms else room


@dataclass(frozen=True, slots=True)
class SchedulePlan:
    """What "schedule all" solves, read from the event: the engine's problem, the accepted
    meetings in the problem's order (by id), and the event's fairness and time limit. Plain
    values: the solver can run on it with no database transaction open."""

    event_id: int
    problem: SchedulingProblem
    meeting_ids: tuple[int, ...]
    fairness: int | None
    time_limit: float


def schedule_all(
    session: Session,
    actor: User,
    event_id: int,
    *,
    notifier: Notifier,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> ScheduleSummary:
    """Place every accepted meeting (organiser only): locked meetings keep their slot, the
    others are placed to fit as many as possible with as few breaks as possible.

    The three steps in one go: `plan_schedule` (reads), `solve_plan` (no database), and
    `store_schedule` (writes). A caller that serves others meanwhile (the web and the API)
    runs the steps itself and ends its transaction after the first, so that it holds none
    while the solver runs (on SQLite an open write transaction blocks every other writer).
    The errors of the three steps; nothing is committed here.
    """
    plan = plan_schedule(session, actor, event_id, time_limit=time_limit)
    return store_schedule(session, actor, plan, solve_plan(plan), notifier=notifier)


def solve_plan(plan: SchedulePlan) -> SolveResult:
    """Solve the plan's problem within its time limit, on one worker. Touches no database."""
    return _solve(plan.problem, plan.time_limit, fairness=plan.fairness)


def plan_schedule(
    session: Session, actor: User, event_id: int, *, time_limit: float = DEFAULT_TIME_LIMIT
) -> SchedulePlan:
    """What `schedule_all` solves for the event (organiser only). Reads only.

    EventStateError (409) for a draft or an event without slots; InvalidInputError for a time
    limit outside 1-600 seconds.
    """
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        issue = InputIssue(
            "",
            "time_limit",
            f"must be {MIN_TIME_LIMIT:.0f} to {MAX_TIME_LIMIT:.0f} seconds, not {time_limit:g}",
        )
        raise InvalidInputError("The meetings cannot be scheduled", [issue])
    event = get_managed_event(session, actor, event_id)
    if event.status is EventStatus.DRAFT:
        raise EventStateError("Open registration before scheduling")
    slots = event_slots(event)
    if not slots:
        raise EventStateError("The event has no slots: add a session first")
    accepted = _accepted(event)
    return SchedulePlan(
        event.id,
        build_problem(event, slots, accepted),
        tuple(m.id for m in accepted),
        event.fairness,
        time_limit,
    )


def store_schedule(
    session: Session,
    actor: User,
    plan: SchedulePlan,
    result: SolveResult,
    *,
    notifier: Notifier,
) -> ScheduleSummary:
    """Store the solver's ``result`` for ``plan``: the event's meetings are locked first (no
    other request changes them until the unit of work ends) and read again; if what the plan
    was built from changed meanwhile (a meeting accepted, cancelled, locked or re-prioritised,
    a session or an unavailability changed), ConflictError (409) and nothing is written.

    Meetings that do not fit lose their slot and are listed, with the reason when there are
    more meetings than room-slots; when not everything fits the organiser still gets the best
    schedule found in the time (the most meetings, then the fewest breaks). Once the agenda is
    published, everyone whose meeting moves is told by mail. EventStateError (409) when the
    solver found no schedule at all.
    """
    repository.lock_meetings(session, plan.event_id)
    event = get_managed_event(session, actor, plan.event_id)
    slots = event_slots(event)
    accepted = _accepted(event)
    if (
        tuple(m.id for m in accepted) != plan.meeting_ids
        or build_problem(event, slots, accepted) != plan.problem
        or event.fairness != plan.fairness
    ):
        raise ConflictError(
            "The event changed while the schedule was computed (a meeting was accepted, "
            "cancelled or locked, or a time changed): schedule again"
        )
    if result.status not in SCHEDULED_STATUSES or result.schedule is None:
        raise EventStateError(
            f"No schedule was found ({result.status.value}): check the locked meetings, or allow more time"
        )
    moved = _apply(slots, accepted, result.schedule)
    session.flush()
    if event.status is EventStatus.PUBLISHED and moved:
        notify_moved(session, notifier, moved, event)
    unplaced = tuple(accepted[number - 1] for number in result.unplaced)
    return ScheduleSummary(
        status=result.status,
        placed=len(accepted) - len(unplaced),
        meetings=len(accepted),
        unplaced=unplaced,
        breaks=result.breaks,
        moved=len(moved),
        seconds=result.seconds,
        reason=_shortage(event, slots, accepted) if unplaced else None,
    )


def _shortage(event: Event, slots: tuple[Slot, ...], accepted: list[Meeting]) -> str | None:
    """Why not every meeting can be placed, when there are more meetings than room-slots."""
    if event.rooms is None or len(accepted) <= event.rooms * len(slots):
        return None
    return f"{len(accepted)} meetings, {event.rooms * len(slots)} room-slots"


def repair_schedule(
    session: Session, event: Event, *, now: datetime, notifier: Notifier
) -> list[Meeting]:
    """After a change to a published event (a cancellation, a newly accepted meeting), fit the
    accepted meetings again without touching the slots that have started: meetings may move into
    a freed slot and unplaced ones (a new meeting among them) may get one, moving as few others
    as the engine can. Everyone whose meeting moves or gets a slot is told. Returns those
    meetings."""
    slots = event_slots(event)
    accepted = _accepted(event)
    if not slots or not accepted:
        return []
    problem = build_problem(event, slots, accepted)
    current = current_schedule(slots, accepted)
    started = sum(1 for slot in slots if slot.start <= now)
    try:
        from clusterbridge.engines.scheduling import repair  # noqa: PLC0415 -- optional dependency
    except ImportError:
        logger.warning(
            "Event %s: no repair after a cancellation, the solvers are not installed", event.id
        )
        return []
    result = repair(
        problem,
        current,
        current_slot=started,
        time_limit=REPAIR_TIME_LIMIT,
        fairness=event.fairness,
    )
    if result.schedule is None:
        return []
    unscheduled = {m.id for m in accepted if m.starts_at is None}
    moved = _apply(slots, accepted, result.schedule)
    session.flush()
    if moved:
        notify_moved(session, notifier, moved, event, newly_scheduled=unscheduled)
    return moved


def build_problem(
    event: Event, slots: tuple[Slot, ...], accepted: list[Meeting]
) -> SchedulingProblem:
    """The engine's problem for these accepted meetings (in this order): participants by id,
    sessions as slot counts, the slots each participant is unavailable in, meetings weighted by
    their priority, locked meetings pinned, the event's rooms.

    The engine may leave a pinned meeting out when not every meeting fits, so a locked meeting
    weighs more than all the others together: it is dropped only if it cannot be placed at all.
    """
    locked_weight = sum(m.priority for m in accepted) + 1
    people = {p.id: p for m in accepted for p in (m.requester, m.recipient)}
    sessions: list[int] = []
    for slot in slots:
        if slot.session >= len(sessions):
            sessions.extend([0] * (slot.session + 1 - len(sessions)))
        sessions[slot.session] += 1
    unavailable: dict[ParticipantKey, Collection[int]] = {
        str(key): blocked
        for key, person in people.items()
        if (blocked := unavailable_slots(slots, person))
    }
    return SchedulingProblem(
        participants=tuple(str(p) for p in sorted(people)),
        slots=len(slots),
        meetings=tuple(
            ProblemMeeting(
                str(m.requester_id),
                str(m.recipient_id),
                priority=locked_weight if m.locked else m.priority,
                pinned_slot=_pin(m, slots),
            )
            for m in accepted
        ),
        sessions=tuple(length for length in sessions if length),
        unavailable=unavailable,
        rooms=event.rooms,
    )


def unavailable_slots(slots: tuple[Slot, ...], participant: EventParticipant) -> tuple[int, ...]:
    """The numbers (from 1) of the slots ``participant`` said they cannot meet in."""
    windows = (SessionWindow(row.starts_at, row.ends_at) for row in participant.unavailable)
    return overlapped_slots(slots, windows)


def current_schedule(slots: tuple[Slot, ...], accepted: list[Meeting]) -> Schedule:
    """The stored placement of ``accepted`` as an engine schedule (meeting numbers from 1)."""
    assignments = []
    for number, meeting in enumerate(accepted, start=1):
        slot = find_slot(slots, meeting.starts_at) if meeting.starts_at else None
        if slot is not None:
            assignments.append(Assignment(number, slot.index + 1, meeting.room or 1))
    return Schedule.of(assignments)


def breaks_by_participant(event: Event) -> dict[int, int]:
    """Per participant id, the breaks of the event's current placement, counted as the engine
    counts them (a run of free slots between two of their meetings). Participants without an
    accepted meeting are left out."""
    slots = event_slots(event)
    accepted = _accepted(event)
    if not slots or not accepted:
        return {}
    problem = build_problem(event, slots, accepted)
    placed = schedule_slots(problem, current_schedule(slots, accepted))
    counts = participant_breaks(problem.index, placed)
    return {int(key): count for key, count in zip(problem.participant_ids, counts, strict=True)}


def publish_schedule(
    session: Session, actor: User, event_id: int, *, now: datetime, notifier: Notifier
) -> Event:
    """Publish the agenda (organiser only): participants see their meetings and room links,
    and everyone with a scheduled meeting is told by mail. Publishing again re-sends the mail.
    EventStateError (409) for a draft, or when no meeting has a slot yet."""
    event = get_managed_event(session, actor, event_id)
    if event.status is EventStatus.DRAFT:
        raise EventStateError("Open registration and schedule the meetings before publishing")
    scheduled = [m for m in event.meetings if m.starts_at is not None]
    if not scheduled:
        raise EventStateError("No meeting has a slot yet: schedule the meetings first")
    if event.status is not EventStatus.PUBLISHED:
        # No participant could download a calendar before: slots lost until now were never in one.
        for meeting in event.meetings:
            meeting.former_starts_at = None
    event.status = EventStatus.PUBLISHED
    event.published_at = now
    session.flush()
    people = {p.id: p for m in scheduled for p in (m.requester, m.recipient)}
    agendas = [
        _published_agenda(event, person, now=now, public_url=notifier.public_url)
        for person in sorted(people.values(), key=lambda p: p.id)
    ]
    notify_published(session, notifier, event, agendas)
    return event


def _published_agenda(
    event: Event, participant: EventParticipant, *, now: datetime, public_url: str
) -> PublishedAgenda:
    """A participant's meetings and calendar file for the publication mail."""
    agenda = Agenda(
        event, participant, build_items(event, participant), withdrawn_items(event, participant)
    )
    lines = [
        AgendaLine(item.starts, item.ends, item.other, item.link)
        for item in agenda.items
        if item.other is not None
    ]
    return PublishedAgenda(
        participant, lines, agenda_calendar(agenda, public_url=public_url, now=now)
    )


def _accepted(event: Event) -> list[Meeting]:
    return [m for m in event.meetings if m.status is MeetingStatus.ACCEPTED]


def _pin(meeting: Meeting, slots: tuple[Slot, ...]) -> int | None:
    if not meeting.locked or meeting.starts_at is None:
        return None
    slot = find_slot(slots, meeting.starts_at)
    return slot.index + 1 if slot else None


def _solve(problem: SchedulingProblem, time_limit: float, *, fairness: int | None) -> SolveResult:
    try:
        from clusterbridge.engines.scheduling import solve  # noqa: PLC0415 -- optional dependency
    except ImportError as error:
        raise MissingDependencyError(
            f"Scheduling needs the solvers: pip install 'clusterbridge[scheduling]' ({error})"
        ) from None
    return solve(problem, time_limit=time_limit, fairness=fairness, workers=WORKERS)


def _apply(slots: tuple[Slot, ...], accepted: list[Meeting], schedule: Schedule) -> list[Meeting]:
    """Store ``schedule``'s slots and rooms on the meetings; returns those whose time changed."""
    placed = {a.meeting: a for a in schedule.assignments}
    moved = []
    for number, meeting in enumerate(accepted, start=1):
        assignment = placed.get(number)
        start = slots[assignment.slot - 1].start if assignment else None
        if place(meeting, start, assignment.room if assignment else None):
            moved.append(meeting)
        meeting.locked = meeting.locked and assignment is not None
    return moved
