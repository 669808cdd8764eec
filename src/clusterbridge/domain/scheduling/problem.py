"""The B2B meeting-scheduling problem as frozen, validated value objects.

Numbering, everywhere outside the solvers: participants are named by the ids the problem lists
(or ``1..n`` when ``participants`` is a count), meetings by their 1-based position in
``meetings``, slots ``1..slots`` and sessions ``1..len(sessions)``. The solvers work on 0-based
indexes (`ProblemIndex`) and translate back.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from clusterbridge.domain.errors import InputIssue, InvalidInputError

#: A participant as the caller names it: a number (``participants`` is a count) or an id.
ParticipantKey = int | str


@dataclass(frozen=True, slots=True)
class Meeting:
    """A requested meeting between participants ``a`` and ``b``.

    ``session`` (1-based) limits it to one session; ``priority`` weighs it when not every meeting
    fits; ``pinned_slot`` (1-based) fixes its slot.
    """

    a: ParticipantKey
    b: ParticipantKey
    session: int | None = None
    priority: int = 1
    pinned_slot: int | None = None


@dataclass(frozen=True)
class SchedulingProblem:
    """Participants, consecutive slots split into sessions, meetings and their constraints.

    ``sessions`` gives the number of slots of each consecutive session (default: one session of
    every slot). ``unavailable`` maps a participant to the slots it cannot meet in.
    ``precedences`` are pairs ``(before, after)`` of meeting numbers: ``before`` takes place in a
    strictly earlier slot. ``rooms`` is the number of rooms (tables) per slot, ``None`` for
    unlimited. Every cross-reference is checked once, here; all problems are raised together as
    an `InvalidInputError`.
    """

    participants: int | tuple[str, ...]
    slots: int
    meetings: tuple[Meeting, ...]
    sessions: tuple[int, ...] = ()
    unavailable: Mapping[ParticipantKey, Collection[int]] = field(default_factory=dict)
    precedences: tuple[tuple[int, int], ...] = ()
    rooms: int | None = None

    def __post_init__(self) -> None:
        issues = _problem_issues(self)
        if issues:
            raise InvalidInputError("The scheduling problem is not valid:", issues)

    @cached_property
    def participant_ids(self) -> tuple[ParticipantKey, ...]:
        """The participants' keys in order: ``1..n`` for a count, else the ids given."""
        if isinstance(self.participants, int):
            return tuple(range(1, self.participants + 1))
        return self.participants

    @cached_property
    def index(self) -> "ProblemIndex":
        """The 0-based arrays the solvers and the checker work on."""
        return ProblemIndex.build(self)

    @property
    def session_lengths(self) -> tuple[int, ...]:
        """The slots of each session; one session of every slot when none were given."""
        return self.sessions or (self.slots,)


@dataclass(frozen=True, slots=True)
class ProblemIndex:
    """A problem in 0-based integers.

    ``pairs[m]`` are the participant indexes of meeting ``m``; ``allowed[m]`` the slots (0-based)
    its session, pin and both participants' availability leave it; ``of[p]`` the meetings of
    participant ``p``; ``session_of[t]`` the 0-based session of slot ``t``; ``before`` the
    0-based precedence pairs; ``weights[m]`` the priority.
    """

    n_participants: int
    n_slots: int
    pairs: tuple[tuple[int, int], ...]
    allowed: tuple[tuple[int, ...], ...]
    of: tuple[tuple[int, ...], ...]
    session_of: tuple[int, ...]
    before: tuple[tuple[int, int], ...]
    weights: tuple[int, ...]
    rooms: int | None

    @staticmethod
    def build(problem: SchedulingProblem) -> "ProblemIndex":
        """Translate a validated problem to 0-based arrays."""
        number = {key: i for i, key in enumerate(problem.participant_ids)}
        pairs = tuple((number[m.a], number[m.b]) for m in problem.meetings)
        session_of = tuple(
            s for s, length in enumerate(problem.session_lengths) for _ in range(length)
        )
        blocked = [frozenset[int]()] * len(number)
        for key, slots in problem.unavailable.items():
            blocked[number[key]] = frozenset(t - 1 for t in slots)
        of: list[list[int]] = [[] for _ in number]
        for m, (a, b) in enumerate(pairs):
            of[a].append(m)
            of[b].append(m)
        allowed = tuple(
            _allowed_slots(meeting, pair, blocked, session_of)
            for meeting, pair in zip(problem.meetings, pairs, strict=True)
        )
        return ProblemIndex(
            n_participants=len(number),
            n_slots=problem.slots,
            pairs=pairs,
            allowed=allowed,
            of=tuple(tuple(ms) for ms in of),
            session_of=session_of,
            before=tuple((a - 1, b - 1) for a, b in problem.precedences),
            weights=tuple(m.priority for m in problem.meetings),
            rooms=problem.rooms,
        )


