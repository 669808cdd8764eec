"""The independent checker: any assignment (from either method, edited by hand or imported)
against the problem's hard rules, and its blocking pairs.

It shares no code with the algorithms: it reads the ids and the lists of the problem itself.
A visitor ``v`` and a host ``h`` block an assignment when both list each other, ``v`` has no
host or ranks ``h`` above its host, and ``h`` has a free place or ranks ``v`` above one of the
visitors it got.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from clusterbridge.engines.exchanges.problem import AssignmentProblem
from clusterbridge.engines.exchanges.result import BlockingPair, CheckReport, Match


def check_assignment(problem: AssignmentProblem, matches: Iterable[Match]) -> CheckReport:
    """Judge ``matches`` against ``problem``: violations (unknown ids, a visitor placed twice,
    a pair not acceptable to both, a host over capacity) and, for a valid assignment, every
    blocking pair in the visitors' order. Pure."""
    pairs = list(matches)
    visitor_prefs = {v.id: v.preferences for v in problem.visitors}
    host_prefs = {h.id: h.preferences for h in problem.hosts}
    violations = _violations(problem, pairs, visitor_prefs, host_prefs)
    if violations:
        return CheckReport(tuple(violations), ())
    return CheckReport((), tuple(_blocking_pairs(problem, pairs, visitor_prefs, host_prefs)))


def _violations(
    problem: AssignmentProblem,
    pairs: list[Match],
    visitor_prefs: dict[str, tuple[str, ...]],
    host_prefs: dict[str, tuple[str, ...]],
) -> list[str]:
    violations = []
    for pair in pairs:
        if pair.visitor not in visitor_prefs:
            violations.append(f'"{pair.visitor}" is not a visitor of the problem.')
        elif pair.host not in host_prefs:
            violations.append(f'"{pair.host}" is not a host of the problem.')
        elif (
            pair.host not in visitor_prefs[pair.visitor]
            or pair.visitor not in host_prefs[pair.host]
        ):
            violations.append(f"{pair.visitor} and {pair.host} do not both list each other.")
    counts = Counter(pair.visitor for pair in pairs)
    violations.extend(f"{v} is assigned {n} times." for v, n in counts.items() if n > 1)
    load = Counter(pair.host for pair in pairs)
    for host in problem.hosts:
        if load[host.id] > host.capacity:
            violations.append(
                f"{host.id} gets {load[host.id]} visitors for a capacity of {host.capacity}."
            )
    return violations


def _blocking_pairs(
    problem: AssignmentProblem,
    pairs: list[Match],
    visitor_prefs: dict[str, tuple[str, ...]],
    host_prefs: dict[str, tuple[str, ...]],
) -> list[BlockingPair]:
    host_of = {pair.visitor: pair.host for pair in pairs}
    got: defaultdict[str, list[str]] = defaultdict(list)
    for pair in pairs:
        got[pair.host].append(pair.visitor)
    host_rank = {h: {v: r for r, v in enumerate(prefs)} for h, prefs in host_prefs.items()}
    worst = {h: max((host_rank[h][v] for v in got[h]), default=-1) for h in host_prefs}
    capacity = {host.id: host.capacity for host in problem.hosts}
    blocking = []
    for visitor in problem.visitors:
        current = host_of.get(visitor.id)
        for host in visitor.preferences:
            if host == current:
                break
            rank = host_rank[host].get(visitor.id)
            if rank is None or capacity[host] == 0:
                continue
            if len(got[host]) < capacity[host]:
                reason = f"{host} has a free place and {visitor.id} prefers it"
            elif rank < worst[host]:
                reason = f"{host} prefers {visitor.id} to a visitor it got, and {visitor.id} prefers {host}"
            else:
                continue
            blocking.append(BlockingPair(visitor.id, host, reason + _current(current) + "."))
    return blocking


def _current(host: str | None) -> str:
    return f" to {host}" if host is not None else " to having no host"
