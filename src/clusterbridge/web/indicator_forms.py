"""The indicators' forms (ADR 0029): an indicator with its targets by period, a manual value,
an activity to link. Numbers are read by the readers of every form (`web.numbers`: "1250.50"
or "1250,50"; an indicator in euros takes amounts as the pages print them, "EUR 12,000", as
the payment form does); a number whose separator may be a decimal point or a thousands
separator ("1.000", and "1,000" outside euros) is refused as ambiguous, and "1e-400", "inf"
or "nan" as no number. The service checks the rest."""

from decimal import Decimal

from pydantic import BaseModel, Field

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.indicators import (
    MAX_INDICATOR_NAME,
    MAX_UNIT,
    IndicatorSource,
    is_money_unit,
)
from clusterbridge.services import monitoring
from clusterbridge.web.numbers import read_euros, read_id, read_number

MAX_NUMBER_TEXT = 20


class IndicatorForm(BaseModel):
    """The new-indicator form, as typed; ``targets`` holds one entry per period, in order."""

    name: str = Field(default="", max_length=MAX_INDICATOR_NAME + 20)
    unit: str = Field(default="", max_length=MAX_UNIT + 20)
    #: Not capped: the service refuses a longer one beside the box, which keeps it.
    definition: str = ""
    baseline: str = Field(default="", max_length=MAX_NUMBER_TEXT)
    target: str = Field(default="", max_length=MAX_NUMBER_TEXT)
    source: str = Field(default="", max_length=40)
    targets: list[str] = Field(default_factory=list, max_length=200)


def parse_number(
    text: str, field: str, issues: list[InputIssue], *, unit: str = ""
) -> Decimal | None:
    """The number typed in ``field`` (None when empty); a reason in ``issues`` otherwise, in
    the words of every form (`web.numbers`). When ``unit`` is euros, an amount as the pages
    print it ("EUR 12,000", "1,250" a thousand and more, "1250,50" with cents); the service
    checks its range."""
    reader = read_euros if is_money_unit(unit) else read_number
    return reader(text, field, issues)


#: The fields in the form's order, which its summary of refused fields follows.
FIELD_ORDER = ("name", "unit", "source", "definition", "baseline", "target", "targets")


def read_draft(form: IndicatorForm) -> tuple[monitoring.IndicatorDraft, list[InputIssue]]:
    """The service's draft, each number or source that does not read left out, and an issue
    for each of those."""
    issues: list[InputIssue] = []
    sources = {source.value: source for source in IndicatorSource}
    if form.source and form.source not in sources:
        issues.append(InputIssue("", "source", "choose one of the sources listed"))
    baseline = parse_number(form.baseline, "baseline", issues, unit=form.unit)
    target = parse_number(form.target, "target", issues, unit=form.unit)
    targets: dict[int, Decimal] = {}
    for period, text in enumerate(form.targets, start=1):
        value = parse_number(text, f"targets.{period}", issues, unit=form.unit)
        if value is not None:
            targets[period] = value
    draft = monitoring.IndicatorDraft(
        name=form.name,
        unit=form.unit,
        definition=form.definition,
        baseline=baseline,
        target=target,
        source=sources.get(form.source),
        targets=targets,
    )
    return draft, issues


def in_form_order(issues: list[InputIssue]) -> list[InputIssue]:
    """``issues`` in the order of the form's fields (a period's target by its period)."""
    return sorted(issues, key=lambda issue: FIELD_ORDER.index(issue.field.split(".")[0]))


def link_of(choice: str) -> tuple[monitoring.LinkKind, int]:
    """``event:12`` as (kind, id), or ``InvalidInputError``."""
    kind, _, number = choice.partition(":")
    kinds = {kind.value: kind for kind in monitoring.LinkKind}
    found = read_id(number)
    if kind not in kinds or found is None:
        issue = InputIssue("", "link", "choose an event, a partnership or a call listed")
        raise InvalidInputError("Nothing was linked", [issue])
    return kinds[kind], found
