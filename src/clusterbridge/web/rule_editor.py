"""The rule editor's form, read from the posted fields, and its buttons that change the list
without saving (add a rule of a condition, remove one, move one up or down): the page works
without JavaScript, each button a submit of the whole form.

Field names: ``doc-N-key`` and ``doc-N-title`` for the documents, ``rule-N-id``, ``-title``,
``-condition``, ``-document``, ``-section``, ``-quote``, ``-on_fail``, ``-advice`` and one
``rule-N-p-<path>`` per parameter (several values for ticked choices; a country list has its
ticked sets and a ``-codes`` text), N counted from 1.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import FormData

from clusterbridge.services.selection.rule_fields import (
    ConditionForm,
    FieldKind,
    ParamField,
    condition_form,
)
from clusterbridge.services.selection.rule_forms import RuleEntry, RulesForm, new_rule

#: The most rules and documents a form is read with (a typing or posting mistake beyond).
MOST = 200
_MOVE = re.compile(r"^(remove|up|down)-(\d{1,3})\Z")


@dataclass(frozen=True, slots=True)
class CountryValues:
    """A country list as the form shows it: the sets ticked and the other codes typed."""

    sets: tuple[str, ...]
    codes: str


def rules_form_from(data: FormData) -> RulesForm:
    """The documents and rules the form posted (empty document rows left out)."""
    documents = tuple(
        (_text(data, f"doc-{n}-key"), _text(data, f"doc-{n}-title"))
        for n in range(1, _count(data, "doc_count") + 1)
        if _text(data, f"doc-{n}-key").strip() or _text(data, f"doc-{n}-title").strip()
    )
    rules = tuple(_rule(data, n) for n in range(1, _count(data, "rule_count") + 1))
    return RulesForm(documents, rules)


def apply_button(form: RulesForm, action: str, condition: str) -> RulesForm | None:
    """The form after the button ``action`` (``add``, ``remove-N``, ``up-N``, ``down-N``),
    or None for ``save`` and anything else."""
    rules = list(form.rules)
    if action == "add":
        number = len(rules) + 1
        rules.append(new_rule(condition, number=number))
        return RulesForm(form.documents, tuple(rules))
    matched = _MOVE.match(action)
    if matched is None or not 1 <= int(matched[2]) <= len(rules):
        return None
    index = int(matched[2]) - 1
    if matched[1] == "remove":
        del rules[index]
    else:
        other = index - 1 if matched[1] == "up" else index + 1
        if 0 <= other < len(rules):
            rules[index], rules[other] = rules[other], rules[index]
    return RulesForm(form.documents, tuple(rules))


def country_values(param: ParamField, values: Sequence[str]) -> CountryValues:
    """A country list's values split into the sets the form ticks and the codes it types."""
    sets = {value for value, _ in param.choices}
    return CountryValues(
        tuple(v for v in values if v in sets), ", ".join(v for v in values if v not in sets)
    )


def _rule(data: FormData, number: int) -> RuleEntry:
    prefix = f"rule-{number}-"
    condition = _text(data, f"{prefix}condition")
    form = condition_form(condition)
    return RuleEntry(
        id=_text(data, f"{prefix}id"),
        title=_text(data, f"{prefix}title"),
        condition=condition,
        params=_params(data, prefix, form) if form else {},
        document=_text(data, f"{prefix}document"),
        section=_text(data, f"{prefix}section"),
        quote=_text(data, f"{prefix}quote"),
        on_fail=_text(data, f"{prefix}on_fail") or "fail",
        advice=_text(data, f"{prefix}advice"),
    )


def _params(data: FormData, prefix: str, form: ConditionForm) -> dict[str, tuple[str, ...]]:
    params = {}
    for param in form.fields:
        name = f"{prefix}{param.name}"
        values = [str(v) for v in data.getlist(name)]
        if param.kind is FieldKind.COUNTRIES:
            values += [c for c in re.split(r"[\s,;]+", _text(data, f"{name}-codes")) if c]
        params[param.path] = tuple(values)
    return params


def _count(data: FormData, key: str) -> int:
    value = _text(data, key).strip()
    return min(int(value), MOST) if value.isascii() and value.isdigit() else 0


def _text(data: FormData, key: str) -> str:
    value = data.get(key, "")
    return value if isinstance(value, str) else ""
