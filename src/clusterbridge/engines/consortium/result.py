"""What the builder found: a selection, its score terms and how the solver got there."""

from dataclasses import dataclass
from enum import StrEnum


class SolveStatus(StrEnum):
    """The solver's answer: proven optimal, feasible within the time limit, proven infeasible,
    or nothing found within the time limit."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Selection:
    """Which candidates are added and which members removed (ids, sorted)."""

    added: tuple[int, ...]
    removed: tuple[int, ...] = ()

    @property
    def changes(self) -> int:
        """Additions plus removals."""
        return len(self.added) + len(self.removed)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A selection judged against a problem by ``check.evaluate_selection``.

    ``violations`` are hard constraints broken (empty for a valid selection), in words;
    ``proven`` the blocking rules passed for certain; ``score`` relevance plus
    complementarity minus warnings plus soft rules; ``objective`` the model's integer
    objective for it.
    """

    selection: Selection
    violations: tuple[str, ...]
    proven: tuple[str, ...]
    score: float
    objective: int

    @property
    def valid(self) -> bool:
        """Whether every hard constraint holds."""
        return not self.violations


@dataclass(frozen=True, slots=True)
class SolveResult:
    """One solve: the status, the selection (None without one), the objective and the bound
    in model units, and the wall time in seconds."""

    status: SolveStatus
    selection: Selection | None
    objective: int | None
    bound: int | None
    seconds: float
