"""A call as a programme officer writes it, checked and turned into its call file.

A `CallDraft` holds the fields of the authoring form (and of the API's body): the facts, the
strands with their minimums, the budget, the award criteria and the ranking settings, and
``rules``, the rest of the call file as TOML (``[documents]`` and the ``[[rules]]`` of the
condition registry, plus any other part of the format: priorities, eligible countries...).
`check_draft` validates every field at once and writes the call file, which holds all of it
(the selection settings in its ``[selection]`` table), so that an exported call imports again
as the same draft (ADR 0024).
"""

import re
import tomllib
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from clusterbridge.domain.calendar import local_time_problem
from clusterbridge.domain.calls import Call
from clusterbridge.domain.eligibility.composition_conditions import MinPartnersParams
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.enums import CallKind, RuleStatus
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import length_reason, too_long_reason
from clusterbridge.engines.selection.problem import SelectionProblem
from clusterbridge.services.calls.catalogue import parse_call_file
from clusterbridge.services.calls.files import CALL_ID_PATTERN
from clusterbridge.services.calls.writing import read_toml, write_call_file
from clusterbridge.services.selection.files import parse_selection

MAX_IDENTIFIER = 80
MAX_TITLE = 300
#: The longest strand id: a proposal and a consortium keep their strand in 40 characters.
MAX_STRAND_ID = 40
MAX_SUMMARY = 20_000
DEFAULT_PROGRAMME = "clusterbridge"
#: The years a deadline may fall in (a typing mistake otherwise).
FIRST_YEAR, LAST_YEAR = 1990, 2199
#: The most months a project may last, and the most projects a call (or a strand) may fund.
MAX_MONTHS = 10**4
MAX_PROJECTS = 10**4
#: The largest amount in whole euros (a budget, a grant): the ``Amount`` column keeps 12
#: digits before the cents. The API's bodies read these limits from here.
MAX_EUROS = 10**12 - 1
#: Call-file keys the form's own fields write; ``rules`` may not set them.
_FORM_KEYS = {
    "id": "identifier", "title": "title", "programme": "programme", "summary": "summary",
    "budget_eur": "budget", "expected_projects": "max_projects", "grant_max_eur": "max_grant",
    "deadline": "deadline", "timezone": "time_zone", "strands": "strands",
    "duration_min_months": "duration_min_months", "duration_max_months": "duration_max_months",
    "selection": "criteria", "kind": "kind",
}  # fmt: skip
#: Selection settings in the call file's ``[selection]`` table (the others are call facts).
_SELECTION_KEYS = ("criteria", "overall_threshold", "tie_break", "on_overflow")
_SETTING_FIELDS = {
    "budget": "budget", "max_projects": "max_projects", "strand_minimum": "strands",
    "criteria": "criteria", "overall_threshold": "overall_threshold",
    "tie_break": "tie_break", "on_overflow": "on_overflow",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class StrandDraft:
    """A strand: its id, title and the number of its proposals to fund first (none: 0)."""

    id: str
    title: str
    minimum: int = 0


@dataclass(frozen=True, slots=True)
class CriterionDraft:
    """An award criterion: its id, maximum points and threshold (None: no threshold)."""

    id: str
    max: Decimal
    threshold: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CallDraft:
    """A call as written. ``deadline`` is the local time in ``time_zone`` (None: no stated
    deadline); amounts are whole euros."""

    identifier: str
    title: str
    summary: str
    rules: str
    budget: int | None
    programme: str = DEFAULT_PROGRAMME
    kind: CallKind = CallKind.PROGRAMME
    deadline: datetime | None = None
    time_zone: str = "Europe/Brussels"
    max_projects: int | None = None
    max_grant: int | None = None
    duration_min_months: int | None = None
    duration_max_months: int | None = None
    strands: tuple[StrandDraft, ...] = ()
    criteria: tuple[CriterionDraft, ...] = ()
    overall_threshold: Decimal | None = None
    tie_break: tuple[str, ...] = ()
    on_overflow: str = "skip"


@dataclass(frozen=True, slots=True)
class CheckedCall:
    """A valid draft: its call file, the call the checker reads, its selection settings (the
    JSON of ``selection rank`` without proposals) and its deadline as an aware time."""

    text: str
    call: Call
    selection: dict[str, Any]
    closes_at: datetime | None
    draft: CallDraft = field(repr=False)


def check_draft(draft: CallDraft, *, taken: Set[str] = frozenset()) -> CheckedCall:
    """Check every field of ``draft`` and write its call file.

    ``taken`` holds the identifiers (case-folded) already used by other calls. Raises one
    InvalidInputError listing every mistake, each with its field (the draft's field name):
    first the form's own checks, then those of the call-file format (the rules' conditions
    and parameters) and of the selection settings, a field reported only once."""
    issues = _own_issues(draft, taken)
    rest = _rules_document(draft.rules, issues)
    settings = selection_settings(draft)
    _add_new(issues, _selection_issues(settings))
    document = {**_facts(draft), **rest, "selection": _file_selection(settings)}
    if draft.strands:
        document["strands"] = [_strand(s) for s in draft.strands]
    text = write_call_file(document)
    file_issues: list[InputIssue] = []
    call = parse_call_file(f"{draft.identifier}.toml", text.encode(), file_issues)
    _add_new(issues, [_form_issue(i) for i in file_issues])
    if draft.kind is CallKind.CASCADE:
        issues.extend(_cascade_rule_issues(rest.get("rules")))
    if issues or call is None:
        raise InvalidInputError("The call cannot be saved:", issues)
    closes_at = None if call.deadline is None else call.deadline.astimezone(UTC)
    return CheckedCall(text, call, settings, closes_at, draft)


def selection_settings(draft: CallDraft) -> dict[str, Any]:
    """The draft's selection settings in the JSON shape of ``selection rank``."""
    settings: dict[str, Any] = {
        "budget": draft.budget,
        "max_projects": draft.max_projects,
        "strand_minimum": {s.id: s.minimum for s in draft.strands if s.minimum},
        "on_overflow": draft.on_overflow,
        "criteria": [
            {"id": c.id, "max": _plain(c.max)}
            | ({} if c.threshold is None else {"threshold": _plain(c.threshold)})
            for c in draft.criteria
        ],
        "overall_threshold": _plain(draft.overall_threshold),
        "tie_break": list(draft.tie_break),
    }
    return {key: value for key, value in settings.items() if value is not None}


def draft_from_file(name: str, data: bytes) -> CallDraft:
    """The draft a call file describes (an exported call, or any call file with a
    ``[selection]`` table); InvalidInputError naming the file and each place otherwise."""
    issues: list[InputIssue] = []
    call = parse_call_file(f"{_file_id(data)}.toml", data, issues)
    if call is None:
        raise InvalidInputError(f"{name} is not a valid call file:", _renamed(issues, name))
    raw = read_toml(data.decode("utf-8"))
    problem = _file_selection_problem(name, raw)
    return CallDraft(
        identifier=call.id,
        title=call.title,
        summary=call.summary,
        rules=write_call_file({k: v for k, v in raw.items() if k not in _FORM_KEYS}),
        budget=call.budget_eur,
        programme=call.programme,
        kind=CallKind(raw.get("kind", CallKind.PROGRAMME.value)),
        deadline=raw.get("deadline"),
        time_zone=raw.get("timezone") or "Europe/Brussels",
        max_projects=call.expected_projects,
        max_grant=call.grant_max_eur,
        duration_min_months=call.duration_min_months,
        duration_max_months=call.duration_max_months,
        strands=tuple(StrandDraft(s.id, s.title, s.min_projects or 0) for s in call.strands),
        criteria=tuple(CriterionDraft(c.id, c.max, c.threshold) for c in problem.criteria),
        overall_threshold=problem.overall_threshold,
        tie_break=problem.tie_break,
        on_overflow=problem.on_overflow.value,
    )


def file_with_kind(text: str, kind: CallKind) -> str:
    """The call file ``text`` stating ``kind`` after its summary, as `check_draft` writes it
    (a call for SMEs; unchanged for a consortium call, or a file that states it already)."""
    document = read_toml(text)
    if kind is not CallKind.CASCADE or "kind" in document:
        return text
    keys = list(document)
    at = keys.index("summary") + 1 if "summary" in keys else len(keys)
    items = [*document.items()]
    return write_call_file(dict([*items[:at], ("kind", kind.value), *items[at:]]))


def local_deadline(closes_at: datetime | None, time_zone: str) -> datetime | None:
    """The deadline as the local time (without zone) of ``time_zone``, as a draft holds it."""
    if closes_at is None:
        return None
    return closes_at.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


def _own_issues(draft: CallDraft, taken: Set[str]) -> list[InputIssue]:
    issues: list[InputIssue] = []
    _text(issues, "identifier", draft.identifier, MAX_IDENTIFIER)
    if draft.identifier.strip().casefold() in taken:
        issues.append(InputIssue("", "identifier", "another call already has this identifier"))
    _text(issues, "title", draft.title, MAX_TITLE)
    _text(issues, "summary", draft.summary, MAX_SUMMARY)
    _text(issues, "programme", draft.programme, MAX_TITLE)
    try:
        ZoneInfo(draft.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        reason = f'"{draft.time_zone}" is not a time zone such as Europe/Brussels'
        issues.append(InputIssue("", "time_zone", reason))
    if draft.deadline is not None and not FIRST_YEAR <= draft.deadline.year <= LAST_YEAR:
        reason = f"must be a date between {FIRST_YEAR} and {LAST_YEAR}"
        issues.append(InputIssue("", "deadline", reason))
    elif draft.deadline is not None and not any(i.field == "time_zone" for i in issues):
        problem = local_time_problem(draft.deadline, draft.time_zone)
        if problem is not None:
            issues.append(InputIssue("", "deadline", f"the deadline {problem}"))
    if draft.budget is None:
        issues.append(InputIssue("", "budget", "is required (in euros)"))
    for name in ("budget", "max_grant"):
        _positive(issues, name, getattr(draft, name), most=MAX_EUROS)
    _positive(issues, "max_projects", draft.max_projects, most=MAX_PROJECTS)
    for name in ("duration_min_months", "duration_max_months"):
        _positive(issues, name, getattr(draft, name), most=MAX_MONTHS)
    refused = {i.field for i in issues}
    if not _durations_ordered(draft) and not refused & {
        "duration_min_months",
        "duration_max_months",
    }:
        reason = f"is longer than the longest project ({draft.duration_max_months} months)"
        issues.append(InputIssue("", "duration_min_months", reason))
    if draft.max_grant and draft.budget and draft.max_grant > draft.budget > 0:
        issues.append(InputIssue("", "max_grant", "is more than the budget"))
    issues.extend(_strand_issues(draft.strands))
    return issues


def _strand_issues(strands: tuple[StrandDraft, ...]) -> list[InputIssue]:
    issues = []
    for number, strand in enumerate(strands, start=1):
        where = f"strand {number}"
        if not strand.id.strip() or not strand.title.strip():
            issues.append(InputIssue(where, "strands", "needs an id and a title"))
        if too_long := length_reason(strand.id.strip(), MAX_STRAND_ID):
            issues.append(InputIssue(where, "strands", f"its id {too_long}"))
        if too_long := length_reason(strand.title.strip(), MAX_TITLE):
            issues.append(InputIssue(where, "strands", f"its title {too_long}"))
        if strand.minimum < 0:
            issues.append(InputIssue(where, "strands", "its minimum must be 0 or more"))
        elif strand.minimum > MAX_PROJECTS:
            reason = f"its minimum must be at most {MAX_PROJECTS:,}"
            issues.append(InputIssue(where, "strands", reason))
    return issues


def _cascade_rule_issues(rules: object) -> list[InputIssue]:
    """The rules of a call for SMEs that no application can pass: an SME applies alone, as a
    consortium of one (ADR 0026), so a rule making a proposal ineligible below two partners
    (or countries, or partners in a region) would refuse every application. Read from the
    rules as written, whatever else the call file has wrong (a rule that does not read is
    reported by the file's own check)."""
    issues = []
    for number, rule in enumerate(rules if isinstance(rules, list) else [], start=1):
        params = _params(rule) if isinstance(rule, dict) else None
        if not isinstance(params, MinPartnersParams) or params.min < 2:
            continue
        if rule.get("on_fail", RuleStatus.FAIL.value) == RuleStatus.FAIL.value:
            reason = (
                f"an SME applies alone to a call for SMEs, so a minimum of {params.min} is "
                "never met and every application would be ineligible: ask for 1, remove the "
                'rule, or make it a warning (on_fail = "warning")'
            )
            issues.append(InputIssue(f'rules[{number}] (id "{rule.get("id")}")', "rules", reason))
    return issues


def _params(rule: dict[str, Any]) -> object:
    """The parameters of a rule as its condition reads them (None when they do not read)."""
    if not isinstance(rule.get("params", {}), dict):
        return None
    try:
        return get_condition(str(rule.get("condition"))).parse_params(rule.get("params", {}))
    except (KeyError, ValidationError):
        return None


def _rules_document(rules: str, issues: list[InputIssue]) -> dict[str, Any]:
    try:
        document = read_toml(rules)
    except tomllib.TOMLDecodeError as error:
        issues.append(InputIssue("", "rules", f"not valid TOML: {error}"))
        return {}
    for key in sorted(document.keys() & _FORM_KEYS.keys()):
        reason = f'"{key}" has its own field ({_FORM_KEYS[key]}): remove it from the rules'
        issues.append(InputIssue("", "rules", reason))
    if "documents" not in document:
        reason = 'add a [documents] table naming the texts the rules quote, e.g. call = "..."'
        issues.append(InputIssue("", "rules", reason))
    return {k: v for k, v in document.items() if k not in _FORM_KEYS}


def _facts(draft: CallDraft) -> dict[str, Any]:
    facts = {
        "id": draft.identifier.strip(),
        "title": draft.title.strip(),
        "programme": draft.programme.strip(),
        "summary": draft.summary.strip(),
        # A consortium call's file states no kind, as the shipped call files.
        "kind": draft.kind.value if draft.kind is CallKind.CASCADE else None,
        "budget_eur": draft.budget,
        "expected_projects": draft.max_projects,
        "grant_max_eur": draft.max_grant,
        "deadline": draft.deadline,
        "timezone": draft.time_zone.strip(),
    }
    if _durations_ordered(draft):  # otherwise reported on the form's own field
        facts["duration_min_months"] = draft.duration_min_months
        facts["duration_max_months"] = draft.duration_max_months
    return {key: value for key, value in facts.items() if value is not None}


def _durations_ordered(draft: CallDraft) -> bool:
    low, high = draft.duration_min_months, draft.duration_max_months
    return low is None or high is None or low <= high


def _strand(strand: StrandDraft) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": strand.id.strip(), "title": strand.title.strip()}
    if strand.minimum > 0:
        fields["min_projects"] = strand.minimum
    return fields


def _file_selection(settings: dict[str, Any]) -> dict[str, Any]:
    return {key: settings[key] for key in _SELECTION_KEYS if key in settings}


def _selection_issues(settings: dict[str, Any]) -> list[InputIssue]:
    if settings.get("budget") is None or settings["budget"] <= 0:
        settings = {**settings, "budget": 1}  # already reported as the budget's own mistake
    try:
        parse_selection({**settings, "proposals": []}, source="The selection settings")
    except InvalidInputError as error:
        return [
            InputIssue(i.location, _SETTING_FIELDS.get(_head(i.location), "criteria"), i.reason)
            for i in error.issues
        ]
    return []


def _file_selection_problem(name: str, raw: dict[str, Any]) -> SelectionProblem:
    selection = raw.get("selection") or {}
    document = {
        "budget": raw.get("budget_eur"),
        "criteria": selection.get("criteria"),
        **{k: selection[k] for k in _SELECTION_KEYS[1:] if k in selection},
    }
    if not isinstance(selection, dict) or document["criteria"] is None:
        issue = InputIssue(name, "selection", "the file has no [selection] table with criteria")
        raise InvalidInputError(f"{name} is not a call to import:", [issue])
    if document["budget"] is None:
        issue = InputIssue(name, "budget_eur", "the call needs a budget")
        raise InvalidInputError(f"{name} is not a call to import:", [issue])
    try:
        return parse_selection({**document, "proposals": []}, source=name)
    except InvalidInputError as error:
        found = [InputIssue(name, f"selection.{i.location}", i.reason) for i in error.issues]
        raise InvalidInputError(f"{name} is not a call to import:", found) from None


def _form_issue(issue: InputIssue) -> InputIssue:
    """An issue of the written call file, given the form field it comes from."""
    head, reason = _head(issue.field), issue.reason
    key, _, rest = reason.partition(": ")
    if not head and key in _FORM_KEYS:
        # A check of the whole file names the key it is about first ("strands: id ...").
        head, reason = key, rest
    form_field = _FORM_KEYS.get(head, "rules")
    location = "" if form_field != "rules" else issue.field
    return InputIssue(location, form_field, reason)


def _add_new(issues: list[InputIssue], more: list[InputIssue]) -> None:
    """Add the issues of fields that have none yet, unless the same reason is already given
    at the same place (one mistake is not reported twice, e.g. a deadline the call file
    reports under its time zone; but a criterion's maximum "must be more than 0" is not the
    budget's)."""
    fields = {i.field for i in issues}
    given = {(i.location, i.reason) for i in issues}
    issues.extend(i for i in more if i.field not in fields and (i.location, i.reason) not in given)


def _renamed(issues: list[InputIssue], name: str) -> list[InputIssue]:
    return [InputIssue(name, i.field, i.reason) for i in issues]


def _file_id(data: bytes) -> str:
    """The id a call file gives itself (so that its file name does not matter on import)."""
    try:
        value = read_toml(data.decode("utf-8")).get("id")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "call"
    return value if isinstance(value, str) else "call"


def _head(path: str) -> str:
    return re.split(r"[.\[ ]", path, maxsplit=1)[0]


def _text(issues: list[InputIssue], name: str, value: str, longest: int) -> None:
    if not value.strip():
        issues.append(InputIssue("", name, "is required"))
    elif len(value.strip()) > longest:
        issues.append(InputIssue("", name, too_long_reason(longest, len(value.strip()))))
    elif name == "identifier" and not _is_identifier(value.strip()):
        reason = "use letters, digits, '.', '_' or '-', starting with a letter or digit"
        issues.append(InputIssue("", name, reason))


def _is_identifier(value: str) -> bool:
    return re.fullmatch(CALL_ID_PATTERN, value) is not None


def _positive(
    issues: list[InputIssue], name: str, value: int | None, *, most: int | None = None
) -> None:
    if value is not None and value <= 0:
        issues.append(InputIssue("", name, "must be more than 0"))
    elif value is not None and most is not None and value > most:
        issues.append(InputIssue("", name, f"must be at most {most:,}"))


def _plain(amount: Decimal | None) -> int | float | None:
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)
