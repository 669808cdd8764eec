"""The JSON files of ``clusterbridge selection rank`` and ``assign`` (docs/admin/cli.md).

Every mistake of a file is reported at once, each with its place as a JSON path
(``proposals[3].scores.relevance``) and the reason, as an `InvalidInputError`: first the
shape and types, then the rules of the engine (thresholds within maxima, known criteria...).
Numbers become `Decimal` through their shortest text (``25.1`` stays 25.1).
"""

import math
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.selection.assignment import AssignmentProblem, AssignmentResult
from clusterbridge.engines.selection.problem import (
    Criterion,
    Overflow,
    Proposal,
    SelectionProblem,
    json_path,
)
from clusterbridge.engines.selection.select import SelectionResult
from clusterbridge.services.workbooks import read_json_file

_SELECTION_KEYS = {
    "budget", "max_projects", "strand_minimum", "on_overflow", "criteria",
    "overall_threshold", "tie_break", "proposals",
}  # fmt: skip
_T = TypeVar("_T")
_ASSIGNMENT_KEYS = {"per_proposal", "max_load", "affinity", "conflicts", "experts", "proposals"}


#: A field that is not in the file (already reported as missing when it is required).
ABSENT: Any = object()


class Issues:
    """The mistakes of a document found so far, each with its place (shared by the readers
    of this package)."""

    def __init__(self) -> None:
        self.found: list[InputIssue] = []
        #: Places whose checks compare with a value already refused (left unchecked).
        self.unchecked: set[str] = set()

    def add(self, place: str, reason: str) -> None:
        """Record a mistake at ``place``."""
        self.found.append(InputIssue(place, "", reason))

    def fields(
        self, value: object, place: str, *, known: set[str], required: set[str]
    ) -> dict[str, Any]:
        """``value`` as an object; unknown and missing fields reported."""
        if not isinstance(value, dict):
            self.add(place or "the file", "must be a JSON object")
            return {}
        for key in value:
            if key not in known:
                self.add(json_path(place, key) if place else key, "is not a known field")
        for key in sorted(required - value.keys()):
            self.add(json_path(place, key) if place else key, "is missing")
        return value

    def number(self, value: object, place: str) -> Decimal | None:
        """``value`` as an exact decimal (``None``, recorded, when it is no finite number).
        A whole number of any size is read exactly (its range is the engine's to check), a
        fraction through its shortest text, and negative zero as zero."""
        if value is ABSENT:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(place, "must be a number")
            return None
        if isinstance(value, int):
            return Decimal(value)
        if not math.isfinite(value):
            self.add(place, "must be a number")
            return None
        number = Decimal(str(value))
        return number if number else number.copy_abs()

    def integer(self, value: object, place: str) -> int | None:
        """``value`` as a whole number (``None``, recorded, otherwise)."""
        if value is ABSENT:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(place, "must be a whole number")
            return None
        return value

    def text(self, value: object, place: str) -> str:
        """``value`` as text (``""``, recorded, otherwise)."""
        if value is ABSENT:
            return ""
        if not isinstance(value, str):
            self.add(place, 'must be text in quotes, e.g. "1"')
            return ""
        return value

    def items(self, value: object, place: str) -> list[Any]:
        """``value`` as a list (empty, recorded, otherwise)."""
        if not isinstance(value, list):
            self.add(place, "must be a list")
            return []
        return value

    def mapping(self, value: object, place: str) -> dict[str, Any]:
        """``value`` as an object (empty, recorded, otherwise)."""
        if not isinstance(value, dict):
            self.add(place, "must be a JSON object")
            return {}
        return value

    def raise_if_any(self, source: str, what: str) -> None:
        """Raise every mistake recorded, as ``SOURCE is not a valid WHAT:``."""
        if self.found:
            raise InvalidInputError(f"{source} is not a valid {what}:", self.found)


def read_selection_file(path: Path) -> SelectionProblem:
    """The selection problem of a ``selection rank`` JSON file."""
    return parse_selection(load_document(path), source=path.name)


