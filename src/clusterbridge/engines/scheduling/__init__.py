"""The B2B meeting-scheduling API the event platform calls: the problem and schedule types
(from `clusterbridge.domain.scheduling`), `solve`, `repair` and `check_schedule`."""

from clusterbridge.domain.scheduling import (
    Assignment,
    Meeting,
    ParticipantKey,
    Schedule,
    SchedulingProblem,
    SolveResult,
    Violation,
    carry_over,
    check_schedule,
    count_breaks,
    first_fit,
)
from clusterbridge.engines.scheduling.repair import repair
from clusterbridge.engines.scheduling.solve import solve

__all__ = [
    "Assignment",
    "Meeting",
    "ParticipantKey",
    "Schedule",
    "SchedulingProblem",
    "SolveResult",
    "Violation",
    "carry_over",
    "check_schedule",
    "count_breaks",
    "first_fit",
    "repair",
    "solve",
]
