"""The ClusterXchange forms as typed, their parsing into the service's values (every bad field
at once), the words the pages show for the scheme's values, and the pages' error rendering."""

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.domain.enums import (
    ActivityType,
    CommitmentParty,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    RequestState,
)
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import exchanges as service
from clusterbridge.web.numbers import read_euros, read_whole_number
from clusterbridge.web.templating import render

KIND_WORDS = {
    OrganisationKind.CLUSTER_ORGANISATION: "Cluster organisation",
    OrganisationKind.BUSINESS_NETWORK: "Business network",
    OrganisationKind.SCALING_UP_SUPPORT: "Scaling-up support organisation (technology centre, research institute, innovation hub, incubator, accelerator)",
    OrganisationKind.SME: "SME",
    OrganisationKind.OTHER: "Other",
}
PARTY_WORDS = {
    CommitmentParty.VISITOR: "the visitor",
    CommitmentParty.HOST: "the host",
    CommitmentParty.VISITOR_PARTNERSHIP: "the visitor's partnership",
    CommitmentParty.HOST_PARTNERSHIP: "the host's partnership",
}
REQUEST_WORDS = {
    RequestState.OPEN: "Waiting for the host's answer",
    RequestState.ACCEPTED: "Accepted",
    RequestState.DECLINED: "Declined",
}
STATE_WORDS = {
    ExchangeState.PROPOSED: "Waiting for approvals",
    ExchangeState.CONFIRMED: "Confirmed",
    ExchangeState.REPORTED: "Report sent",
    ExchangeState.VALIDATED: "Report validated, payment due",
    ExchangeState.PAID: "Paid",
    ExchangeState.CANCELLED: "Cancelled",
}


#: The enrolment form's labels, in its order, which its summary of refused fields names.
ENROLMENT_LABELS = {
    "organisation_id": "Organisation", "partnership_id": "Partnership that will validate you",
    "role": "Take part as", "kind": "Kind of organisation",
    "cluster_member": "Member of a cluster", "place": "Place distances are measured from",
    "motivation": "Motivation", "activity_types": "What the exchange is for",
    "preferred_countries": "Preferred countries", "preferred_sectors": "Preferred sectors",
    "available_from": "Available from", "available_until": "Available until",
    "capacity": "Hosts: visitors at the same time",
    "host_exception": "Hosts of another kind: why the partnership should accept you",
}  # fmt: skip
#: The partnership form's labels, in its order.
PARTNERSHIP_LABELS = {
    "name": "Name", "country": "Country",
    "members": "E-mail addresses of the people who act for it",
}  # fmt: skip
#: The labels of the partnership page's form that sets up an exchange, in its order.
PROPOSAL_LABELS = {
    "visitor_id": "Visitor", "host_id": "Host", "start": "First day at the host",
    "end": "Last day at the host", "activity_type": "What it is for", "goals": "Goals",
    "objectives": "Objectives", "agenda": "Agenda",
}  # fmt: skip
#: The labels of the exchange page's forms (closing report, payment, cancelling), in its order.
EXCHANGE_LABELS = {
    "report": "What the exchange achieved", "evidence": "Evidence", "paid_on": "Paid on",
    "amount": "Amount (EUR)", "reference": "Reference", "reason": "Why it is cancelled",
}  # fmt: skip


class EnrolmentForm(BaseModel):
    """The enrolment form as typed (checked by the service). ``capacity`` defaults to empty,
    so that a host who empties it is refused, not given 1 (an empty form field reaches the
    model as missing); ``blank`` is the form the page first shows."""

    organisation_id: str = ""
    partnership_id: str = ""
    role: str = ""
    kind: str = ""
    cluster_member: str = ""
    place: str = ""
    motivation: str = ""
    activity_types: list[str] = []
    preferred_countries: str = ""
    preferred_sectors: str = ""
    available_from: str = ""
    available_until: str = ""
    capacity: str = ""
    host_exception: str = ""

    @classmethod
    def blank(cls) -> "EnrolmentForm":
        """The enrolment form as first shown: a host takes one visitor at a time."""
        return cls(capacity="1")


class ProposalForm(BaseModel):
    """The form that sets up an exchange."""

    visitor_id: str = ""
    host_id: str = ""
    start: str = ""
    end: str = ""
    activity_type: str = ""
    goals: str = ""
    objectives: str = ""
    agenda: str = ""


class PartnershipForm(BaseModel):
    """The form that creates a partnership: members are e-mails, one a line or comma-separated."""

    name: str = ""
    country: str = ""
    members: str = ""


class PaymentForm(BaseModel):
    """The payment form."""

    paid_on: str = ""
    amount: str = ""
    reference: str = ""


def error_page(request: Request, user: User, error: Exception) -> HTMLResponse:
    status = getattr(error, "status", 400)
    return render(
        request, "exchanges/problem.html", {"message": str(error)}, user=user, status_code=status
    )