def read_assignment_file(path: Path) -> AssignmentProblem:
    """The assignment problem of a ``selection assign`` JSON file."""
    return parse_assignment(load_document(path), source=path.name)


def parse_selection(document: object, *, source: str) -> SelectionProblem:
    """A selection problem from a parsed JSON document (see the module)."""
    issues = Issues()
    doc = issues.fields(
        document, "", known=_SELECTION_KEYS, required={"budget", "criteria", "proposals"}
    )
    if not isinstance(document, dict):
        issues.raise_if_any(source, "selection file")
    budget = issues.number(doc.get("budget", ABSENT), "budget")
    criteria = tuple(_criteria(issues, doc.get("criteria", [])))
    proposals = tuple(_proposals(issues, doc.get("proposals", [])))
    settings = _settings(issues, doc)
    return _built(
        source, "selection file", issues,
        lambda: SelectionProblem(
            budget=budget or Decimal(0), criteria=criteria, proposals=proposals, **settings
        ),
    )  # fmt: skip


def parse_assignment(document: object, *, source: str) -> AssignmentProblem:
    """An assignment problem from a parsed JSON document. Experts and proposals are the
    ``experts`` and ``proposals`` lists when given, otherwise every name in ``affinity`` and
    ``conflicts``, in the order they first appear."""
    issues = Issues()
    doc = issues.fields(
        document, "", known=_ASSIGNMENT_KEYS, required={"per_proposal", "max_load", "affinity"}
    )
    if not isinstance(document, dict):
        issues.raise_if_any(source, "assignment file")
    per_proposal = issues.integer(doc.get("per_proposal", ABSENT), "per_proposal")
    max_load = issues.integer(doc.get("max_load", ABSENT), "max_load")
    affinity = dict(_affinity(issues, doc.get("affinity", {})))
    conflicts = list(_conflicts(issues, doc.get("conflicts", [])))
    experts = _names(issues, doc, "experts", [e for e, _ in [*affinity, *conflicts]])
    proposals = _names(issues, doc, "proposals", [p for _, p in [*affinity, *conflicts]])
    return _built(
        source, "assignment file", issues,
        lambda: AssignmentProblem(
            experts, proposals, per_proposal or 0, max_load or 0, affinity, frozenset(conflicts)
        ),
    )  # fmt: skip


def selection_to_dict(result: SelectionResult) -> dict[str, Any]:
    """The JSON answer of ``selection rank`` (issue 18): ranking, selected, reserve, out,
    ties_left, budget_used."""
    return {
        "ranking": list(result.ranking),
        "selected": list(result.selected),
        "reserve": list(result.reserve),
        "out": [{"id": pid, "reason": reason} for pid, reason in result.out],
        "ties_left": [list(tie) for tie in result.ties_left],
        "budget_used": _plain(result.budget_used),
    }


def assignment_to_dict(result: AssignmentResult) -> dict[str, Any]:
    """The JSON answer of ``selection assign``: assignments and total_affinity."""
    return {
        "assignments": [{"expert": p.expert, "proposal": p.proposal} for p in result.pairs],
        "total_affinity": result.total_affinity,
    }


def load_document(path: Path) -> object:
    """The parsed JSON of ``path`` (see `read_json_file`)."""
    return read_json_file(path)


def _built(source: str, what: str, issues: Issues, build: Callable[[], _T]) -> _T:
    """The problem ``build`` makes; every mistake at once otherwise: those of the shape, then
    those of the engine's rules, except where a place already has a mistake of its shape
    (the engine saw a stand-in value there)."""
    try:
        built = build()
    except InvalidInputError as error:
        refused = [*(i.location for i in issues.found), *issues.unchecked]
        issues.found += [i for i in error.issues if not _under(i.location, refused)]
    issues.raise_if_any(source, what)
    return built


def _under(place: str, refused: list[str]) -> bool:
    return any(
        place == location or place.startswith((f"{location}.", f"{location}["))
        for location in refused
    )


