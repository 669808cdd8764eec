"""A project's indicators (ADR 0029): defined by its partners (name, unit, definition,
baseline, end target, targets by reporting period and a computed source, or none for manual
values), and the manual values with their evidence files. Everyone who sees the project sees
its indicators; its partners and the administrators change them."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Indicator,
    IndicatorEvidence,
    IndicatorTarget,
    IndicatorValue,
    MonitoredProject,
    User,
)
from clusterbridge.db.repositories import indicators as repository
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.indicators import (
    MAX_DEFINITION,
    MAX_INDICATOR_NAME,
    MAX_NOTE,
    MAX_UNIT,
    MAX_VALUE,
    IndicatorSource,
    as_value,
)
from clusterbridge.domain.money import format_number
from clusterbridge.domain.monitoring import Period
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.evidence import MAX_EVIDENCE_FILES, Upload, check_uploads
from clusterbridge.services.monitoring.projects import (
    ProjectNotFoundError,
    get_project,
    managed_project,
    project_periods,
)
from clusterbridge.services.text import required_text_reason


class IndicatorNotFoundError(DomainError):
    """No such indicator, evidence file or report, or one of a project the user may not see."""

    status = 404


@dataclass(frozen=True, slots=True)
class IndicatorDraft:
    """An indicator as a partner defines it; ``source`` None means manual values;
    ``targets`` maps a period number to the value expected in that period."""

    name: str
    unit: str
    definition: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    source: IndicatorSource | None = None
    targets: dict[int, Decimal] = field(default_factory=dict)


def _value_issue(name: str, value: Decimal | None) -> list[InputIssue]:
    if value is None or (value.is_finite() and Decimal(0) <= value <= MAX_VALUE):
        return []
    return [InputIssue("", name, f"must be a number from 0 to {MAX_VALUE}")]


def _check_draft(
    session: Session, project: MonitoredProject, draft: IndicatorDraft, *, other_than: int | None
) -> None:
    issues = _draft_issues(session, project, draft, other_than=other_than)
    if issues:
        raise InvalidInputError("The indicator was not saved", issues)


def check_indicator_draft(
    session: Session, actor: User, project_id: int, draft: IndicatorDraft
) -> list[InputIssue]:
    """An issue for each field of ``draft`` that ``create_indicator`` refuses, for a form that
    names them with its own (``AccessDeniedError`` as there). Reads only."""
    project = managed_project(session, actor, project_id)
    return _draft_issues(session, project, draft, other_than=None)


def _draft_issues(
    session: Session, project: MonitoredProject, draft: IndicatorDraft, *, other_than: int | None
) -> list[InputIssue]:
    issues: list[InputIssue] = []
    name = " ".join(draft.name.split())
    if reason := required_text_reason(name, MAX_INDICATOR_NAME):
        issues.append(InputIssue("", "name", reason))
    elif repository.name_taken(session, project.id, name, other_than=other_than):
        issues.append(InputIssue("", "name", f'"{name}" is the name of another indicator'))
    if reason := required_text_reason(draft.unit, MAX_UNIT):
        issues.append(InputIssue("", "unit", reason))
    if len(draft.definition) > MAX_DEFINITION:
        issues.append(
            InputIssue("", "definition", too_long_reason(MAX_DEFINITION, len(draft.definition)))
        )
    issues += _value_issue("baseline", draft.baseline) + _value_issue("target", draft.target)
    periods = len(project_periods(project))
    for period, value in sorted(draft.targets.items()):
        if not 1 <= period <= periods:
            issues.append(
                InputIssue("", f"targets.{period}", f"the project has periods 1 to {periods}")
            )
        issues += _value_issue(f"targets.{period}", value)
    if any(issue.field.startswith("target") for issue in issues):
        return issues
    return issues + _targets_beyond_end(draft)


def _targets_beyond_end(draft: IndicatorDraft) -> list[InputIssue]:
    """A period target above the end target; for a manual indicator, whose total to date is
    the sum of its periods' values, period targets adding up to more than the end target. (A
    computed indicator's periods may add up to more: an SME supported in two periods counts
    once to date.)"""
    end = draft.target
    if end is None or not draft.targets:
        return []
    for period, value in sorted(draft.targets.items()):
        if value > end:
            reason = f"is more than the end target of {format_number(end)}"
            return [InputIssue("", f"targets.{period}", reason)]
    total = sum(draft.targets.values(), Decimal(0))
    if draft.source is None and total > end:
        reason = (
            f"the period targets add up to {format_number(total)}, more than the end target of "
            f"{format_number(end)} (the total to date is the sum of the periods' values)"
        )
        return [InputIssue("", "targets", reason)]
    return []


def _apply(indicator: Indicator, draft: IndicatorDraft) -> None:
    indicator.name = " ".join(draft.name.split())
    indicator.unit = draft.unit.strip()
    indicator.definition = draft.definition.strip()
    indicator.baseline = None if draft.baseline is None else as_value(draft.baseline)
    indicator.target = None if draft.target is None else as_value(draft.target)
    indicator.source = None if draft.source is None else draft.source.value
    indicator.targets = [
        IndicatorTarget(period=period, value=as_value(value))
        for period, value in sorted(draft.targets.items())
    ]


def create_indicator(
    session: Session, actor: User, project_id: int, draft: IndicatorDraft
) -> Indicator:
    """Define an indicator of a project the actor manages, after checking every field
    (``InvalidInputError`` naming each). Flushes."""
    project = managed_project(session, actor, project_id)
    _check_draft(session, project, draft, other_than=None)
    indicator = Indicator(project_id=project.id, targets=[])
    _apply(indicator, draft)
    session.add(indicator)
    session.flush()
    return indicator


def update_indicator(
    session: Session, actor: User, indicator_id: int, draft: IndicatorDraft
) -> Indicator:
    """Change an indicator (every field replaced, targets too). Frozen reports keep what they
    froze. Flushes."""
    indicator, project = managed_indicator(session, actor, indicator_id)
    _check_draft(session, project, draft, other_than=indicator.id)
    _apply(indicator, draft)
    session.flush()
    return indicator


def delete_indicator(session: Session, actor: User, indicator_id: int) -> None:
    """Remove an indicator with its targets and manual values; frozen reports keep their
    copy. Flushes."""
    indicator, _ = managed_indicator(session, actor, indicator_id)
    session.delete(indicator)
    session.flush()


def get_indicator(
    session: Session, user: User | None, indicator_id: int
) -> tuple[Indicator, MonitoredProject]:
    """An indicator and its project, if the user sees the project (``IndicatorNotFoundError``
    otherwise)."""
    indicator = repository.indicator(session, indicator_id)
    if indicator is None or user is None:
        raise IndicatorNotFoundError("No such indicator among your projects'.")
    try:
        project = get_project(session, user, indicator.project_id)
    except DomainError as error:
        raise IndicatorNotFoundError("No such indicator among your projects'.") from error
    return indicator, project


def managed_indicator(
    session: Session, user: User | None, indicator_id: int
) -> tuple[Indicator, MonitoredProject]:
    """As ``get_indicator``, and the user must manage the project (``AccessDeniedError``)."""
    indicator, project = get_indicator(session, user, indicator_id)
    return indicator, managed_project(session, user, project.id)


def project_indicators(session: Session, project_id: int) -> list[Indicator]:
    """The project's indicators in the order defined, targets loaded (no access check: the
    caller has the project)."""
    return repository.indicators(session, project_id)


def record_value(
    session: Session,
    actor: User,
    indicator_id: int,
    *,
    period: int,
    value: Decimal,
    note: str = "",
    uploads: list[Upload] | None = None,
    now: datetime,
    today: date,
    refused: Sequence[InputIssue] = (),
) -> IndicatorValue:
    """Set a manual indicator's value for a period of the project that has started by
    ``today`` (the site's date at ``now``; the dashboard shows no other), replacing the one
    there was, with a note and evidence files added to those it has (PDF, JPEG or PNG, 5 MB
    each, 10 per value). Nothing is stored if anything is refused: ``InvalidInputError``
    names every field at fault, with ``refused`` (what the caller already refused, such as a
    value typed that is no number: ``value`` is then not checked) first. Flushes."""
    indicator, project = managed_indicator(session, actor, indicator_id)
    existing = repository.manual_value(session, indicator.id, period)
    files = uploads or []
    _check_value(
        indicator, project, period=period, value=None if refused else value, note=note,
        files=files, existing=existing, today=today, refused=refused,
    )  # fmt: skip
    row = existing or IndicatorValue(indicator_id=indicator.id, period=period, evidence=[])
    row.value, row.note = as_value(value), note.strip()
    row.recorded_by_id, row.recorded_at = actor.id, now
    row.evidence.extend(
        IndicatorEvidence(
            file_name=(u.file_name or "evidence")[:200],
            content_type=u.content_type,
            size=len(u.content),
            content=u.content,
            uploaded_at=now,
        )
        for u in files
    )
    session.add(row)
    session.flush()
    return row


def _check_value(
    indicator: Indicator,
    project: MonitoredProject,
    *,
    period: int,
    value: Decimal | None,
    note: str,
    files: list[Upload],
    existing: IndicatorValue | None,
    today: date,
    refused: Sequence[InputIssue],
) -> None:
    issues = list(refused)
    if indicator.source is not None:
        issues.append(
            InputIssue("", "indicator", "is computed by the platform; it takes no values")
        )
    issues += _period_issue(project_periods(project), period, today=today)
    if value is not None:
        issues += _value_issue("value", value)
    if len(note) > MAX_NOTE:
        issues.append(InputIssue("", "note", too_long_reason(MAX_NOTE, len(note))))
    held = len(existing.evidence) if existing else 0
    issues += check_uploads(files, limit=MAX_EVIDENCE_FILES - held)
    if issues:
        raise InvalidInputError("The value was not recorded", issues)


def _period_issue(periods: list[Period], number: int, *, today: date) -> list[InputIssue]:
    """Why a value may not be entered for the period ``number``: the project has no such
    period, or it starts after ``today``."""
    if not 1 <= number <= len(periods):
        return [InputIssue("", "period", f"the project has periods 1 to {len(periods)}")]
    start = periods[number - 1].start
    if start > today:
        reason = f"period {number} has not started (it starts on {day_text(start)})"
        return [InputIssue("", "period", reason)]
    return []


def manual_values(
    session: Session, indicators: list[Indicator]
) -> dict[tuple[int, int], IndicatorValue]:
    """The manual values of the indicators by (indicator id, period), evidence listed."""
    rows = repository.manual_values(session, [i.id for i in indicators])
    return {(row.indicator_id, row.period): row for row in rows}


def get_value_evidence(
    session: Session, user: User | None, evidence_id: int, *, project_id: int
) -> IndicatorEvidence:
    """One evidence file of a manual value of project ``project_id`` with its bytes, for those
    who see the project (``check_file_project``)."""
    found = repository.evidence_with_content(session, evidence_id)
    indicator_id = repository.value_owner(session, found.value_id) if found else None
    indicator = repository.indicator(session, indicator_id) if indicator_id else None
    if found is None or indicator is None:
        raise missing_file()
    check_file_project(session, user, indicator.project_id, project_id=project_id)
    return found


def missing_file() -> IndicatorNotFoundError:
    """The one error for an unknown evidence file, one of another project and one the user
    may not see, which tells none of them apart."""
    return IndicatorNotFoundError("No such file among your projects'.")


def check_file_project(
    session: Session, user: User | None, owner_id: int, *, project_id: int
) -> None:
    """Refuse (``missing_file``) a file of project ``owner_id`` asked for under project
    ``project_id``, or one of a project ``user`` does not see (``get_project``)."""
    if owner_id != project_id:
        raise missing_file()
    try:
        get_project(session, user, project_id)
    except ProjectNotFoundError:
        raise missing_file() from None
