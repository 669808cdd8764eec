"""A project's indicators dashboard (ADR 0029): progress to target, values by period and
breakdowns as inline SVG charts with data tables; exports to CSV and XLSX with the same
figures; for the partners, the forms to define indicators, enter manual values with evidence,
link the activities that count, and issue frozen periodic reports.

Every form posts to a route that redirects back (303) on success and shows the page again with
the reasons on a mistake."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep, TodayDep
from clusterbridge.api.downloads import attachment, uploaded_attachment
from clusterbridge.db.models import User
from clusterbridge.domain.errors import (
    AccessDeniedError,
    ConflictError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.domain.indicators import SOURCE_LABELS, format_quantity, format_value
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring
from clusterbridge.services.evidence import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, Upload
from clusterbridge.services.workbooks import TableFormat
from clusterbridge.web import charts
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.indicator_forms import (
    IndicatorForm,
    in_form_order,
    link_of,
    parse_number,
    read_draft,
)
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/projects")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PeriodField = Annotated[int, Form(ge=1, le=1000)]
#: The longest note read from the value form (the service refuses beyond its MAX_NOTE).
MAX_NOTE_TEXT = 100_000


def _dashboard(
    request: Request,
    session: Session,
    user: User,
    project_id: int,
    *,
    today: date,
    form: IndicatorForm | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    project = monitoring.get_project(session, user, project_id)
    series = monitoring.project_series(session, project, today=today)
    manage = monitoring.can_manage(session, user, project)
    context: dict[str, Any] = {
        "project": project,
        "series": series,
        "columns": {s.id: charts.period_columns(s) for s in series},
        "bars": {s.id: charts.breakdown_bars(s.total, unit=s.unit) for s in series},
        "progress": {s.id: charts.progress_width(s.total) for s in series},
        "chart": charts,
        "fmt": format_value,
        "quantity": format_quantity,
        "periods": monitoring.project_periods(project),
        "started": [p for p in monitoring.project_periods(project) if p.start <= today],
        "can_manage": manage,
        "sources": SOURCE_LABELS,
        "links": monitoring.project_links(session, project.id),
        "choices": monitoring.link_choices(session, user, project.id) if manage else [],
        "reports": monitoring.project_reports(session, project),
        "form": form or IndicatorForm(),
        "errors": errors or {},
        # A refused value's form keeps what was typed (value-3, note-3).
        "typed": typed or {},
    }
    return render(request, "projects/indicators.html", context, user=user, status_code=status_code)


def _back(project_id: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/projects/{project_id}/indicators#{anchor}", status_code=303)


@router.get("/{project_id}/indicators", response_class=HTMLResponse)
def dashboard(
    request: Request, session: SessionDep, user: SignedInUser, project_id: Id, today: TodayDep
) -> HTMLResponse:
    """The project's indicators: progress to target, values by period, breakdowns."""
    return _dashboard(request, session, user, project_id, today=today)


@router.get("/{project_id}/indicators/export", response_model=None)
def export(
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    today: TodayDep,
    format: Annotated[TableFormat, Query()] = TableFormat.XLSX,
) -> Response:
    """The dashboard's figures as a CSV or XLSX file."""
    project = monitoring.get_project(session, user, project_id)
    series = monitoring.project_series(session, project, today=today)
    name = f"{project.acronym}-indicators-{today.isoformat()}.{format.value}"
    return attachment(
        monitoring.export_indicators(series, format), name, media_type=format.media_type
    )


@router.post("/{project_id}/indicators", response_model=None)
def create(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    today: TodayDep,
    form: Annotated[IndicatorForm, Form()],
) -> Response:
    """Define an indicator; a refusal names every field at fault, those the service checks
    included when a number does not read."""
    draft, issues = read_draft(form)
    try:
        if issues:
            named = {issue.field for issue in issues}
            others = monitoring.check_indicator_draft(session, user, project_id, draft)
            issues += [issue for issue in others if issue.field not in named]
            raise InvalidInputError("The indicator was not saved", in_form_order(issues))
        monitoring.create_indicator(session, user, project_id, draft)
    except InvalidInputError as error:
        return _dashboard(
            request, session, user, project_id, today=today, form=form,
            errors=form_errors(error), status_code=422,
        )  # fmt: skip
    return _back(project_id, "indicators")


@router.post("/{project_id}/indicators/{indicator_id}/remove", response_model=None)
def remove(session: SessionDep, user: SignedInUser, project_id: Id, indicator_id: Id) -> Response:
    """Remove an indicator (frozen reports keep their copy)."""
    monitoring.delete_indicator(session, user, indicator_id)
    return _back(project_id, "indicators")


