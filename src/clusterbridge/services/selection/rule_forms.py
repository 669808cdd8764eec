"""The rule editor (issue 18): a call's eligibility rules as typed form values, checked and
written as the call file's ``[documents]`` and ``[[rules]]``, and read back from it.

A `RulesForm` holds the documents the rules quote and one `RuleEntry` per rule: its id, title,
condition of the registry, parameters as form values by path (``among.roles``; see
`rule_fields`), and its source clause (document, section, quote). `rules_text_of` checks every
value at once, each mistake named by its rule and field, then the condition's own parameter
model; the other parts of the draft's rules text (priorities, fact sources...) are kept as they
are, so the file still round-trips (ADR 0024).
"""

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from clusterbridge.db.models import ProgrammeCall, User
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.money import parse_whole_euros
from clusterbridge.domain.numbers import MAX_DIGITS, range_reason, read_whole
from clusterbridge.domain.refusals import refusal_reason
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.calls.writing import read_toml, write_call_file
from clusterbridge.services.selection import calls
from clusterbridge.services.selection.rule_fields import (
    ConditionForm,
    FieldKind,
    ParamField,
    condition_form,
)

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
#: The shortest quote a call file accepts (``SourceModel``).
MIN_QUOTE = 8
#: The most digits of a whole number or amount in a rule's field (as the call form's).
MAX_AMOUNT_DIGITS = 12
#: The largest whole number a rule's field takes (either sign): ``MAX_AMOUNT_DIGITS`` digits.
MAX_WHOLE = 10**MAX_AMOUNT_DIGITS - 1
ON_FAIL = ("fail", "warning")
_EDITED = ("documents", "rules")


@dataclass(frozen=True, slots=True)
class RuleEntry:
    """One rule as typed; ``params`` holds each parameter's form values by path."""

    id: str
    title: str
    condition: str
    params: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    document: str = ""
    section: str = ""
    quote: str = ""
    on_fail: str = "fail"
    advice: str = ""


@dataclass(frozen=True, slots=True)
class RulesForm:
    """The documents the rules quote (key, title) and the rules, in order."""

    documents: tuple[tuple[str, str], ...]
    rules: tuple[RuleEntry, ...]


def new_rule(condition: str, *, number: int) -> RuleEntry:
    """A new rule of ``condition`` with its parameters' defaults (numbered for its id)."""
    form = condition_form(condition)
    defaults = {f.path: f.default for f in form.fields if f.default} if form else {}
    return RuleEntry(id=f"rule-{number}", title="", condition=condition, params=defaults)


def rules_form_of(text: str) -> RulesForm:
    """The documents and rules of a draft's rules text (TOML), as form values;
    InvalidInputError (field ``rules``) when the text is not TOML."""
    try:
        document = read_toml(text)
    except tomllib.TOMLDecodeError as error:
        issue = InputIssue("", "rules", f"not valid TOML: {error}")
        raise InvalidInputError("The rules cannot be edited in the form:", [issue]) from None
    documents = document.get("documents") or {}
    return RulesForm(
        documents=tuple((str(k), str(v)) for k, v in documents.items()),
        rules=tuple(_entry(rule) for rule in document.get("rules") or () if isinstance(rule, dict)),
    )


def rules_text_of(form: RulesForm, *, base: str) -> str:
    """The rules text of ``base`` with ``form``'s documents and rules instead of its own.

    Raises one InvalidInputError listing every mistake: the documents', then each rule's, its
    location ``rule N (id)`` and its field ``rule-N-<name>`` (``rule-N-params`` for a
    mistake of the parameters together, e.g. neither minimum nor maximum given)."""
    issues = _document_issues(form.documents)
    keys = {key.strip() for key, _ in form.documents}
    tables = []
    seen: set[str] = set()
    for number, entry in enumerate(form.rules, start=1):
        found, table = _rule(entry, number, keys=keys, seen=seen)
        issues.extend(found)
        tables.append(table)
    if not form.rules:
        issues.append(InputIssue("", "rules", "add at least one rule"))
    if issues:
        raise InvalidInputError("The rules cannot be saved:", issues)
    rest = {k: v for k, v in read_toml(base).items() if k not in _EDITED}
    documents = {key.strip(): title.strip() for key, title in form.documents if key.strip()}
    return write_call_file({**rest, "documents": documents, "rules": tables})


