"""What an assignment run gives: the pairs, the visitors left without a host, and (for any
assignment) the blocking pairs the independent checker finds."""

from dataclasses import dataclass
from enum import StrEnum


class Method(StrEnum):
    """How the assignment is made: the visitor-optimal stable assignment (deferred acceptance)
    or the most exchanges (CP-SAT), which may leave blocking pairs."""

    STABLE = "stable"
    MOST = "most"


class SolveStatus(StrEnum):
    """The answer's standing: proven optimal (deferred acceptance always is, for its goal),
    feasible within the time limit, or nothing found in time."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Match:
    """One visitor assigned to one host (ids)."""

    visitor: str
    host: str


@dataclass(frozen=True, slots=True)
class BlockingPair:
    """A visitor and a host who both prefer each other to what they got, and why."""

    visitor: str
    host: str
    reason: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    """An assignment judged independently: broken hard rules (unacceptable pairs, a visitor
    twice, a host over capacity, unknown ids) and the blocking pairs; stable iff both empty."""

    violations: tuple[str, ...]
    blocking_pairs: tuple[BlockingPair, ...]

    @property
    def valid(self) -> bool:
        """Whether every hard rule holds."""
        return not self.violations

    @property
    def stable(self) -> bool:
        """Whether the assignment is valid and has no blocking pair."""
        return not self.violations and not self.blocking_pairs


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """One run: the method, its status, the matches (in the visitors' order), the unmatched
    visitors (in order), the checker's report, and the wall time in seconds."""

    method: Method
    status: SolveStatus
    matches: tuple[Match, ...]
    unmatched: tuple[str, ...]
    report: CheckReport
    seconds: float
