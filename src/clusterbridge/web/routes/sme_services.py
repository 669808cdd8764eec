"""Services to SMEs' pages: a project's catalogue and deliveries (with filters, figures and
the forms to add a service and record a delivery or a training), and the services an
organisation received, which its own people rate."""

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep
from clusterbridge.db.models import ServiceDelivery, User
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.domain.sme_services import (
    MAX_RATING,
    MIN_RATING,
    SERVICE_KIND_LABELS,
    ServiceKind,
    ServiceUnit,
)
from clusterbridge.services import monitoring
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.numbers import read_id
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router()

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
#: The longest filter value read (a longer one is refused beside its field, by `_read_filters`).
MAX_FILTER_LENGTH = 20
#: A filter of the query, as typed (checked by `_read_filters`, its length included).
Text = Annotated[str, Query()]


#: The filters of the deliveries, in the order the page shows them.
FILTER_FIELDS = ("service", "kind", "partner", "start", "end")
#: The new-service form's fields, in the order the page shows them (and its summary names them).
SERVICE_FIELDS = ("name", "kind", "unit", "description")


class ServiceForm(BaseModel):
    """The new-service form."""

    name: str = Field(default="", max_length=200)
    kind: str = Field(default=ServiceKind.TECHNICAL_ASSISTANCE.value, max_length=40)
    unit: str = Field(default=ServiceUnit.HOURS.value, max_length=10)
    #: Not capped: the service refuses a longer one beside the box, which keeps it.
    description: str = ""


class DeliveryForm(BaseModel):
    """The delivery form, as typed: the columns of a delivery file
    (`services.monitoring.service_files`)."""

    service: str = Field(default="", max_length=200)
    date: str = Field(default="", max_length=10)
    quantity: str = Field(default="", max_length=12)
    unit: str = Field(default="", max_length=10)
    organisation: str = Field(default="", max_length=300)
    delivered_by: str = Field(default="", max_length=12)
    person: str = Field(default="", max_length=200)
    follow_up: str = Field(default="", max_length=5000)
    participants: str = Field(default="", max_length=20000)


def _read_filters(
    service: str, kind: str, partner: str, start: str, end: str
) -> tuple[monitoring.DeliveryFilters, list[InputIssue]]:
    """The filters of the query (empty ones left out) and an issue naming each value that is
    not one (too long, an unknown kind, a wrong date) by its field; such a value is left out
    too."""
    issues: list[InputIssue] = []

    def short(text: str, field_name: str) -> str:
        if len(text) <= MAX_FILTER_LENGTH:
            return text
        reason = too_long_reason(MAX_FILTER_LENGTH, len(text))
        issues.append(InputIssue("", field_name, reason))
        return ""

    def number(text: str, field_name: str, what: str) -> int | None:
        text = short(text, field_name)
        found = read_id(text, low=0)
        if found is not None:
            return found
        if text:
            issues.append(InputIssue("", field_name, f"“{text}” is not {what}"))
        return None

    def day(text: str, field_name: str) -> date | None:
        text = short(text, field_name)
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            issues.append(InputIssue("", field_name, f"“{text}” is not a date (YYYY-MM-DD)"))
            return None

    kinds = {k.value: k for k in ServiceKind}
    kind = short(kind, "kind")
    if kind and kind not in kinds:
        issues.append(InputIssue("", "kind", f"“{kind}” is not a kind of service"))
    filters = monitoring.DeliveryFilters(
        number(service, "service", "a service of the project"),
        kinds.get(kind),
        number(partner, "partner", "a partner of the project"),
        day(start, "start"),
        day(end, "end"),
    )
    return filters, issues


