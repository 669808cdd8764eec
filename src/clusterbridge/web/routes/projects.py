"""Monitored projects' pages: the list of a user's projects, a new project, and a project's page
with its partners. Indicators, services to SMEs and the analyses hang from the project page.

Every form posts to a route that redirects back (303) on success and shows the page again with
every reason on a mistake."""

from datetime import date
from typing import Annotated, Any

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from clusterbridge.api.deps import SessionDep
from clusterbridge.db.models import MonitoredProject, User
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.domain.monitoring import DEFAULT_PERIOD_MONTHS, PROJECT_KIND_LABELS, ProjectKind
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring
from clusterbridge.services.registry import OrganisationFilters, search_organisations
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.numbers import MAX_NUMBER_TEXT, read_id, read_whole_number
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/projects")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PARTNER_RESULTS = 10
#: A date that stands in for one not typed right, while the other fields are checked.
ANY_DAY = date(2000, 1, 1)
#: The form's labels, which its summary of refused fields names.
FIELD_LABELS = {
    "name": "Name", "acronym": "Acronym", "kind": "Kind", "start_date": "Start",
    "end_date": "End", "period_months": "Reporting period, in months",
    "description": "Description", "coordinator_id": "Coordinator",
}  # fmt: skip


class ProjectForm(BaseModel):
    """The new-project form, as typed (dates and numbers checked by ``draft_of``). A field the
    user types defaults to empty, so that one left empty is refused, not given a default (an
    empty form field reaches the model as missing); ``blank`` is the form a page first shows."""

    name: str = Field(default="", max_length=300)
    acronym: str = Field(default="", max_length=60)
    kind: str = Field(default=ProjectKind.EUROCLUSTER.value, max_length=40)
    # No cap: the service refuses a longer description beside its field, keeping the text.
    description: str = ""
    start_date: str = Field(default="", max_length=10)
    end_date: str = Field(default="", max_length=10)
    period_months: str = Field(default="", max_length=MAX_NUMBER_TEXT)
    coordinator_id: str = Field(default="", max_length=12)

    @classmethod
    def blank(cls) -> "ProjectForm":
        """The empty form, with the usual reporting period filled in."""
        return cls(period_months=str(DEFAULT_PERIOD_MONTHS))


def _whole(text: str) -> int | None:
    return read_id(text.strip(), low=0)


def _form_issues(form: ProjectForm) -> tuple[dict[str, Any], list[InputIssue]]:
    """The typed values of the form's details, and an issue for each that is not a date, a
    number or a known kind."""
    issues: list[InputIssue] = []
    kinds = {kind.value: kind for kind in ProjectKind}
    values: dict[str, Any] = {"name": form.name, "acronym": form.acronym}
    values["description"] = form.description
    if form.kind in kinds:
        values["kind"] = kinds[form.kind]
    else:
        issues.append(InputIssue("", "kind", "choose one of the kinds listed"))
    for field in ("start_date", "end_date"):
        try:
            values[field] = date.fromisoformat(getattr(form, field))
        except ValueError:
            issues.append(InputIssue("", field, "is not a date (YYYY-MM-DD)"))
    # The service checks the period's range, and its reason names the range.
    values["period_months"] = read_whole_number(
        form.period_months, "period_months", issues, required=True, missing="is required"
    )
    return values, issues


