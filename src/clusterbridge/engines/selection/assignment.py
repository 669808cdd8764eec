"""Expert assignment: k experts per proposal, at most ``max_load`` proposals per expert, no
expert on a proposal they have a conflict with, and the greatest total affinity (expertise
fit). ``flow.solve_assignment`` finds an optimum; ``check_assignment`` verifies any assignment
independently; an infeasible problem is explained by ``Deficiency`` records (Hall's condition:
a set of proposals needing more reviews than the experts free of conflicts with them can give).

Affinities are compared in millionths (`SCALE`): the optimum is exact at that precision. A
missing affinity is 0.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.selection.problem import json_path

#: Affinities are integers of this many units per 1.0 inside the solvers.
SCALE = 1_000_000
#: The largest affinity in absolute value (keeps every total inside 64-bit integers).
MAX_AFFINITY = 1000.0


class AssignStatus(StrEnum):
    """Whether an assignment covering every proposal exists."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"


@dataclass(frozen=True, slots=True)
class AssignmentProblem:
    """Experts, proposals, how many experts each proposal needs, the load limit, the
    affinity of (expert, proposal) pairs and the conflicted pairs."""

    experts: tuple[str, ...]
    proposals: tuple[str, ...]
    per_proposal: int
    max_load: int
    affinity: Mapping[tuple[str, str], float] = field(default_factory=dict)
    conflicts: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        issues = [InputIssue(place, "", reason) for place, reason in self._problems()]
        if issues:
            raise InvalidInputError("The assignment problem is not valid:", issues)

    def fit(self, expert: str, proposal: str) -> float:
        """The affinity of the pair (0 when none is given)."""
        return self.affinity.get((expert, proposal), 0.0)

    def allowed(self, expert: str, proposal: str) -> bool:
        """Whether the expert may evaluate the proposal (no conflict)."""
        return (expert, proposal) not in self.conflicts

    def _problems(self) -> Iterator[tuple[str, str]]:
        if self.per_proposal < 1:
            yield "per_proposal", "must be at least 1"
        if self.max_load < 1:
            yield "max_load", "must be at least 1"
        yield from _duplicates("experts", self.experts)
        yield from _duplicates("proposals", self.proposals)
        experts, proposals = set(self.experts), set(self.proposals)
        for (expert, proposal), value in self.affinity.items():
            place = json_path(json_path("affinity", expert), proposal)
            if expert not in experts or proposal not in proposals:
                yield place, "names an unknown expert or proposal"
            elif not abs(value) <= MAX_AFFINITY:
                yield place, f"must be a number between -{MAX_AFFINITY:g} and {MAX_AFFINITY:g}"
        for expert, proposal in sorted(self.conflicts):
            if expert not in experts or proposal not in proposals:
                yield "conflicts", f'["{expert}", "{proposal}"] names an unknown expert or proposal'


def _duplicates(name: str, ids: Sequence[str]) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for number, item in enumerate(ids):
        if not item:
            yield f"{name}[{number}]", "must not be empty"
        elif item in seen:
            yield f"{name}[{number}]", f'"{item}" is listed twice'
        seen.add(item)


@dataclass(frozen=True, slots=True)
class Pair:
    """One expert on one proposal, with the fit of the pair."""

    expert: str
    proposal: str
    affinity: float


@dataclass(frozen=True, slots=True)
class Deficiency:
    """Proposals that cannot all be covered: they need ``needed`` reviews, and the experts
    free of conflicts with them (``experts``) can give at most ``available``."""

    proposals: tuple[str, ...]
    needed: int
    available: int
    experts: tuple[str, ...]

    def __str__(self) -> str:
        which = "proposal" if len(self.proposals) == 1 else "proposals"
        needed = f"{self.needed} evaluation{'s' if self.needed != 1 else ''} are needed"
        if not self.experts:
            return (
                f"{which} {_listed(self.proposals)} cannot be covered: every expert has a conflict"
            )
        return (
            f"{which} {_listed(self.proposals)} cannot be covered: {needed} and "
            f"{_experts(len(self.experts))} without a conflict can give at most {self.available}"
        )


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """An optimal assignment (pairs by proposal, then expert, in the problem's order) and its
    total affinity, or, when none exists, why."""

    status: AssignStatus
    pairs: tuple[Pair, ...] = ()
    total_affinity: float = 0.0
    deficiencies: tuple[Deficiency, ...] = ()
    seconds: float = 0.0


def check_assignment(problem: AssignmentProblem, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """Every rule the assignment breaks, in words (empty when it is valid)."""
    problems: list[str] = []
    known_e, known_p = set(problem.experts), set(problem.proposals)
    load: dict[str, int] = dict.fromkeys(problem.experts, 0)
    cover: dict[str, int] = dict.fromkeys(problem.proposals, 0)
    for expert, proposal in dict.fromkeys(pairs):
        if expert not in known_e or proposal not in known_p:
            problems.append(f"{expert} on {proposal}: unknown expert or proposal")
            continue
        if not problem.allowed(expert, proposal):
            problems.append(f"{expert} on {proposal}: a conflict of interest")
        load[expert] += 1
        cover[proposal] += 1
    if len(set(pairs)) != len(pairs):
        problems.append("a pair is listed twice")
    problems += [
        f"{e} has {n} proposals, more than {problem.max_load}"
        for e, n in load.items()
        if n > problem.max_load
    ]
    problems += [
        f"{p} has {n} experts, not {problem.per_proposal}"
        for p, n in cover.items()
        if n != problem.per_proposal
    ]
    return problems


def scaled(value: float) -> int:
    """An affinity in solver units."""
    return round(value * SCALE)


def _experts(count: int) -> str:
    return {0: "no expert", 1: "the only expert"}.get(count, f"the {count} experts")


def _listed(ids: Sequence[str], most: int = 10) -> str:
    shown = ", ".join(ids[:most])
    return shown if len(ids) <= most else f"{shown} and {len(ids) - most} more"