@router.post("/{project_id}/indicators/{indicator_id}/values", response_model=None)
def record_value(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    indicator_id: Id,
    now: NowDep,
    today: TodayDep,
    period: PeriodField,
    value: Annotated[str, Form(max_length=40)] = "",
    # Far above the note's limit: a longer note is refused beside the field by the service,
    # with the text kept, rather than cut.
    note: Annotated[str, Form(max_length=MAX_NOTE_TEXT)] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Enter a manual value for a period, with evidence files."""
    uploads = [
        Upload(f.filename or "", f.content_type or "", f.file.read(MAX_EVIDENCE_BYTES + 1))
        for f in (files or [])[: MAX_EVIDENCE_FILES + 1]
        if f.filename
    ]
    indicator, _ = monitoring.get_indicator(session, user, indicator_id)
    issues: list[InputIssue] = []
    number = parse_number(value, "value", issues, unit=indicator.unit)
    if number is None:
        issues = issues or [InputIssue("", "value", "is required")]
    try:
        # A value that is no number is refused with the other fields' problems, all at once.
        monitoring.record_value(
            session,
            user,
            indicator_id,
            period=period,
            value=number if number is not None else Decimal(0),
            note=note,
            uploads=uploads,
            now=now,
            today=today,
            refused=issues,
        )
    except InvalidInputError as error:
        # Keyed as the indicator's own fields are (value-3, note-3), for each to show its own.
        errors = {
            f"{'indicator' if key == 'form' else key}-{indicator_id}": text
            for key, text in form_errors(error).items()
        }
        typed = {f"value-{indicator_id}": value, f"note-{indicator_id}": note}
        return _dashboard(request, session, user, project_id, today=today, errors=errors,
                          status_code=422, typed=typed)  # fmt: skip
    return _back(project_id, f"indicator-{indicator_id}")


@router.post("/{project_id}/links", response_model=None)
def link(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    today: TodayDep,
    choice: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Count an event, an exchange partnership or a cascade call for the project."""
    try:
        kind, target_id = link_of(choice)
        monitoring.link_activity(session, user, project_id, kind, target_id)
    except (InvalidInputError, ConflictError, AccessDeniedError) as error:
        errors = {
            "links": " ".join(form_errors(error).values())
            if isinstance(error, InvalidInputError)
            else str(error)
        }
        return _dashboard(
            request,
            session,
            user,
            project_id,
            today=today,
            errors=errors,
            status_code=error.status,
        )
    return _back(project_id, "links")


@router.post("/{project_id}/links/{kind}/{target_id}/remove", response_model=None)
def unlink(
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    kind: monitoring.LinkKind,
    target_id: Id,
) -> Response:
    """Stop counting an activity for the project."""
    monitoring.unlink_activity(session, user, project_id, kind, target_id)
    return _back(project_id, "links")


@router.post("/{project_id}/reports", response_model=None)
def issue_report(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    now: NowDep,
    today: TodayDep,
    period: PeriodField,
) -> Response:
    """Freeze the indicators' values for a period (a new version if issued before)."""
    try:
        report = monitoring.issue_report(session, user, project_id, period, now=now, today=today)
    except InvalidInputError as error:
        errors = {"reports": " ".join(form_errors(error).values())}
        return _dashboard(
            request, session, user, project_id, today=today, errors=errors, status_code=422
        )
    return RedirectResponse(f"/projects/{project_id}/reports/{report.id}", status_code=303)


def _frozen_value(value: Decimal | str | None, *, unit: str) -> str:
    """A report's value for people in its ``unit``; a breakdown keeps its values as text
    ("3.00")."""
    return format_value(Decimal(value) if isinstance(value, str) else value, unit=unit)


@router.get("/{project_id}/reports/{report_id}", response_class=HTMLResponse)
def report_page(
    request: Request, session: SessionDep, user: SignedInUser, project_id: Id, report_id: Id
) -> HTMLResponse:
    """A frozen periodic report with its evidence."""
    report, project = monitoring.get_report(session, user, report_id)
    if project.id != project_id:
        raise monitoring.IndicatorNotFoundError("No such report among the project's.")
    context = {"project": project, "report": report, "fmt": _frozen_value, "sources": SOURCE_LABELS}
    return render(request, "projects/report.html", context, user=user)


@router.get("/{project_id}/indicator-evidence/{evidence_id}", response_model=None)
def value_evidence(
    session: SessionDep, user: SignedInUser, project_id: Id, evidence_id: Id
) -> Response:
    """A manual value's evidence file, as uploaded (404 for a file of another project)."""
    found = monitoring.get_value_evidence(session, user, evidence_id, project_id=project_id)
    return uploaded_attachment(found, fallback="evidence")


@router.get("/{project_id}/report-evidence/{evidence_id}", response_model=None)
def report_evidence(
    session: SessionDep, user: SignedInUser, project_id: Id, evidence_id: Id
) -> Response:
    """A frozen copy of an evidence file (404 for a file of another project)."""
    found = monitoring.get_report_evidence(session, user, evidence_id, project_id=project_id)
    return uploaded_attachment(found, fallback="report-evidence")
