"""The B2B meeting-scheduling problem: model, schedules, breaks, first fit and the checker.

Pure: no solver here (see `clusterbridge.engines.scheduling`).
"""

from clusterbridge.domain.scheduling.breaks import count_breaks, first_fit, seat
from clusterbridge.domain.scheduling.check import Violation, check_schedule
from clusterbridge.domain.scheduling.problem import Meeting, ParticipantKey, SchedulingProblem
from clusterbridge.domain.scheduling.schedule import Assignment, Schedule, SolveResult, carry_over

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
    "seat",
]