def _allowed_slots(
    meeting: Meeting,
    pair: tuple[int, int],
    blocked: list[frozenset[int]],
    session_of: tuple[int, ...],
) -> tuple[int, ...]:
    candidates = (
        range(len(session_of)) if meeting.pinned_slot is None else (meeting.pinned_slot - 1,)
    )
    return tuple(
        t
        for t in candidates
        if (meeting.session is None or session_of[t] == meeting.session - 1)
        and t not in blocked[pair[0]]
        and t not in blocked[pair[1]]
    )


def _problem_issues(problem: SchedulingProblem) -> list[InputIssue]:
    issues = _shape_issues(problem)
    if issues:
        return issues
    known = set(problem.participant_ids)
    for number, meeting in enumerate(problem.meetings, start=1):
        issues.extend(_meeting_issues(problem, number, meeting, known))
    for key, slots in problem.unavailable.items():
        where = f"unavailable[{key}]"
        if key not in known:
            issues.append(InputIssue(where, "participant", f"unknown participant {key!r}"))
        issues.extend(
            InputIssue(where, "slot", f"slot {t} is outside 1..{problem.slots}")
            for t in sorted(slots)
            if not 1 <= t <= problem.slots
        )
    issues.extend(_precedence_issues(problem))
    return issues


def _shape_issues(problem: SchedulingProblem) -> list[InputIssue]:
    issues: list[InputIssue] = []
    if problem.slots < 1:
        issues.append(InputIssue("problem", "slots", "there must be at least one slot"))
    if isinstance(problem.participants, int):
        if problem.participants < 0:
            issues.append(InputIssue("problem", "participants", "must not be negative"))
    elif len(set(problem.participants)) != len(problem.participants):
        issues.append(InputIssue("problem", "participants", "participant ids repeat"))
    if problem.sessions and (sum(problem.sessions) != problem.slots or min(problem.sessions) < 1):
        issues.append(
            InputIssue(
                "problem",
                "sessions",
                f"session lengths {list(problem.sessions)} must be positive and add up to "
                f"{problem.slots} slots",
            )
        )
    if problem.rooms is not None and problem.rooms < 1:
        issues.append(InputIssue("problem", "rooms", "must be at least 1 (or unlimited)"))
    return issues


def _meeting_issues(
    problem: SchedulingProblem, number: int, meeting: Meeting, known: set[ParticipantKey]
) -> list[InputIssue]:
    where = f"meeting {number}"
    issues = [
        InputIssue(where, name, f"unknown participant {key!r}")
        for name, key in (("a", meeting.a), ("b", meeting.b))
        if key not in known
    ]
    if meeting.a == meeting.b:
        issues.append(InputIssue(where, "b", f"participant {meeting.a!r} cannot meet itself"))
    n_sessions = len(problem.session_lengths)
    if meeting.session is not None and not 1 <= meeting.session <= n_sessions:
        issues.append(
            InputIssue(where, "session", f"session {meeting.session} is outside 1..{n_sessions}")
        )
    if meeting.pinned_slot is not None and not 1 <= meeting.pinned_slot <= problem.slots:
        issues.append(
            InputIssue(
                where, "pinned_slot", f"slot {meeting.pinned_slot} is outside 1..{problem.slots}"
            )
        )
    if meeting.priority < 1:
        issues.append(InputIssue(where, "priority", "must be at least 1"))
    return issues


def _precedence_issues(problem: SchedulingProblem) -> list[InputIssue]:
    count = len(problem.meetings)
    issues: list[InputIssue] = []
    for i, (before, after) in enumerate(problem.precedences, start=1):
        where = f"precedence {i}"
        issues.extend(
            InputIssue(where, "meeting", f"meeting {m} is outside 1..{count}")
            for m in (before, after)
            if not 1 <= m <= count
        )
        if before == after:
            issues.append(InputIssue(where, "meeting", f"meeting {before} cannot precede itself"))
    return issues
