"""Read scheduling problems (the benchmark's ``.dzn`` or the event JSON format) and schedules,
and turn results into JSON.

The event JSON format is documented in ``docs/admin/event-json.md``. Every problem of a file is
reported at once as an `InvalidInputError` naming the place, the field and the reason.
"""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.scheduling.problem import Meeting, SchedulingProblem
from clusterbridge.domain.scheduling.schedule import Assignment, Schedule, SolveResult
from clusterbridge.services.scheduling.dzn import read_dzn

__all__ = ["read_problem", "read_schedule", "result_to_dict"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class MeetingEntry(_Strict):
    """One meeting of the event file."""

    a: int | str
    b: int | str
    session: int | None = None
    priority: int = Field(default=1, ge=1)
    pinned_slot: int | None = None


class EventFile(_Strict):
    """The event JSON file."""

    participants: int | list[str]
    slots: int = Field(ge=1)
    sessions: list[int] = Field(default_factory=list)
    rooms: int | None = None
    meetings: list[MeetingEntry]
    unavailable: dict[str, list[int]] = Field(default_factory=dict)
    precedences: list[tuple[int, int]] = Field(default_factory=list)


class AssignmentEntry(_Strict):
    """One line of a schedule file."""

    meeting: int
    slot: int
    room: int = 1


class ScheduleFile(BaseModel):
    """A schedule file: the ``assignments`` of `clusterbridge schedule solve --format json`."""

    model_config = ConfigDict(extra="ignore", strict=True)

    assignments: list[AssignmentEntry]


def read_problem(path: Path) -> SchedulingProblem:
    """A problem from a ``.dzn`` benchmark file or an event ``.json`` file (by suffix)."""
    if path.suffix.lower() == ".dzn":
        return read_dzn(path)
    text = _load_json(path)
    try:
        event = EventFile.model_validate_json(text)
    except ValidationError as error:
        raise _invalid(path, error) from None
    return _problem(path, event)


def read_schedule(path: Path) -> Schedule:
    """The assignments of a schedule JSON file (``{"assignments": [{meeting, slot, room}]}``)."""
    text = _load_json(path)
    try:
        parsed = ScheduleFile.model_validate_json(text)
    except ValidationError as error:
        raise _invalid(path, error) from None
    return Schedule(tuple(Assignment(a.meeting, a.slot, a.room) for a in parsed.assignments))


def result_to_dict(result: SolveResult) -> dict[str, Any]:
    """The JSON form of a result: status, breaks, bound, seconds, unplaced, assignments."""
    assignments = result.schedule.assignments if result.schedule else ()
    return {
        "status": str(result.status),
        "breaks": result.breaks,
        "bound": result.bound,
        "seconds": round(result.seconds, 3),
        "unplaced": list(result.unplaced),
        "assignments": [
            {"meeting": a.meeting, "slot": a.slot, "room": a.room} for a in assignments
        ],
    }


def _load_json(path: Path) -> str:
    """The text of a JSON file, whose syntax is checked here to report the line of an error."""
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
        return text
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(
            f"{path.name} cannot be read:", [InputIssue(str(path), "", str(error))]
        ) from None
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{path.name} is not valid JSON:",
            [InputIssue(f"{path.name}, line {error.lineno}", "", error.msg)],
        ) from None


def _invalid(path: Path, error: ValidationError) -> InvalidInputError:
    issues = [
        InputIssue(path.name, ".".join(str(p) for p in e["loc"]), e["msg"])
        for e in error.errors(include_url=False)
    ]
    return InvalidInputError(f"{path.name} is not a valid file:", issues)


def _problem(path: Path, event: EventFile) -> SchedulingProblem:
    participants = event.participants
    keyed: dict[int | str, list[int]] = {}
    for key, slots in event.unavailable.items():
        keyed[int(key) if isinstance(participants, int) and key.isdigit() else key] = slots
    try:
        return SchedulingProblem(
            participants=participants if isinstance(participants, int) else tuple(participants),
            slots=event.slots,
            meetings=tuple(
                Meeting(m.a, m.b, session=m.session, priority=m.priority, pinned_slot=m.pinned_slot)
                for m in event.meetings
            ),
            sessions=tuple(event.sessions),
            unavailable=keyed,
            precedences=tuple(event.precedences),
            rooms=event.rooms,
        )
    except InvalidInputError as error:
        raise InvalidInputError(
            f"{path.name} is not a valid event file:", list(error.issues)
        ) from None
