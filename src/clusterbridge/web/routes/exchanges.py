"""ClusterXchange pages: a user's enrolments and exchanges, the enrolment form, a partnership's
page (dashboard, validation queue, setting up exchanges, the assignment), creating a
partnership, and a participant's profile with the catalogue of the other side and the requests.
An exchange's own page is `routes.exchange_pages`; the forms are `web.exchange_forms`.

Every form posts to a route that redirects back (303) on success and shows the page again,
with what was typed and every reason, on a mistake.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import (
    ExchangeNotifierDep,
    NowDep,
    ProgrammeDep,
    SessionDep,
    StateDep,
    TodayDep,
)
from clusterbridge.db.models import ExchangeRequest, User
from clusterbridge.domain.enums import (
    ActivityType,
    RequestState,
    UserRole,
    ValidationState,
)
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.engines.exchanges import Method
from clusterbridge.services import exchanges as service
from clusterbridge.services.exchanges.enrolment import MAX_CAPACITY
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import (
    ENROLMENT_LABELS,
    KIND_WORDS,
    PARTNERSHIP_LABELS,
    PROPOSAL_LABELS,
    REQUEST_WORDS,
    STATE_WORDS,
    EnrolmentForm,
    PartnershipForm,
    ProposalForm,
    enrolment_of,
    error_page,
    form_errors,
    ordered,
    proposal_of,
)
from clusterbridge.web.numbers import read_id
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/exchanges")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """The user's enrolments, exchanges and the partnerships they act for."""
    return render(request, "exchanges/home.html", _home_context(session, user), user=user)


@router.get("/enrol", response_class=HTMLResponse)
def enrol_page(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """The enrolment form."""
    context = _enrol_context(session, user, EnrolmentForm.blank(), {})
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
            session, user, enrolment_of(session, form), programme=programme, notifier=notifier
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        context = _enrol_context(session, user, form, form_errors(error))
        return render(request, "exchanges/enrol.html", context, user=user, status_code=error.status)
    return RedirectResponse(f"/exchanges?enrolled={participant.id}", status_code=303)


@router.get("/partnerships/new", response_class=HTMLResponse)
def new_partnership_page(request: Request, user: SignedInUser) -> HTMLResponse:
    """The form that creates a partnership (administrators)."""
    _require_administrator(user)
    context = {"form": PartnershipForm(), "errors": {}, "labels": PARTNERSHIP_LABELS}
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
        errors = ordered(form_errors(error), PARTNERSHIP_LABELS)
        context = {"form": form, "errors": errors, "labels": PARTNERSHIP_LABELS}
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
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    partnership_id: Id,
    today: TodayDep,
) -> HTMLResponse:
    """A partnership's dashboard, validation queue and exchanges; a programme officer reads
    it with no form."""
    context = _partnership_context(
        session, user, partnership_id, today=today, form=ProposalForm(), errors={}
    )
    return render(request, "exchanges/partnership.html", context, user=user)


@router.get("/participants/{participant_id}", response_class=HTMLResponse)
def participant_page(
    *,
    request: Request,
    session: SessionDep,
    state: StateDep,
    user: SignedInUser,
    participant_id: Id,
) -> HTMLResponse:
    """A participant's profile, its requests and, once validated, the catalogue of the other
    side with matching suggestions and their reasons; a programme officer reads it with no
    form."""
    context = _participant_context(
        session, user, participant_id, cache=state.matching, typed={}, errors={}
    )
    return render(request, "exchanges/participant.html", context, user=user)