def _stand_ins(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with a harmless value for each field that is not typed right, so that the
    service checks the others (a missing date takes the other one)."""
    start = values.get("start_date") or values.get("end_date") or ANY_DAY
    return values | {
        "kind": values.get("kind", ProjectKind.EUROCLUSTER),
        "start_date": start,
        "end_date": values.get("end_date") or start,
        "period_months": 1 if values.get("period_months") is None else values["period_months"],
    }


def _checked(
    session: Session, form: ProjectForm, *, project_id: int | None
) -> tuple[dict[str, Any], list[InputIssue]]:
    """The form's typed values, and every issue with them: when a field is not typed right,
    those the service finds in the others too (``monitoring.check_project_details``)."""
    values, issues = _form_issues(form)
    if issues:
        named = {issue.field for issue in issues}
        stand_in = monitoring.ProjectDetails(**_stand_ins(values))
        found = monitoring.check_project_details(session, stand_in, project_id=project_id)
        issues += [issue for issue in found if issue.field not in named]
        # In the form's order, as its summary lists them.
        order = list(ProjectForm.model_fields)
        issues.sort(key=lambda issue: order.index(issue.field))
    return values, issues


def details_of(
    session: Session, form: ProjectForm, *, project_id: int
) -> monitoring.ProjectDetails:
    """The project's details as the service takes them, or ``InvalidInputError`` naming every
    field at fault."""
    values, issues = _checked(session, form, project_id=project_id)
    if issues:
        raise InvalidInputError("The project was not changed", issues)
    return monitoring.ProjectDetails(**values)


def draft_of(session: Session, form: ProjectForm) -> monitoring.ProjectDraft:
    """The service's draft of a new project, or ``InvalidInputError`` naming every field at
    fault (a coordinator not chosen included)."""
    values, issues = _checked(session, form, project_id=None)
    coordinator = _whole(form.coordinator_id)
    if coordinator is None:
        issues.append(InputIssue("", "coordinator_id", "choose one"))
    if issues or coordinator is None:
        raise InvalidInputError("The project was not created", issues)
    return monitoring.ProjectDraft(**values, coordinator_id=coordinator)


def form_of(project: MonitoredProject) -> ProjectForm:
    """The form filled with the project's details."""
    return ProjectForm(
        name=project.name, acronym=project.acronym, kind=project.kind.value,
        description=project.description, start_date=project.start_date.isoformat(),
        end_date=project.end_date.isoformat(), period_months=str(project.period_months),
    )  # fmt: skip


def _list_page(
    request: Request,
    session: Session,
    user: User,
    form: ProjectForm,
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "projects": monitoring.list_projects(session, user),
        "choices": monitoring.coordinator_choices(session, user),
        "kinds": PROJECT_KIND_LABELS,
        "form": form,
        "errors": errors,
        "labels": FIELD_LABELS,
    }
    return render(request, "projects/list.html", context, user=user, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def projects_page(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """The user's projects and the form to start following a new one."""
    return _list_page(request, session, user, ProjectForm.blank(), {})


@router.post("", response_model=None)
def create(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    form: Annotated[ProjectForm, Form()],
) -> Response:
    """Create the project and open its page."""
    try:
        project = monitoring.create_project(session, user, draft_of(session, form))
    except InvalidInputError as error:
        return _list_page(request, session, user, form, form_errors(error), status_code=422)
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


def _project_page(
    request: Request,
    session: Session,
    user: User,
    project_id: int,
    *,
    query: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    project = monitoring.get_project(session, user, project_id)
    found = []
    if query.strip():
        filters = OrganisationFilters(text=query)
        result = search_organisations(session, filters, per_page=PARTNER_RESULTS, with_facets=False)
        partners = set(monitoring.partner_ids(session, project.id))
        found = [item for item in result.items if item.id not in partners]
    context: dict[str, Any] = {
        "project": project,
        "kind_label": PROJECT_KIND_LABELS[project.kind],
        "periods": monitoring.project_periods(project),
        "can_manage": monitoring.can_manage(session, user, project),
        "query": query,
        "found": found,
        "errors": errors or {},
    }
    return render(request, "projects/detail.html", context, user=user, status_code=status_code)


@router.get("/{project_id}", response_class=HTMLResponse)
def project_page(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """The project: its kind, dates, reporting periods and partners; ``q`` searches the
    registry for a partner to add."""
    return _project_page(request, session, user, project_id, query=q)


@router.post("/{project_id}/partners", response_model=None)
def add_partner(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    organisation_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Add a registry organisation as a partner."""
    try:
        monitoring.add_partner(session, user, project_id, organisation_id)
    except (InvalidInputError, ConflictError) as error:
        errors = {"partners": " ".join(form_errors(error).values())}
        return _project_page(
            request, session, user, project_id, errors=errors, status_code=error.status
        )
    return RedirectResponse(f"/projects/{project_id}", status_code=303)


@router.post("/{project_id}/partners/{organisation_id}/remove", response_model=None)
def remove_partner(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    organisation_id: Id,
) -> Response:
    """Remove a partner (never the coordinator)."""
    try:
        monitoring.remove_partner(session, user, project_id, organisation_id)
    except ConflictError as error:
        return _project_page(
            request, session, user, project_id, errors={"partners": str(error)}, status_code=409
        )
    return RedirectResponse(f"/projects/{project_id}", status_code=303)


def _edit_page(
    request: Request,
    user: User,
    project: MonitoredProject,
    form: ProjectForm,
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "project": project, "form": form, "kinds": PROJECT_KIND_LABELS, "errors": errors,
        "labels": FIELD_LABELS,
    }  # fmt: skip
    return render(request, "projects/edit.html", context, user=user, status_code=status_code)


@router.get("/{project_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request, session: SessionDep, user: SignedInUser, project_id: Id
) -> HTMLResponse:
    """The project's details, ready to change (its partners' people and administrators)."""
    project = monitoring.managed_project(session, user, project_id)
    return _edit_page(request, user, project, form_of(project), {})


@router.post("/{project_id}/edit", response_model=None)
def edit(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    form: Annotated[ProjectForm, Form()],
) -> Response:
    """Save the project's details and go back to its page."""
    project = monitoring.managed_project(session, user, project_id)
    try:
        monitoring.update_project(
            session, user, project_id, details_of(session, form, project_id=project.id)
        )
    except InvalidInputError as error:
        return _edit_page(request, user, project, form, form_errors(error), status_code=422)
    return RedirectResponse(f"/projects/{project.id}", status_code=303)
