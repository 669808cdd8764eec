"""Random small assignment problems and a brute force over every assignment of them."""

import itertools
import random
from collections.abc import Iterator

from clusterbridge.engines.exchanges import AssignmentProblem, Host, Match, Visitor


def random_problem(rng: random.Random, *, visitors: int, hosts: int) -> AssignmentProblem:
    """Each visitor lists a random subset of hosts in random order, each host a random subset
    of visitors; capacities 0-2."""
    visitor_ids = [f"v{i}" for i in range(visitors)]
    host_ids = [f"h{j}" for j in range(hosts)]
    return AssignmentProblem(
        visitors=tuple(Visitor(v, _random_list(rng, host_ids)) for v in visitor_ids),
        hosts=tuple(Host(h, rng.randint(0, 2), _random_list(rng, visitor_ids)) for h in host_ids),
    )


def _random_list(rng: random.Random, ids: list[str]) -> tuple[str, ...]:
    chosen = [i for i in ids if rng.random() < 0.75]
    rng.shuffle(chosen)
    return tuple(chosen)


def all_assignments(problem: AssignmentProblem) -> Iterator[dict[str, str | None]]:
    """Every valid assignment: mutually acceptable pairs, capacities respected."""
    options = [
        [None, *(h for h in v.preferences if v.id in _host(problem, h).preferences)]
        for v in problem.visitors
    ]
    capacity = {h.id: h.capacity for h in problem.hosts}
    for choice in itertools.product(*options):
        load = {h: sum(1 for c in choice if c == h) for h in capacity}
        if all(load[h] <= capacity[h] for h in capacity):
            yield {v.id: c for v, c in zip(problem.visitors, choice, strict=True)}


def blocking_pairs(
    problem: AssignmentProblem, assignment: dict[str, str | None]
) -> set[tuple[str, str]]:
    """Blocking pairs by the textbook definition, written independently of the checker."""
    pairs = set()
    for visitor in problem.visitors:
        for host in problem.hosts:
            if host.id not in visitor.preferences or visitor.id not in host.preferences:
                continue
            current = assignment[visitor.id]
            if current == host.id:
                continue
            visitor_wants = current is None or visitor.preferences.index(
                host.id
            ) < visitor.preferences.index(current)
            got = [v for v, h in assignment.items() if h == host.id]
            host_wants = len(got) < host.capacity or any(
                host.preferences.index(visitor.id) < host.preferences.index(g) for g in got
            )
            if visitor_wants and host_wants:
                pairs.add((visitor.id, host.id))
    return pairs


def as_matches(assignment: dict[str, str | None]) -> list[Match]:
    """The assignment as matches."""
    return [Match(v, h) for v, h in assignment.items() if h is not None]


def _host(problem: AssignmentProblem, host_id: str) -> Host:
    return next(h for h in problem.hosts if h.id == host_id)