def save_rules(
    session: Session, actor: User, call_id: int, form: RulesForm, *, catalogue: Catalogue
) -> ProgrammeCall:
    """Replace a draft call's documents and rules with ``form``'s (officers only; 409 once
    published). Every mistake of the form at once, then those of the whole call file (e.g. a
    fact source quoting a document removed), as InvalidInputError. Writes the call."""
    row = calls.get_call(session, actor, call_id)
    draft = calls.draft_of(row)
    text = rules_text_of(form, base=draft.rules)
    return calls.update_call(
        session, actor, call_id, replace(draft, rules=text), catalogue=catalogue
    )


def _entry(rule: dict[str, Any]) -> RuleEntry:
    source = rule.get("source") or {}
    form = condition_form(str(rule.get("condition", "")))
    params = rule.get("params") or {}
    values = {f.path: _values_at(params, f.path) or f.default for f in form.fields} if form else {}
    return RuleEntry(
        id=str(rule.get("id", "")),
        title=str(rule.get("title", "")),
        condition=str(rule.get("condition", "")),
        params={path: found for path, found in values.items() if found},
        document=str(source.get("document", "")),
        section=str(source.get("section", "")),
        quote=str(source.get("quote", "")),
        on_fail=str(rule.get("on_fail", "fail")),
        advice=str(rule.get("advice", "")),
    )


def _values_at(params: Mapping[str, Any], path: str) -> tuple[str, ...] | None:
    """The form values of the parameter at ``path`` (None when the file does not set it: the
    form then shows its default)."""
    value: Any = params
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, bool):
        return ("yes" if value else "no",)
    return (str(value),)


def _document_issues(documents: tuple[tuple[str, str], ...]) -> list[InputIssue]:
    issues, seen = [], set()
    for number, (key, title) in enumerate(documents, start=1):
        where = f"document {number}"
        if not key.strip() or not title.strip():
            issues.append(InputIssue(where, f"doc-{number}-key", "needs a short key and a title"))
        elif key.strip() in seen:
            issues.append(InputIssue(where, f"doc-{number}-key", "another document has this key"))
        seen.add(key.strip())
    if not seen - {""}:
        reason = "name at least one document the rules quote (the call's text)"
        issues.append(InputIssue("", "documents", reason))
    return issues


def _rule(
    entry: RuleEntry, number: int, *, keys: set[str], seen: set[str]
) -> tuple[list[InputIssue], dict[str, Any]]:
    """The mistakes of one rule and its call-file table."""
    where = f"rule {number} ({entry.id.strip() or 'no id'})"
    issues = [InputIssue(where, f"rule-{number}-{name}", reason)
              for name, reason in _own_issues(entry, keys, seen)]  # fmt: skip
    seen.add(entry.id.strip())
    form = condition_form(entry.condition)
    params: dict[str, Any] = {}
    if form is None:
        reason = f'"{entry.condition}" is not a condition of the registry'
        issues.append(InputIssue(where, f"rule-{number}-condition", reason))
    else:
        found, params = _params(form, entry.params)
        issues.extend(InputIssue(f"{where}, {label}", f"rule-{number}-{name}", reason)
                      for label, name, reason in found)  # fmt: skip
    return issues, _table(entry, params)


def _own_issues(entry: RuleEntry, keys: set[str], seen: set[str]) -> list[tuple[str, str]]:
    found = []
    rule_id = entry.id.strip()
    if not RULE_ID.match(rule_id):
        found.append(("id", "use lower-case letters, digits and '-', e.g. min-partners"))
    elif rule_id in seen:
        found.append(("id", "another rule has this id"))
    if not entry.title.strip():
        found.append(("title", "is required"))
    if entry.document.strip() not in keys:
        found.append(("document", "choose one of the documents listed above"))
    if not entry.section.strip():
        found.append(("section", "name the section of the document the clause is in"))
    if len(entry.quote.strip()) < MIN_QUOTE:
        found.append(
            ("quote", f"quote the clause the rule encodes ({MIN_QUOTE} characters or more)")
        )
    if entry.on_fail not in ON_FAIL:
        found.append(("on_fail", "choose whether a failure makes the proposal ineligible"))
    return found


def _table(entry: RuleEntry, params: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": entry.id.strip(),
        "title": entry.title.strip(),
        "condition": entry.condition,
    }
    if params:
        table["params"] = params
    source = {"document": entry.document.strip(), "section": entry.section.strip(),
              "quote": entry.quote.strip()}  # fmt: skip
    table["source"] = source
    if entry.on_fail == "warning":
        table["on_fail"] = "warning"
    if entry.advice.strip():
        table["advice"] = entry.advice.strip()
    return table


