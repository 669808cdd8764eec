"""The assignment problem: visitors and hosts, each with a ranked list of the other side, and
each host's capacity. A pair is acceptable only if each lists the other.

``parse_problem`` turns JSON-like data into a validated ``AssignmentProblem``; every problem of
the data (wrong types, unknown or repeated ids, a negative capacity) is reported at once with
its place, as an ``InvalidInputError``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import InitVar, dataclass
from functools import cached_property

from clusterbridge.domain.errors import InputIssue, InvalidInputError

_SUMMARY = "The assignment problem is not valid."


@dataclass(frozen=True, slots=True)
class Visitor:
    """A visiting organisation and the hosts it would visit, best first."""

    id: str
    preferences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Host:
    """A host, how many visitors it takes in this round, and the visitors it accepts, best
    first."""

    id: str
    capacity: int
    preferences: tuple[str, ...]


@dataclass(frozen=True)
class AssignmentProblem:
    """Visitors and hosts, validated once: unique ids, known ids in every list, no id twice in
    a list, capacities of at least 0 (ValueError otherwise; ``parse_problem`` reports places).

    The indexed views are built on first use: ``visitor_lists[i]`` holds the indexes of the hosts
    visitor ``i`` finds acceptable *and* that list it, best first; ``host_ranks[j]`` maps a
    visitor index to its rank (0 = best) on host ``j``'s list.
    """

    visitors: tuple[Visitor, ...]
    hosts: tuple[Host, ...]
    #: True when the caller has just run the same checks (``parse_problem``): they are not
    #: run twice on a large file.
    checked: InitVar[bool] = False

    def __post_init__(self, checked: bool) -> None:
        if checked:
            return
        issues = _issues(self.visitors, self.hosts)
        if issues:
            raise ValueError("; ".join(str(issue) for issue in issues))

    @cached_property
    def visitor_index(self) -> dict[str, int]:
        """Visitor id → position."""
        return {visitor.id: i for i, visitor in enumerate(self.visitors)}

    @cached_property
    def host_index(self) -> dict[str, int]:
        """Host id → position."""
        return {host.id: j for j, host in enumerate(self.hosts)}

    @cached_property
    def host_ranks(self) -> tuple[dict[int, int], ...]:
        """Per host, visitor index → rank on the host's list."""
        index = self.visitor_index
        return tuple(
            {index[v]: rank for rank, v in enumerate(host.preferences)} for host in self.hosts
        )

    @cached_property
    def visitor_lists(self) -> tuple[tuple[int, ...], ...]:
        """Per visitor, the mutually acceptable hosts, best first (by the visitor)."""
        index, ranks = self.host_index, self.host_ranks
        lists = []
        for i, visitor in enumerate(self.visitors):
            hosts = (index[h] for h in visitor.preferences)
            lists.append(tuple(j for j in hosts if i in ranks[j]))
        return tuple(lists)


def parse_problem(data: object) -> AssignmentProblem:
    """Build a problem from ``{"visitors": [{"id", "preferences"}], "hosts": [{"id",
    "capacity", "preferences"}]}``; raises ``InvalidInputError`` with every issue and its place
    (``visitors[2].preferences[0]``...)."""
    issues: list[InputIssue] = []
    if not isinstance(data, Mapping):
        raise InvalidInputError(_SUMMARY, [InputIssue("", "", "expected a JSON object")])
    unknown_keys = sorted(set(data) - {"visitors", "hosts"})
    issues.extend(InputIssue("", str(key), "is not a known field") for key in unknown_keys)
    visitors = _parse_side(data, "visitors", issues, capacity=False)
    hosts = _parse_side(data, "hosts", issues, capacity=True)
    built_visitors = tuple(Visitor(v[0], v[2]) for v in visitors)
    built_hosts = tuple(Host(h[0], h[1], h[2]) for h in hosts)
    if not issues:
        issues = _issues(built_visitors, built_hosts)
    if issues:
        raise InvalidInputError(_SUMMARY, issues)
    return AssignmentProblem(visitors=built_visitors, hosts=built_hosts, checked=True)


_Entry = tuple[str, int, tuple[str, ...]]


def _parse_side(
    data: Mapping[str, object], side: str, issues: list[InputIssue], *, capacity: bool
) -> list[_Entry]:
    items = data.get(side)
    if not isinstance(items, list):
        issues.append(InputIssue("", side, "expected a list"))
        return []
    entries = []
    for number, item in enumerate(items):
        entry = _parse_entry(item, f"{side}[{number}]", issues, capacity=capacity)
        if entry is not None:
            entries.append(entry)
    return entries


def _parse_entry(
    item: object, place: str, issues: list[InputIssue], *, capacity: bool
) -> _Entry | None:
    if not isinstance(item, Mapping):
        issues.append(InputIssue(place, "", "expected an object"))
        return None
    allowed = {"id", "preferences", "capacity"} if capacity else {"id", "preferences"}
    for key in sorted(set(item) - allowed):
        issues.append(InputIssue(place, str(key), "is not a known field"))
    ident, prefs = item.get("id"), item.get("preferences")
    ok = True
    if not isinstance(ident, str) or not ident.strip():
        issues.append(InputIssue(place, "id", "expected a non-empty text"))
        ok = False
    if not isinstance(prefs, list) or not all(isinstance(p, str) for p in prefs):
        issues.append(InputIssue(place, "preferences", "expected a list of ids (texts)"))
        ok = False
    seats = item.get("capacity", 1) if capacity else 1
    if capacity and (not isinstance(seats, int) or isinstance(seats, bool)):
        issues.append(InputIssue(place, "capacity", "expected a whole number"))
        ok = False
    if not ok:
        return None
    return str(ident), int(seats), tuple(prefs)  # type: ignore[arg-type]


def _issues(visitors: Sequence[Visitor], hosts: Sequence[Host]) -> list[InputIssue]:
    issues = _duplicates("visitors", [v.id for v in visitors])
    issues += _duplicates("hosts", [h.id for h in hosts])
    visitor_ids, host_ids = {v.id for v in visitors}, {h.id for h in hosts}
    for number, visitor in enumerate(visitors):
        issues += _list_issues(f"visitors[{number}]", visitor.preferences, host_ids, "host")
    for number, host in enumerate(hosts):
        place = f"hosts[{number}]"
        if host.capacity < 0:
            issues.append(InputIssue(place, "capacity", f"{host.capacity} is below 0"))
        issues += _list_issues(place, host.preferences, visitor_ids, "visitor")
    return issues


def _duplicates(side: str, ids: Sequence[str]) -> list[InputIssue]:
    seen: set[str] = set()
    issues = []
    for number, ident in enumerate(ids):
        if ident in seen:
            issues.append(InputIssue(f"{side}[{number}]", "id", f'"{ident}" is used twice'))
        seen.add(ident)
    return issues


def _list_issues(place: str, prefs: Sequence[str], known: set[str], what: str) -> list[InputIssue]:
    issues = []
    seen: set[str] = set()
    for rank, ident in enumerate(prefs):
        where = f"{place}.preferences[{rank}]"
        if ident not in known:
            issues.append(InputIssue(where, "", f'"{ident}" is not a known {what}'))
        elif ident in seen:
            issues.append(InputIssue(where, "", f'"{ident}" is listed twice'))
        seen.add(ident)
    return issues