def ordered(errors: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """``errors`` in the order of the form's ``labels`` (the order its summary lists them);
    the page's own error ("form") and unknown fields last."""
    order = list(labels)
    return dict(
        sorted(
            errors.items(),
            key=lambda item: order.index(item[0]) if item[0] in order else len(order),
        )
    )


def form_errors(error: Exception) -> dict[str, str]:
    """Each field's problems (several joined by "; ", as `field_errors` joins them), the
    page's own under "form"."""
    if isinstance(error, InvalidInputError):
        found: dict[str, str] = {}
        for issue in error.issues:
            text = f"{issue.location}: {issue.reason}" if issue.location else issue.reason
            field = issue.field or "form"
            found[field] = f"{found[field]}; {text}" if field in found else text
        return found
    return {"form": str(error)}


def _capacity(text: str, role: ExchangeRole | None, issues: list[InputIssue]) -> int:
    """A host's capacity as typed (required); a visitor's is not used, and may be empty."""
    if role is not ExchangeRole.HOST and not text.strip():
        return 1
    # The service checks the capacity's range, and its reason names the range.
    number = read_whole_number(text, "capacity", issues, required=True, missing="is required")
    return 1 if number is None else number


def enrolment_of(session: Session, form: EnrolmentForm) -> service.Enrolment:
    """The form as an enrolment; InvalidInputError naming every bad field, those the service
    checks included, when one of the form's own choices, numbers or dates is bad."""
    issues: list[InputIssue] = []
    organisation = _number(
        form.organisation_id, "organisation_id", "choose an organisation", issues
    )
    partnership = _number(form.partnership_id, "partnership_id", "choose a partnership", issues)
    role = _choice(ExchangeRole, form.role, "role", issues)
    kind = _choice(OrganisationKind, form.kind, "kind", issues)
    activities = tuple(
        a
        for a in (_choice(ActivityType, v, "activity_types", issues) for v in form.activity_types)
        if a
    )
    capacity = _capacity(form.capacity, role, issues)
    available_from = (
        _date(form.available_from, "available_from", issues)
        if form.available_from.strip()
        else None
    )
    available_until = (
        _date(form.available_until, "available_until", issues)
        if form.available_until.strip()
        else None
    )
    countries = _listed(form.preferred_countries)
    sectors = _listed(form.preferred_sectors)
    _at_most(countries, service.MAX_PREFERRED_COUNTRIES, "preferred_countries", "countries", issues)
    _at_most(sectors, service.MAX_PREFERRED_SECTORS, "preferred_sectors", "sectors", issues)
    enrolment = service.Enrolment(
        organisation_id=organisation or 0,
        partnership_id=partnership or 0,
        # An unknown role counts as a host's, so that no check of the other fields blames it.
        role=role or ExchangeRole.HOST,
        kind=kind or OrganisationKind.SME,
        cluster_member={"yes": True, "no": False}.get(form.cluster_member),
        motivation=form.motivation,
        activity_types=activities,
        place=form.place,
        preferred_countries=countries,
        preferred_sectors=sectors,
        available_from=available_from,
        available_until=available_until,
        capacity=capacity,
        host_exception=form.host_exception,
    )
    if issues:
        named = {issue.field for issue in issues}
        others = service.check_enrolment(session, enrolment)
        issues += [issue for issue in others if issue.field not in named]
        raise InvalidInputError("The enrolment cannot be saved.", issues)
    return enrolment


def _listed(text: str) -> tuple[str, ...]:
    """The items of a box "separated by commas", empty ones left out."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _at_most(
    items: tuple[str, ...], most: int, field: str, what: str, issues: list[InputIssue]
) -> None:
    """Refuse more than ``most`` items (the limit the API's body sets)."""
    if len(items) > most:
        issues.append(InputIssue("", field, f"name at most {most} {what} (there are {len(items)})"))


def proposal_of(form: ProposalForm, *, today: date) -> service.Proposal:
    """The form as a proposal; InvalidInputError naming every bad field, the texts and days
    the service checks included, when one of the form's own choices or dates is bad."""
    issues: list[InputIssue] = []
    visitor = _number(form.visitor_id, "visitor_id", "choose a visitor", issues)
    host = _number(form.host_id, "host_id", "choose a host", issues)
    start = _date(form.start, "start", issues)
    end = _date(form.end, "end", issues)
    activity = _choice(ActivityType, form.activity_type, "activity_type", issues)
    if issues:
        issues += service.check_proposal(goals=form.goals, objectives=form.objectives,
                                         agenda=form.agenda, start=start, end=end,
                                         today=today)  # fmt: skip
        raise InvalidInputError("The exchange cannot be set up.", issues)
    if visitor is None or host is None or start is None or end is None or activity is None:
        raise InvalidInputError("The exchange cannot be set up.", issues)
    return service.Proposal(
        visitor_id=visitor,
        host_id=host,
        start=start,
        end=end,
        activity_type=activity,
        goals=form.goals,
        objectives=form.objectives,
        agenda=form.agenda,
    )


def payment_of(
    session: Session,
    user: User,
    exchange_id: int,
    form: PaymentForm,
    *,
    today: date,
    time_zone: str,
) -> tuple[date, Decimal]:
    """The day and the amount of the form; InvalidInputError naming every bad field, those
    the service checks included (the reference's length say), when the day or the amount
    cannot be read."""
    issues: list[InputIssue] = []
    paid_on = _date(form.paid_on, "paid_on", issues)
    amount = read_euros(form.amount, "amount", issues)
    if amount is None and not form.amount.strip():
        issues.append(InputIssue("", "amount", "give the amount in euros, e.g. 780"))
    if issues or paid_on is None or amount is None:
        issues += service.check_payment(session, user, exchange_id, paid_on=paid_on,
                                        amount=amount, reference=form.reference,
                                        today=today, time_zone=time_zone)  # fmt: skip
        raise InvalidInputError("The payment cannot be recorded.", issues)
    return paid_on, amount


def _number(text: str, field: str, reason: str, issues: list[InputIssue]) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        issues.append(InputIssue("", field, reason))
        return None
    if not 1 <= value <= MAX_ID:
        issues.append(InputIssue("", field, reason))
        return None
    return value


def _date(text: str, field: str, issues: list[InputIssue]) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        issues.append(InputIssue("", field, "give a date (year-month-day)"))
        return None


def _choice(enum: Any, text: str, field: str, issues: list[InputIssue]) -> Any:
    try:
        return enum(text)
    except ValueError:
        issues.append(InputIssue("", field, "choose one of the options"))
        return None
