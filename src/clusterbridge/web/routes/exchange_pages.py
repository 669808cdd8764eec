"""An exchange's page: the stay and its lump sum, the Commitment to Quality and its approvals
(and its PDF), the closing report with evidence (each file downloads), validation and payment,
and cancelling it.

Every form posts to a route that redirects back (303) on success and shows the page again, with
what was typed and every reason, on a mistake. (Its routes come after those of
`routes.exchanges`, whose fixed paths ``/exchanges/enrol`` and others they would take.)
"""

from datetime import date
from typing import Annotated, Any

from fastapi import File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import (
    ExchangeNotifierDep,
    NowDep,
    ProgrammeDep,
    SessionDep,
    TimeZoneDep,
    TodayDep,
)
from clusterbridge.api.downloads import inline, uploaded_attachment
from clusterbridge.db.models import User
from clusterbridge.domain.enums import CommitmentParty, ExchangeState
from clusterbridge.domain.errors import DomainError, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import exchanges as service
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import (
    EXCHANGE_LABELS,
    PARTY_WORDS,
    STATE_WORDS,
    PaymentForm,
    error_page,
    form_errors,
    ordered,
    payment_of,
)
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/exchanges")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/{exchange_id}", response_class=HTMLResponse)
def exchange_page(
    *, request: Request, session: SessionDep, user: SignedInUser, exchange_id: Id, today: TodayDep
) -> HTMLResponse:
    """An exchange: the stay and its lump sum, approvals, report, validation and payment (late
    when its due date is past)."""
    context = _exchange_context(session, user, exchange_id, PaymentForm(), {}, today=today)
    return render(request, "exchanges/exchange.html", context, user=user)


@router.get("/{exchange_id}/commitment.pdf", response_model=None)
def commitment(session: SessionDep, user: SignedInUser, exchange_id: Id, now: NowDep) -> Response:
    """The Commitment to Quality as PDF."""
    pdf = service.commitment_pdf(session, user, exchange_id, now=now)
    return inline(pdf, f"commitment-{exchange_id}.pdf", media_type="application/pdf")


@router.get("/{exchange_id}/evidence/{evidence_id}", response_model=None)
def evidence(session: SessionDep, user: SignedInUser, exchange_id: Id, evidence_id: Id) -> Response:
    """An evidence file of the closing report, as uploaded (404 for a file of another exchange
    or one the user may not see)."""
    found = service.get_evidence(session, user, exchange_id, evidence_id)
    return uploaded_attachment(found, fallback="evidence")


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
        return error_page(request, user, error)
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
    today: TodayDep,
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
            session,
            user,
            exchange_id,
            report=text,
            uploads=uploads,
            now=now,
            today=today,
            notifier=notifier,
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        return _refused(
            request, session, user, exchange_id, error, today=today, kept={"report_text": text}
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
    today: TodayDep,
) -> Response:
    """Validate the closing report: the payment falls due."""
    try:
        service.validate_report(
            session, user, exchange_id, now=now, today=today, programme=programme,
            notifier=notifier,
        )  # fmt: skip
    except service.ExchangeConflictError as error:
        return error_page(request, user, error)
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
    today: TodayDep,
    time_zone: TimeZoneDep,
) -> Response:
    """Record the payment."""
    try:
        paid_on, amount = payment_of(
            session, user, exchange_id, form, today=today, time_zone=time_zone
        )
        service.record_payment(
            session,
            user,
            exchange_id,
            paid_on=paid_on,
            amount=amount,
            reference=form.reference,
            notifier=notifier,
            today=today,
            time_zone=time_zone,
        )
    except (InvalidInputError, service.ExchangeConflictError) as error:
        return _refused(request, session, user, exchange_id, error, today=today, form=form)
    return RedirectResponse(f"/exchanges/{exchange_id}#payment", status_code=303)


@router.post("/{exchange_id}/cancel", response_model=None)
def cancel(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    exchange_id: Id,
    notifier: ExchangeNotifierDep,
    now: NowDep,
    today: TodayDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Cancel the exchange, with a reason."""
    try:
        service.cancel_exchange(
            session, user, exchange_id, reason=reason, now=now, notifier=notifier
        )
    except InvalidInputError as error:
        return _refused(
            request, session, user, exchange_id, error, today=today, kept={"cancel_reason": reason}
        )
    except service.ExchangeConflictError as error:
        return error_page(request, user, error)
    return RedirectResponse(f"/exchanges/{exchange_id}", status_code=303)


def _refused(
    request: Request,
    session: Session,
    user: User,
    exchange_id: int,
    error: DomainError,
    *,
    today: date,
    form: PaymentForm | None = None,
    kept: dict[str, str] | None = None,
) -> HTMLResponse:
    """The exchange's page again, with every reason ``error`` gives and what was typed (the
    payment ``form``, and the ``kept`` texts by their context keys), answered with its status."""
    form = PaymentForm() if form is None else form
    context = _exchange_context(session, user, exchange_id, form, form_errors(error), today=today)
    context.update(kept or {})
    return render(request, "exchanges/exchange.html", context, user=user, status_code=error.status)


def _exchange_context(
    session: Session,
    user: User,
    exchange_id: int,
    form: PaymentForm,
    errors: dict[str, str],
    *,
    today: date,
) -> dict[str, Any]:
    exchange = service.get_exchange(session, user, exchange_id)
    due = exchange.payment_due
    late = (today - due).days if due is not None and exchange.paid_on is None else 0
    parties = (
        service.approvable_parties(session, user, exchange)
        if exchange.state is ExchangeState.PROPOSED
        else []
    )
    cancels = service.can_cancel(session, user, exchange)
    is_visitor = exchange.visitor.contact_id == user.id
    pays = service.acts_for(session, user, exchange.visitor.partnership_id)
    return {
        "days_late": max(late, 0),
        "exchange": exchange,
        "reasons": service.lump_sum_reasons(exchange),
        "parties": parties,
        "cancels": cancels,
        # A programme officer reads the exchange; its parties and partnerships act on it.
        "reads_only": service.oversees(user) and not (parties or cancels or is_visitor or pays),
        "cancel_reason": "",
        "party_words": PARTY_WORDS,
        "states": STATE_WORDS,
        "is_visitor": is_visitor,
        "pays": pays,
        "form": form,
        "errors": ordered(errors, EXCHANGE_LABELS),
        "labels": EXCHANGE_LABELS,
        "report_text": "",
    }
