"""Read scheduling problems (the benchmark's ``.dzn`` or the event JSON format) and schedules,
and turn results into JSON.

The event JSON format is documented in ``docs/admin/event-json.md``. Every problem of a file is
reported at once as an `InvalidInputError` naming the place, the field and the reason.
"""

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import refusal_reason
from clusterbridge.domain.scheduling.problem import Meeting, SchedulingProblem
from clusterbridge.domain.scheduling.schedule import Assignment, Schedule, SolveResult
from clusterbridge.services.scheduling.dzn import read_bounded_text, read_dzn
from clusterbridge.services.scheduling.limits import (
    MAX_MEETINGS,
    MAX_PARTICIPANTS,
    MAX_PRIORITY,
    MAX_ROOMS,
    MAX_SLOTS,
)
from clusterbridge.services.workbooks import load_json

__all__ = ["read_problem", "read_schedule", "result_to_dict"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class MeetingEntry(_Strict):
    """One meeting of the event file."""

    a: int | str
    b: int | str
    session: int | None = Field(default=None, le=MAX_SLOTS)
    priority: int = Field(default=1, ge=1, le=MAX_PRIORITY)
    pinned_slot: int | None = Field(default=None, le=MAX_SLOTS)


class EventFile(_Strict):
    """The event JSON file."""

    participants: int | list[str]
    slots: int = Field(ge=1, le=MAX_SLOTS)
    sessions: list[Annotated[int, Field(le=MAX_SLOTS)]] = Field(
        default_factory=list, max_length=MAX_SLOTS
    )
    rooms: int | None = Field(default=None, le=MAX_ROOMS)
    meetings: list[MeetingEntry] = Field(max_length=MAX_MEETINGS)

    @field_validator("participants")
    @classmethod
    def _bounded(cls, value: int | list[str]) -> int | list[str]:
        count = value if isinstance(value, int) else len(value)
        if count > MAX_PARTICIPANTS:
            raise ValueError(f"must be at most {MAX_PARTICIPANTS:,} participants")
        return value

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
        text = read_bounded_text(path)
        load_json(text)
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
    except ValueError as error:  # too large or nested too deeply
        raise InvalidInputError(
            f"{path.name} cannot be read:", [InputIssue(path.name, "", str(error))]
        ) from None


def _invalid(path: Path, error: ValidationError) -> InvalidInputError:
    issues = [
        InputIssue(path.name, ".".join(str(p) for p in e["loc"]), refusal_reason(e))
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