def _criteria(issues: Issues, value: object) -> Iterator[Criterion]:
    for number, item in enumerate(issues.items(value, "criteria")):
        place = f"criteria[{number}]"
        fields = issues.fields(
            item, place, known={"id", "max", "threshold"}, required={"id", "max"}
        )
        if not fields:
            continue
        given = fields.get("threshold", ABSENT)
        name = issues.text(fields.get("id", ABSENT), f"{place}.id")
        maximum = issues.number(fields.get("max", ABSENT), f"{place}.max")
        threshold = None if given is None else issues.number(given, f"{place}.threshold")
        if maximum is None:  # the checks against the maximum would only repeat its mistake
            issues.unchecked |= {f"{place}.threshold", "overall_threshold"}
        yield Criterion(name, maximum or Decimal(0), threshold)


def _proposals(issues: Issues, value: object) -> Iterator[Proposal]:
    known = {"id", "strand", "requested", "eligible", "scores"}
    for number, item in enumerate(issues.items(value, "proposals")):
        place = f"proposals[{number}]"
        fields = issues.fields(item, place, known=known, required=known - {"scores"})
        if not fields:
            continue
        eligible = fields.get("eligible", ABSENT)
        if "eligible" in fields and not isinstance(eligible, bool):
            issues.add(f"{place}.eligible", "must be true or false")
        scores = issues.mapping(fields.get("scores", {}), f"{place}.scores")
        yield Proposal(
            issues.text(fields.get("id", ABSENT), f"{place}.id"),
            issues.text(fields.get("strand", ABSENT), f"{place}.strand"),
            issues.number(fields.get("requested", ABSENT), f"{place}.requested") or Decimal(0),
            eligible is True,
            {
                key: issues.number(score, json_path(f"{place}.scores", key)) or Decimal(0)
                for key, score in scores.items()
            },
        )


def _settings(issues: Issues, doc: Mapping[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    if doc.get("max_projects") is not None:
        settings["max_projects"] = issues.integer(doc["max_projects"], "max_projects")
    if doc.get("overall_threshold") is not None:
        settings["overall_threshold"] = issues.number(doc["overall_threshold"], "overall_threshold")
    if "on_overflow" in doc:
        choice = doc["on_overflow"]
        if choice not in {o.value for o in Overflow}:
            issues.add("on_overflow", 'must be "skip" or "stop"')
        else:
            settings["on_overflow"] = Overflow(choice)
    minimums = issues.mapping(doc.get("strand_minimum", {}), "strand_minimum")
    settings["strand_minimum"] = {
        strand: issues.integer(count, json_path("strand_minimum", strand)) or 0
        for strand, count in minimums.items()
    }
    keys = issues.items(doc.get("tie_break", []), "tie_break")
    settings["tie_break"] = tuple(issues.text(k, f"tie_break[{n}]") for n, k in enumerate(keys))
    return settings


def _affinity(issues: Issues, value: object) -> Iterator[tuple[tuple[str, str], float]]:
    for expert, row in issues.mapping(value, "affinity").items():
        place = json_path("affinity", expert)
        for proposal, fit in issues.mapping(row, place).items():
            number = issues.number(fit, json_path(place, proposal))
            if number is not None:
                yield (expert, proposal), float(number)


def _conflicts(issues: Issues, value: object) -> Iterator[tuple[str, str]]:
    for number, pair in enumerate(issues.items(value, "conflicts")):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        ):
            issues.add(f"conflicts[{number}]", 'must be a pair ["expert", "proposal"]')
            continue
        yield pair[0], pair[1]


def _names(issues: Issues, doc: Mapping[str, Any], key: str, seen: list[str]) -> tuple[str, ...]:
    if key not in doc:
        return tuple(dict.fromkeys(seen))
    items = issues.items(doc[key], key)
    return tuple(issues.text(item, f"{key}[{n}]") for n, item in enumerate(items))


def _plain(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)
