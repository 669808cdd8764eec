"""The independent checker: re-verify every hard constraint of any schedule and explain each
violation in words that name the meeting, the participant and the slot.

It shares no code with the solvers beyond the problem's own validation, so a solver bug cannot
hide from it. Numbers in messages are the 1-based ones of the files.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from clusterbridge.domain.enums import ViolationKind
from clusterbridge.domain.scheduling.breaks import count_runs
from clusterbridge.domain.scheduling.problem import ParticipantKey, SchedulingProblem
from clusterbridge.domain.scheduling.schedule import Assignment, Schedule


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken constraint: its kind, a readable sentence, and what it concerns."""

    kind: ViolationKind
    message: str
    meeting: int | None = None
    slot: int | None = None
    participant: ParticipantKey | None = None


def check_schedule(
    problem: SchedulingProblem,
    schedule: Schedule,
    *,
    fairness: int | None = None,
    require_all: bool = False,
) -> list[Violation]:
    """Every violated hard constraint of ``schedule``, in a stable order (empty: valid).

    A meeting the schedule leaves out is a violation only with ``require_all``; ``fairness``
    (the largest allowed difference between two participants' break counts) is checked when
    given, over every participant (one without meetings has no break). Pure: no side effects.
    """
    placed, violations = _valid_entries(problem, schedule)
    violations.extend(_unplaced(problem, placed) if require_all else [])
    violations.extend(_double_bookings(problem, placed))
    violations.extend(_rooms(problem, placed))
    violations.extend(_per_meeting(problem, placed))
    violations.extend(_precedences(problem, placed))
    if fairness is not None:
        violations.extend(_fairness(problem, placed, fairness))
    return violations


def participant_name(key: ParticipantKey) -> str:
    """``participant 3`` or ``participant "acme"``."""
    return f"participant {key}" if isinstance(key, int) else f'participant "{key}"'


def _valid_entries(
    problem: SchedulingProblem, schedule: Schedule
) -> tuple[dict[int, Assignment], list[Violation]]:
    count, slots = len(problem.meetings), problem.slots
    placed: dict[int, Assignment] = {}
    found: list[Violation] = []
    for a in schedule.assignments:
        if not 1 <= a.meeting <= count:
            found.append(
                Violation(
                    ViolationKind.UNKNOWN_MEETING,
                    f"Meeting {a.meeting} does not exist: the problem has meetings 1..{count}.",
                    meeting=a.meeting,
                )
            )
        elif a.meeting in placed:
            found.append(
                Violation(
                    ViolationKind.REPEATED_MEETING,
                    f"Meeting {a.meeting} is scheduled twice: in slot "
                    f"{placed[a.meeting].slot} and in slot {a.slot}.",
                    meeting=a.meeting,
                    slot=a.slot,
                )
            )
        elif not 1 <= a.slot <= slots:
            found.append(
                Violation(
                    ViolationKind.SLOT_OUT_OF_RANGE,
                    f"Meeting {a.meeting} is in slot {a.slot}, outside slots 1..{slots}.",
                    meeting=a.meeting,
                    slot=a.slot,
                )
            )
        else:
            placed[a.meeting] = a
    return placed, found


def _unplaced(problem: SchedulingProblem, placed: dict[int, Assignment]) -> Iterator[Violation]:
    for number, meeting in enumerate(problem.meetings, start=1):
        if number not in placed:
            yield Violation(
                ViolationKind.UNPLACED,
                f"Meeting {number} ({participant_name(meeting.a)} with "
                f"{participant_name(meeting.b)}) is not scheduled.",
                meeting=number,
            )


def _double_bookings(
    problem: SchedulingProblem, placed: dict[int, Assignment]
) -> Iterator[Violation]:
    busy: dict[tuple[ParticipantKey, int], list[int]] = defaultdict(list)
    for number in sorted(placed):
        meeting = problem.meetings[number - 1]
        for key in (meeting.a, meeting.b):
            busy[key, placed[number].slot].append(number)
    for (key, slot), numbers in sorted(
        busy.items(), key=lambda item: (item[0][1], str(item[0][0]))
    ):
        if len(numbers) > 1:
            listed = ", ".join(map(str, numbers))
            yield Violation(
                ViolationKind.DOUBLE_BOOKING,
                f"{_capital(participant_name(key))} has {len(numbers)} meetings in slot "
                f"{slot}: meetings {listed}.",
                meeting=numbers[1],
                slot=slot,
                participant=key,
            )