def _params(
    form: ConditionForm, values: Mapping[str, tuple[str, ...]]
) -> tuple[list[tuple[str, str, str]], dict[str, Any]]:
    """The parameters typed, and the mistakes as (label, field name, reason): each field's,
    then, when every field reads, those of the condition's parameter model."""
    issues: list[tuple[str, str, str]] = []
    params: dict[str, Any] = {table: {} for table in _required_tables(form)}
    for param in form.fields:
        typed = _typed(param, tuple(v.strip() for v in values.get(param.path, ()) if v.strip()))
        if isinstance(typed, _Mistake):
            issues.append((param.label, param.name, typed.reason))
        elif typed is not None:
            _put(params, param.path, typed)
    if not issues:
        issues.extend(_model_issues(form, params))
    return issues, params


@dataclass(frozen=True, slots=True)
class _Mistake:
    reason: str


def _typed(param: ParamField, values: tuple[str, ...]) -> object:
    """The value to write, None to leave the default, or the mistake."""
    if not values:
        return _missing(param)
    if param.kind in (FieldKind.CHOICES, FieldKind.COUNTRIES):
        return _listed(param, values)
    if _same(values, param.default):
        return None
    return _single(param, values[0])


def _missing(param: ParamField) -> object:
    if param.required:
        return _Mistake("tick at least one" if param.kind is FieldKind.CHOICES else "is required")
    if param.kind is FieldKind.CHOICES and not param.optional_list:
        return _Mistake("tick at least one")
    return None


def _listed(param: ParamField, values: tuple[str, ...]) -> object:
    if param.kind is FieldKind.CHOICES:
        known = {value for value, _ in param.choices}
        wrong = [v for v in values if v not in known]
        if wrong:
            return _Mistake(f"{', '.join(wrong)}: not a choice of this field")
    unique = list(dict.fromkeys(values))
    return None if _same(tuple(unique), param.default) else unique


def _single(param: ParamField, value: str) -> object:
    kind = param.kind
    if kind in (FieldKind.WHOLE, FieldKind.EUROS):
        return _whole(kind, value)
    if kind is FieldKind.SHARE:
        try:
            if len(value) > MAX_DIGITS or "e" in value.lower():  # 1e999999999 never ends
                raise ValueError(value)
            Fraction(value)
        except (ValueError, ZeroDivisionError):
            return _Mistake(f"must be a share such as 1/2 or 0.5, not {value!r}")
        return value
    if kind is FieldKind.FLAG:
        return (
            {"yes": True, "no": False}.get(value)
            if value in ("yes", "no")
            else _Mistake("choose yes, no or either")
        )
    if kind is FieldKind.CHOICE and value not in {v for v, _ in param.choices}:
        choices = ", ".join(v for v, _ in param.choices)
        return _Mistake(f"choose one of: {choices}")
    return value


def _whole(kind: FieldKind, value: str) -> object:
    """A whole number, or an amount in whole euros as the pages print it ("EUR 350,000")."""
    if kind is FieldKind.EUROS:
        try:
            return parse_whole_euros(value, max_digits=MAX_AMOUNT_DIGITS)
        except ValueError as error:
            return _Mistake(str(error))
    return _whole_number(value)


def _whole_number(value: str) -> object:
    """A whole number within ``MAX_WHOLE`` either way, or the mistake in the words of the web
    forms: not a whole number, too many digits, or out of range (told the range)."""
    number = read_whole(value.strip())
    if isinstance(number, int):
        number = range_reason(number, low=-MAX_WHOLE, high=MAX_WHOLE) or number
    return _Mistake(number) if isinstance(number, str) else number


def _same(values: tuple[str, ...], default: tuple[str, ...]) -> bool:
    return bool(default) and sorted(values) == sorted(default)


def _required_tables(form: ConditionForm) -> list[str]:
    model = get_condition(form.name).params_model
    return [
        key
        for key, info in model.model_fields.items()
        if info.is_required()
        and isinstance(info.annotation, type)
        and issubclass(info.annotation, BaseModel)
    ]


def _put(params: dict[str, Any], path: str, value: object) -> None:
    *tables, key = path.split(".")
    target = params
    for table in tables:
        target = target.setdefault(table, {})
    target[key] = value


def _model_issues(form: ConditionForm, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The mistakes the condition's parameter model finds, on the field they concern (the
    parameters together when none)."""
    try:
        get_condition(form.name).parse_params(params)
    except ValidationError as error:
        return [_placed(form, e["loc"], refusal_reason(e)) for e in error.errors(include_url=False)]
    return []


def _placed(form: ConditionForm, loc: tuple[int | str, ...], reason: str) -> tuple[str, str, str]:
    path = ".".join(str(part) for part in loc if isinstance(part, str))
    param = form.field(path)
    if param is None:
        return "parameters", "params", reason
    return param.label, param.name, reason
