"""ClusterXchange pages: a user's enrolments and exchanges, the enrolment form, a partnership's
page (dashboard, validation queue, setting up exchanges), a participant's profile with the
catalogue of the other side and an exchange's page (Commitment to
Quality and its approvals, closing report, validation, payment).

Every form posts to a route that redirects back (303) on success and shows the page again,
with what was typed and every reason, on a mistake.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterbridge.api.deps import ExchangeNotifierDep, NowDep, ProgrammeDep, SessionDep
from clusterbridge.db.models import ExchangeRequest, User
from clusterbridge.domain.enums import (
    ActivityType,
    CommitmentParty,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    RequestState,
    UserRole,
    ValidationState,
)
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.engines.exchanges import Method
from clusterbridge.services import exchanges as service
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/exchanges")

MAX_ID = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
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
}


class EnrolmentForm(BaseModel):
    """The enrolment form as typed (checked by the service)."""

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
    capacity: str = "1"
    host_exception: str = ""


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


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """The user's enrolments, exchanges and the partnerships they act for."""
    return render(request, "exchanges/home.html", _home_context(session, user), user=user)


@router.get("/enrol", response_class=HTMLResponse)
def enrol_page(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """The enrolment form."""
    context = _enrol_context(session, user, EnrolmentForm(), {})
    return render(request, "exchanges/enrol.html", context, user=user)


@router.post("/enrol", response_model=None)
def enrol(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    form: Annotated[EnrolmentForm, Form()],
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
) -> Response:
    """Enrol; back to the overview, or the form with every reason."""
    try:
        participant = service.enrol(
            session, user, _enrolment(session, form), programme=programme, notifier=notifier
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        context = _enrol_context(session, user, form, _errors(error))
        return render(request, "exchanges/enrol.html", context, user=user, status_code=error.status)
    return RedirectResponse(f"/exchanges?enrolled={participant.id}", status_code=303)


@router.get("/partnerships/new", response_class=HTMLResponse)
def new_partnership_page(request: Request, user: SignedInUser) -> HTMLResponse:
    """The form that creates a partnership (administrators)."""
    _require_administrator(user)
    context = {"form": PartnershipForm(), "errors": {}}
    return render(request, "exchanges/new_partnership.html", context, user=user)


@router.post("/partnerships/new", response_model=None)
def create_partnership(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    form: Annotated[PartnershipForm, Form()],
) -> Response:
    """Create a partnership; to its page, or the form with every reason."""
    try:
        partnership = service.create_partnership_from_form(
            session, user, name=form.name, country=form.country, member_emails=form.members
        )
    except InvalidInputError as error:
        context = {"form": form, "errors": _errors(error)}
        return render(
            request,
            "exchanges/new_partnership.html",
            context,
            user=user,
            status_code=error.status,
        )
    return RedirectResponse(f"/exchanges/partnerships/{partnership.id}", status_code=303)


@router.get("/partnerships/{partnership_id}", response_class=HTMLResponse)
def partnership_page(
    *, request: Request, session: SessionDep, user: SignedInUser, partnership_id: Id, now: NowDep
) -> HTMLResponse:
    """A partnership's dashboard, validation queue and exchanges."""
    context = _partnership_context(
        session, user, partnership_id, now=now, form=ProposalForm(), errors={}
    )
    return render(request, "exchanges/partnership.html", context, user=user)


@router.get("/participants/{participant_id}", response_class=HTMLResponse)
def participant_page(
    *, request: Request, session: SessionDep, user: SignedInUser, participant_id: Id
) -> HTMLResponse:
    """A participant's profile, its requests and, once validated, the catalogue of the other
    side with matching suggestions and their reasons."""
    context = _participant_context(session, user, participant_id, typed={}, errors={})
    return render(request, "exchanges/participant.html", context, user=user)


@router.post("/participants/{participant_id}/requests", response_model=None)
def ask_host(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    participant_id: Id,
    host_id: Annotated[str, Form()] = "",
    message: Annotated[str, Form()] = "",
    notifier: ExchangeNotifierDep,
) -> Response:
    """Ask a host for an exchange; back to the profile, or the page with the reason and the
    message as typed (a conflict is the error page)."""
    host = int(host_id) if host_id.isdigit() and int(host_id) <= MAX_ID else 0
    try:
        service.ask_host(
            session, user, participant_id, host_id=host, message=message, notifier=notifier
        )
    except InvalidInputError as error:
        # A conflict (asked already, visit once) is the error page, as the claims' is.
        found = _errors(error)
        reason = f"The message {found['message']}." if "message" in found else str(error)
        context = _participant_context(
            session, user, participant_id, typed={host: message}, errors={host: reason}
        )
        return render(
            request, "exchanges/participant.html", context, user=user, status_code=error.status
        )
    return RedirectResponse(f"/exchanges/participants/{participant_id}#requests", status_code=303)


@router.post("/requests/{request_id}/{answer}", response_model=None)
def answer_request(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    request_id: Id,
    answer: Annotated[str, Path(pattern="^(accept|decline)$")],
    text: Annotated[str, Form()] = "",
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> Response:
    """Accept or decline a request; back to the host's profile."""
    try:
        answered = service.answer_request(
            session,
            user,
            request_id,
            accept=answer == "accept",
            answer=text,
            now=now,
            notifier=notifier,
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        return _error_page(request, user, error)
    return RedirectResponse(f"/exchanges/participants/{answered.host_id}#requests", status_code=303)


@router.post("/participants/{participant_id}/{decision}", response_model=None)
def decide(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    participant_id: Id,
    decision: Annotated[str, Path(pattern="^(validate|refuse)$")],
    reason: Annotated[str, Form()] = "",
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> Response:
    """Validate or refuse an enrolment; back to the partnership's page."""
    try:
        participant = service.decide_enrolment(
            session,
            user,
            participant_id,
            approve=decision == "validate",
            reason=reason,
            now=now,
            programme=programme,
            notifier=notifier,
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        return _error_page(request, user, error)
    return RedirectResponse(
        f"/exchanges/partnerships/{participant.partnership_id}#queue", status_code=303
    )


@router.post("/partnerships/{partnership_id}/exchanges", response_model=None)
def propose(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    partnership_id: Id,
    form: Annotated[ProposalForm, Form()],
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> Response:
    """Set up an exchange; to its page, or the partnership's page with every reason."""
    try:
        proposal = _proposal(form)
        exchange = service.propose_exchange(
            session, user, proposal, programme=programme, now=now, notifier=notifier
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        context = _partnership_context(
            session, user, partnership_id, now=now, form=form, errors=_errors(error)
        )
        return render(
            request, "exchanges/partnership.html", context, user=user, status_code=error.status
        )
    return RedirectResponse(f"/exchanges/{exchange.id}", status_code=303)


@router.post("/partnerships/{partnership_id}/assignment", response_class=HTMLResponse)
def assignment(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    partnership_id: Id,
    now: NowDep,
    method: Annotated[Method, Form()] = Method.STABLE,
) -> HTMLResponse:
    """Run the assignment over the ranked lists and show its pairs on the partnership's page
    (nothing is written)."""
    run = service.run_assignment(session, user, partnership_id, method=method)
    context = _partnership_context(
        session, user, partnership_id, now=now, form=ProposalForm(), errors={}
    )
    names = {str(i): p.organisation.name for i, p in run.participants.items()}
    context["run"] = {
        "method": method,
        "matches": [(names[m.visitor], names[m.host]) for m in run.result.matches],
        "unmatched": [names[v] for v in run.result.unmatched],
        "blocking": len(run.result.report.blocking_pairs),
    }
    return render(request, "exchanges/partnership.html", context, user=user)


@router.get("/{exchange_id}", response_class=HTMLResponse)
def exchange_page(
    *, request: Request, session: SessionDep, user: SignedInUser, exchange_id: Id
) -> HTMLResponse:
    """An exchange: the stay and its lump sum, approvals, report, validation and payment."""
    context = _exchange_context(session, user, exchange_id, PaymentForm(), {})
    return render(request, "exchanges/exchange.html", context, user=user)


@router.get("/{exchange_id}/commitment.pdf", response_model=None)
def commitment(session: SessionDep, user: SignedInUser, exchange_id: Id, now: NowDep) -> Response:
    """The Commitment to Quality as PDF."""
    pdf = service.commitment_pdf(session, user, exchange_id, now=now)
    disposition = f'inline; filename="commitment-{exchange_id}.pdf"'
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.post("/{exchange_id}/approve", response_model=None)
def approve(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    exchange_id: Id,
    party: Annotated[CommitmentParty, Form()],
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> Response:
    """Approve the Commitment to Quality for one party."""
    try:
        service.approve_commitment(
            session, user, exchange_id, party=party, now=now, notifier=notifier
        )
    except service.ExchangeConflictError as error:
        return _error_page(request, user, error)
    return RedirectResponse(f"/exchanges/{exchange_id}#commitment", status_code=303)


@router.post("/{exchange_id}/report", response_model=None)
def report(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    exchange_id: Id,
    notifier: ExchangeNotifierDep,
    now: NowDep,
    text: Annotated[str, Form()] = "",
    evidence: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Send the closing report with its evidence."""
    uploads = [
        service.Upload(
            f.filename or "", f.content_type or "", f.file.read(service.MAX_EVIDENCE_BYTES + 1)
        )
        for f in (evidence or [])[: service.MAX_EVIDENCE_FILES + 1]
        if f.filename
    ]
    try:
        service.submit_report(
            session, user, exchange_id, report=text, uploads=uploads, now=now, notifier=notifier
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        context = _exchange_context(session, user, exchange_id, PaymentForm(), _errors(error))
        context["report_text"] = text
        return render(
            request, "exchanges/exchange.html", context, user=user, status_code=error.status
        )
    return RedirectResponse(f"/exchanges/{exchange_id}#report", status_code=303)


@router.post("/{exchange_id}/validate", response_model=None)
def validate(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    exchange_id: Id,
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> Response:
    """Validate the closing report: the payment falls due."""
    try:
        service.validate_report(
            session, user, exchange_id, now=now, programme=programme, notifier=notifier
        )
    except service.ExchangeConflictError as error:
        return _error_page(request, user, error)
    return RedirectResponse(f"/exchanges/{exchange_id}#payment", status_code=303)


@router.post("/{exchange_id}/payment", response_model=None)
def pay(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    exchange_id: Id,
    form: Annotated[PaymentForm, Form()],
    notifier: ExchangeNotifierDep,
) -> Response:
    """Record the payment."""
    try:
        paid_on, amount = _payment(form)
        service.record_payment(
            session,
            user,
            exchange_id,
            paid_on=paid_on,
            amount=amount,
            reference=form.reference,
            notifier=notifier,
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        context = _exchange_context(session, user, exchange_id, form, _errors(error))
        return render(
            request, "exchanges/exchange.html", context, user=user, status_code=error.status
        )
    return RedirectResponse(f"/exchanges/{exchange_id}#payment", status_code=303)


def _home_context(session: Session, user: User) -> dict[str, Any]:
    return {"overview": service.overview(session, user), "states": STATE_WORDS}


def _enrol_context(
    session: Session, user: User, form: EnrolmentForm, errors: dict[str, str]
) -> dict[str, Any]:
    view = service.overview(session, user)
    return {
        "form": form,
        "errors": errors,
        "organisations": view.organisations,
        "partnerships": view.partnerships,
        "kinds": KIND_WORDS,
        "activities": list(ActivityType),
    }


def _participant_context(
    session: Session,
    user: User,
    participant_id: int,
    *,
    typed: dict[int, str],
    errors: dict[int, str],
) -> dict[str, Any]:
    participant = service.visible_participant(session, user, participant_id)
    catalogue = (
        service.participant_catalogue(session, user, participant_id)
        if participant.state is ValidationState.VALIDATED
        else None
    )
    requests = service.participant_requests(session, user, participant_id)
    return {
        "participant": participant,
        "catalogue": catalogue,
        "requests": requests,
        "answers_for": _answerable(session, user, requests),
        "asked": {r.host_id for r in requests if r.state is RequestState.OPEN},
        "acts_for": service.acts_for(session, user, participant.partnership_id),
        "kinds": KIND_WORDS,
        "request_words": REQUEST_WORDS,
        "typed": typed,
        "errors": errors,
    }


def _answerable(session: Session, user: User, requests: list[ExchangeRequest]) -> set[int]:
    """The open requests the user may answer: as the host's contact or for its partnership
    (one check per partnership)."""
    partnerships = {r.host.partnership_id for r in requests if r.state is RequestState.OPEN}
    acting = {p for p in partnerships if service.acts_for(session, user, p)}
    return {
        r.id
        for r in requests
        if r.state is RequestState.OPEN
        and (r.host.contact_id == user.id or r.host.partnership_id in acting)
    }


def _partnership_context(
    session: Session,
    user: User,
    partnership_id: int,
    *,
    now: datetime,
    form: ProposalForm,
    errors: dict[str, str],
) -> dict[str, Any]:
    return {
        "view": service.partnership_view(session, user, partnership_id),
        "board": service.partnership_dashboard(session, user, partnership_id, today=now.date()),
        "form": form,
        "errors": errors,
        "activities": list(ActivityType),
        "states": STATE_WORDS,
        "run": None,
    }


def _exchange_context(
    session: Session, user: User, exchange_id: int, form: PaymentForm, errors: dict[str, str]
) -> dict[str, Any]:
    exchange = service.get_exchange(session, user, exchange_id)
    return {
        "exchange": exchange,
        "parties": service.approvable_parties(session, user, exchange),
        "party_words": PARTY_WORDS,
        "states": STATE_WORDS,
        "is_visitor": exchange.visitor.contact_id == user.id,
        "pays": service.acts_for(session, user, exchange.visitor.partnership_id),
        "form": form,
        "errors": errors,
        "report_text": "",
    }


def _require_administrator(user: User) -> None:
    if user.role is not UserRole.ADMINISTRATOR:
        raise AccessDeniedError("Only administrators create partnerships.")


def _error_page(request: Request, user: User, error: Exception) -> HTMLResponse:
    status = getattr(error, "status", 400)
    return render(
        request, "exchanges/problem.html", {"message": str(error)}, user=user, status_code=status
    )


def _errors(error: Exception) -> dict[str, str]:
    if isinstance(error, InvalidInputError):
        found: dict[str, str] = {}
        for issue in error.issues:
            text = f"{issue.location}: {issue.reason}" if issue.location else issue.reason
            found[issue.field or "form"] = (
                f"{found[issue.field]} {text}" if issue.field in found else text
            )
        return found
    return {"form": str(error)}


def _enrolment(session: Session, form: EnrolmentForm) -> service.Enrolment:
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
    capacity = _number(form.capacity or "1", "capacity", "give a whole number", issues, minimum=0)
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
        preferred_countries=tuple(
            c.strip() for c in form.preferred_countries.split(",") if c.strip()
        ),
        preferred_sectors=tuple(s.strip() for s in form.preferred_sectors.split(",") if s.strip()),
        available_from=available_from,
        available_until=available_until,
        capacity=capacity if capacity is not None else 1,
        host_exception=form.host_exception,
    )
    if issues:
        named = {issue.field for issue in issues}
        others = service.check_enrolment(session, enrolment)
        issues += [issue for issue in others if issue.field not in named]
        raise InvalidInputError("The enrolment cannot be saved.", issues)
    return enrolment


def _proposal(form: ProposalForm) -> service.Proposal:
    issues: list[InputIssue] = []
    visitor = _number(form.visitor_id, "visitor_id", "choose a visitor", issues)
    host = _number(form.host_id, "host_id", "choose a host", issues)
    start = _date(form.start, "start", issues)
    end = _date(form.end, "end", issues)
    activity = _choice(ActivityType, form.activity_type, "activity_type", issues)
    if issues:
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


def _payment(form: PaymentForm) -> tuple[date, Decimal]:
    issues: list[InputIssue] = []
    paid_on = _date(form.paid_on, "paid_on", issues)
    try:
        amount = Decimal(form.amount.strip().replace(",", "."))
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        issues.append(InputIssue("", "amount", "give the amount in euros, e.g. 780"))
        amount = Decimal(0)
    if issues or paid_on is None:
        raise InvalidInputError("The payment cannot be recorded.", issues)
    return paid_on, amount


def _number(
    text: str, field: str, reason: str, issues: list[InputIssue], *, minimum: int = 1
) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        issues.append(InputIssue("", field, reason))
        return None
    if not minimum <= value <= MAX_ID:
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