def _rooms(problem: SchedulingProblem, placed: dict[int, Assignment]) -> Iterator[Violation]:
    by_slot: dict[int, list[Assignment]] = defaultdict(list)
    for number in sorted(placed):
        by_slot[placed[number].slot].append(placed[number])
    rooms = problem.rooms
    for slot in sorted(by_slot):
        here = by_slot[slot]
        if rooms is not None and len(here) > rooms:
            yield Violation(
                ViolationKind.ROOMS_EXCEEDED,
                f"Slot {slot} holds {len(here)} meetings but there are only {rooms} rooms.",
                slot=slot,
            )
        yield from _room_numbers(here, slot, rooms)


def _room_numbers(here: list[Assignment], slot: int, rooms: int | None) -> Iterator[Violation]:
    seen: dict[int, int] = {}
    for a in here:
        if a.room < 1 or (rooms is not None and a.room > rooms):
            limit = f"1..{rooms}" if rooms is not None else "1 or more"
            yield Violation(
                ViolationKind.ROOM_OUT_OF_RANGE,
                f"Meeting {a.meeting} is in room {a.room} in slot {slot}; rooms are {limit}.",
                meeting=a.meeting,
                slot=slot,
            )
        elif a.room in seen:
            yield Violation(
                ViolationKind.ROOM_CONFLICT,
                f"Meetings {seen[a.room]} and {a.meeting} share room {a.room} in slot {slot}.",
                meeting=a.meeting,
                slot=slot,
            )
        else:
            seen[a.room] = a.meeting


def _per_meeting(problem: SchedulingProblem, placed: dict[int, Assignment]) -> Iterator[Violation]:
    starts = [0]
    for length in problem.session_lengths:
        starts.append(starts[-1] + length)
    blocked = {key: set(slots) for key, slots in problem.unavailable.items()}
    for number in sorted(placed):
        meeting, slot = problem.meetings[number - 1], placed[number].slot
        if meeting.session is not None:
            first, last = starts[meeting.session - 1] + 1, starts[meeting.session]
            if not first <= slot <= last:
                yield Violation(
                    ViolationKind.WRONG_SESSION,
                    f"Meeting {number} must be in session {meeting.session} (slots "
                    f"{first}..{last}) but is in slot {slot}.",
                    meeting=number,
                    slot=slot,
                )
        if meeting.pinned_slot is not None and meeting.pinned_slot != slot:
            yield Violation(
                ViolationKind.PIN,
                f"Meeting {number} is pinned to slot {meeting.pinned_slot} but is in slot {slot}.",
                meeting=number,
                slot=slot,
            )
        for key in (meeting.a, meeting.b):
            if slot in blocked.get(key, ()):
                yield Violation(
                    ViolationKind.UNAVAILABLE,
                    f"Meeting {number} is in slot {slot}, when {participant_name(key)} is "
                    "unavailable.",
                    meeting=number,
                    slot=slot,
                    participant=key,
                )


def _precedences(problem: SchedulingProblem, placed: dict[int, Assignment]) -> Iterator[Violation]:
    for before, after in problem.precedences:
        if before in placed and after in placed and placed[before].slot >= placed[after].slot:
            yield Violation(
                ViolationKind.PRECEDENCE,
                f"Meeting {before} must come before meeting {after}, but they are in slots "
                f"{placed[before].slot} and {placed[after].slot}.",
                meeting=after,
                slot=placed[after].slot,
            )


def _fairness(
    problem: SchedulingProblem, placed: dict[int, Assignment], fairness: int
) -> Iterator[Violation]:
    busy = {key: [False] * problem.slots for key in problem.participant_ids}
    for number, a in placed.items():
        meeting = problem.meetings[number - 1]
        for key in (meeting.a, meeting.b):
            busy[key][a.slot - 1] = True
    if not busy:
        return
    breaks = {key: count_runs(day) for key, day in busy.items()}
    most = max(breaks, key=lambda key: breaks[key])
    least = min(breaks, key=lambda key: breaks[key])
    if breaks[most] - breaks[least] > fairness:
        yield Violation(
            ViolationKind.FAIRNESS,
            f"{_capital(participant_name(most))} has {_breaks(breaks[most])} and "
            f"{participant_name(least)} has {_breaks(breaks[least])}: the difference exceeds "
            f"the allowed {fairness}.",
            participant=most,
        )


def _breaks(count: int) -> str:
    return f"{count} break" if count == 1 else f"{count} breaks"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