@router.post("/participants/{participant_id}/requests", response_model=None)
def ask_host(
    *,
    request: Request,
    session: SessionDep,
    state: StateDep,
    user: SignedInUser,
    participant_id: Id,
    host_id: Annotated[str, Form()] = "",
    message: Annotated[str, Form()] = "",
    notifier: ExchangeNotifierDep,
) -> Response:
    """Ask a host for an exchange; back to the profile, or the page with the reason and the
    message as typed (a conflict is the error page)."""
    host = read_id(host_id) or 0
    try:
        service.ask_host(
            session, user, participant_id, host_id=host, message=message, notifier=notifier
        )
    except InvalidInputError as error:
        # A conflict (asked already, visit once) is the error page, as the claims' is.
        found = form_errors(error)
        reason = f"The message {found['message']}." if "message" in found else str(error)
        context = _participant_context(
            session,
            user,
            participant_id,
            cache=state.matching,
            typed={host: message},
            errors={host: reason},
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
    state: StateDep,
    user: SignedInUser,
    request_id: Id,
    answer: Annotated[str, Path(pattern="^(accept|decline)$")],
    text: Annotated[str, Form()] = "",
    participant_id: Annotated[str, Form()] = "",
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> Response:
    """Accept or decline a request; back to the host's profile, or that profile (the form's
    ``participant_id``) with the answer's mistake beside it and the answer as typed (a
    conflict, or a request the profile does not offer to answer, is the error page)."""
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
    except InvalidInputError as error:
        host = read_id(participant_id) or 0
        if not 1 <= host <= MAX_ID:
            return error_page(request, user, error)
        context = _participant_context(
            session, user, host, cache=state.matching, typed={}, errors={}
        )
        if request_id not in context["answers_for"]:
            return error_page(request, user, error)
        context |= {
            "answered": request_id,
            "answer_typed": text,
            "answer_errors": form_errors(error),
        }
        return render(
            request, "exchanges/participant.html", context, user=user, status_code=error.status
        )
    except service.ExchangeConflictError as error:
        return error_page(request, user, error)
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
    today: TodayDep,
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
    except InvalidInputError as error:
        # The reason is the only field: its mistake is shown beside it, under its label.
        found = form_errors(error)
        words = f"The reason {found['reason']}." if "reason" in found else str(error)
        partnership_id = service.visible_participant(session, user, participant_id).partnership_id
        context = _partnership_context(
            session, user, partnership_id, today=today, form=ProposalForm(), errors={}
        )
        context["decision_errors"] = {participant_id: words}
        context["decision_typed"] = {participant_id: reason}
        return render(
            request, "exchanges/partnership.html", context, user=user, status_code=error.status
        )
    except service.ExchangeConflictError as error:
        return error_page(request, user, error)
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
    today: TodayDep,
) -> Response:
    """Set up an exchange; to its page, or the partnership's page with every reason."""
    try:
        proposal = proposal_of(form, today=today)
        exchange = service.propose_exchange(
            session, user, proposal, programme=programme, today=today, notifier=notifier
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        context = _partnership_context(
            session, user, partnership_id, today=today, form=form, errors=_proposal_errors(error)
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
    today: TodayDep,
    method: Annotated[Method, Form()] = Method.STABLE,
) -> HTMLResponse:
    """Run the assignment over the ranked lists and show its pairs on the partnership's page
    (nothing is written)."""
    run = service.run_assignment(session, user, partnership_id, method=method)
    context = _partnership_context(
        session, user, partnership_id, today=today, form=ProposalForm(), errors={}
    )
    names = {str(i): p.organisation.name for i, p in run.participants.items()}
    context["run"] = {
        "method": method,
        "matches": [(names[m.visitor], names[m.host]) for m in run.result.matches],
        "unmatched": [names[v] for v in run.result.unmatched],
        "blocking": len(run.result.report.blocking_pairs),
    }
    return render(request, "exchanges/partnership.html", context, user=user)


def _home_context(session: Session, user: User) -> dict[str, Any]:
    return {
        "overview": service.overview(session, user),
        "states": STATE_WORDS,
        "oversees": service.oversees(user),
    }


def _enrol_context(
    session: Session, user: User, form: EnrolmentForm, errors: dict[str, str]
) -> dict[str, Any]:
    view = service.overview(session, user)
    return {
        "form": form,
        "errors": ordered(errors, ENROLMENT_LABELS),
        "labels": ENROLMENT_LABELS,
        "max_capacity": MAX_CAPACITY,
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
    cache: MatchIndexCache,
    typed: dict[int, str],
    errors: dict[int, str],
) -> dict[str, Any]:
    participant = service.visible_participant(session, user, participant_id)
    catalogue = (
        service.participant_catalogue(session, user, participant_id, cache=cache)
        if participant.state is ValidationState.VALIDATED
        else None
    )
    requests = service.participant_requests(session, user, participant_id)
    acts = service.acts_for(session, user, participant.partnership_id)
    return {
        "participant": participant,
        "catalogue": catalogue,
        "requests": requests,
        "answers_for": _answerable(session, user, requests),
        "asked": {r.host_id for r in requests if r.state is RequestState.OPEN},
        "reads_partnership": acts or service.oversees(user),
        # A programme officer reads the profile; its contact and partnership act on it.
        "reads_only": not acts and participant.contact_id != user.id,
        "kinds": KIND_WORDS,
        "request_words": REQUEST_WORDS,
        "typed": typed,
        "errors": errors,
        "answered": None,
        "answer_typed": "",
        "answer_errors": {},
        "answer_labels": {"answer": "Answer"},
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
    today: date,
    form: ProposalForm,
    errors: dict[str, str],
) -> dict[str, Any]:
    view = service.partnership_view(session, user, partnership_id)
    return {
        "view": view,
        "board": service.partnership_dashboard(session, user, partnership_id, today=today),
        # A programme officer reads the page; the partnership's members act on it.
        "reads_only": not service.acts_for(session, user, partnership_id),
        "form": form,
        "errors": ordered(errors, PROPOSAL_LABELS),
        "labels": PROPOSAL_LABELS,
        "activities": list(ActivityType),
        "states": STATE_WORDS,
        "run": None,
        "decision_errors": {},
        "decision_typed": {},
    }


def _proposal_errors(error: Exception) -> dict[str, str]:
    """The set-up form's errors by field: the service's ``visitor`` and ``host`` are the
    form's ``visitor_id`` and ``host_id``."""
    found = form_errors(error)
    for name in ("visitor", "host"):
        if name in found:
            found[f"{name}_id"] = "; ".join(t for t in (found.get(f"{name}_id"), found[name]) if t)
            del found[name]
    return found


def _require_administrator(user: User) -> None:
    if user.role is not UserRole.ADMINISTRATOR:
        raise AccessDeniedError("Only administrators create partnerships.")