def _services_page(
    request: Request,
    session: Session,
    user: User,
    project_id: int,
    *,
    filters: monitoring.DeliveryFilters | None = None,
    service_form: ServiceForm | None = None,
    delivery_form: DeliveryForm | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    project = monitoring.get_project(session, user, project_id)
    filters = filters or monitoring.DeliveryFilters()
    span = (project.start_date, project.end_date)
    errors = dict(errors or {})
    deliveries: list[ServiceDelivery] = []
    if not any(key.startswith("filter-") for key in errors):
        try:
            deliveries = monitoring.list_deliveries(session, user, project.id, filters)
        except InvalidInputError as error:
            errors |= _filter_errors(error.issues)
            status_code = error.status
    context: dict[str, Any] = {
        "project": project,
        "services": monitoring.list_services(session, user, project.id),
        "deliveries": deliveries,
        "filters": filters,
        "filtered": filters != monitoring.DeliveryFilters(),
        "filters_refused": any(key.startswith("filter-") for key in errors),
        "figures": {
            "delivered": monitoring.services_delivered(session, project.id, *span),
            "trained": monitoring.people_trained(session, project.id, *span),
            "supported": len(monitoring.supported_organisation_ids(session, project.id, *span)),
            "hours": monitoring.service_hours(session, project.id, *span),
        },
        "partners": sorted(project.members, key=lambda m: m.organisation.name),
        "can_manage": monitoring.can_manage(session, user, project),
        "kinds": SERVICE_KIND_LABELS,
        "units": list(ServiceUnit),
        "service_form": service_form or ServiceForm(),
        "delivery_form": delivery_form or DeliveryForm(),
        "errors": errors,
    }
    return render(request, "projects/services.html", context, user=user, status_code=status_code)


@router.get("/projects/{project_id}/services", response_class=HTMLResponse)
def services_page(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    service: Text = "",
    kind: Text = "",
    partner: Text = "",
    start: Text = "",
    end: Text = "",
) -> HTMLResponse:
    """The project's catalogue, its figures and its deliveries, filtered by service, kind,
    delivering partner and dates; a filter that is not one is named beside its field instead
    of the deliveries (422)."""
    filters, issues = _read_filters(service, kind, partner, start, end)
    errors = _filter_errors(issues)
    status_code = InvalidInputError.status if issues else 200
    return _services_page(
        request, session, user, project_id, filters=filters, errors=errors,
        status_code=status_code,
    )  # fmt: skip


def _filter_errors(issues: Iterable[InputIssue]) -> dict[str, str]:
    """The reasons of refused filters, keyed ``filter-<field>`` as the template shows them, in
    the order of the fields (the order the summary names them)."""
    order = {name: index for index, name in enumerate(FILTER_FIELDS)}
    ordered = sorted(issues, key=lambda issue: order.get(issue.field, len(order)))
    return {f"filter-{issue.field}": issue.reason for issue in ordered}


@router.post("/projects/{project_id}/services", response_model=None)
def add_service(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    form: Annotated[ServiceForm, Form()],
) -> Response:
    """Add a service to the catalogue."""
    kinds, units = {k.value: k for k in ServiceKind}, {u.value: u for u in ServiceUnit}
    try:
        issues = [
            InputIssue("", field, f"choose one of the {what} listed")
            for field, value, known, what in (
                ("kind", form.kind, kinds, "kinds"),
                ("unit", form.unit, units, "units"),
            )
            if value not in known
        ]
        if issues:
            issues += monitoring.check_service(
                session, user, project_id, name=form.name, description=form.description
            )
            issues.sort(key=lambda issue: SERVICE_FIELDS.index(issue.field))
            raise InvalidInputError("The service was not added", issues)
        draft = monitoring.ServiceDraft(
            form.name, kinds[form.kind], units[form.unit], form.description
        )
        monitoring.create_service(session, user, project_id, draft)
    except InvalidInputError as error:
        errors = {f"service-{k}": v for k, v in form_errors(error).items()}
        return _services_page(
            request, session, user, project_id, service_form=form, errors=errors,
            status_code=422,
        )  # fmt: skip
    return RedirectResponse(f"/projects/{project_id}/services?added=service", status_code=303)


@router.post("/projects/{project_id}/services/deliveries", response_model=None)
def add_delivery(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    form: Annotated[DeliveryForm, Form()],
) -> Response:
    """Record a delivery or a training session."""
    try:
        monitoring.record_delivery_text(session, user, project_id, form.model_dump())
    except InvalidInputError as error:
        errors = {f"delivery-{k}": v for k, v in form_errors(error).items()}
        return _services_page(
            request, session, user, project_id, delivery_form=form, errors=errors,
            status_code=422,
        )  # fmt: skip
    return RedirectResponse(f"/projects/{project_id}/services?added=delivery", status_code=303)


def _received_page(
    request: Request,
    session: Session,
    user: User,
    organisation_id: int,
    *,
    errors: dict[str, str] | None = None,
    failed: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    received = monitoring.received_services(session, user, organisation_id)
    context: dict[str, Any] = {
        "organisation": monitoring.own_organisation(session, user, organisation_id),
        "received": received,
        "may_rate": monitoring.may_rate(session, user, organisation_id),
        "scores": range(MIN_RATING, MAX_RATING + 1),
        "kinds": SERVICE_KIND_LABELS,
        "errors": errors or {},
        "failed": failed,
    }
    return render(
        request, "organisations/services.html", context, user=user, status_code=status_code
    )


@router.get("/organisations/{organisation_id}/services", response_class=HTMLResponse)
def received_page(
    request: Request, session: SessionDep, user: SignedInUser, organisation_id: Id
) -> HTMLResponse:
    """The services the organisation received from every project, with its ratings."""
    return _received_page(request, session, user, organisation_id)


@router.post("/organisations/{organisation_id}/services/{delivery_id}/rating", response_model=None)
def rate(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    now: NowDep,
    organisation_id: Id,
    delivery_id: Id,
    score: Annotated[str, Form(max_length=2)] = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Give or change the organisation's rating of a service it received."""
    try:
        monitoring.rate_delivery(
            session, user, delivery_id, organisation_id=organisation_id,
            score=read_id(score, low=0) or 0, comment=comment, now=now,
        )  # fmt: skip
    except InvalidInputError as error:
        return _received_page(
            request, session, user, organisation_id, errors=form_errors(error),
            failed=delivery_id, status_code=422,
        )  # fmt: skip
    target = f"/organisations/{organisation_id}/services?rated={delivery_id}#delivery-{delivery_id}"
    return RedirectResponse(target, status_code=303)
