"""The money of a cascade call (officers): the grant awarded to a selected application, set on
the ranking page before publication; and the payments page, each selected application with the
amount awarded, paid and left, its payments (each with a form to cancel it), and a form to
record the next one. Cancelling takes two steps: the form's reason, once valid, shows a page
naming the payment and the reason, whose button cancels it (the API cancels in one)."""

from datetime import date
from typing import Annotated

from fastapi import Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep, TodayDep
from clusterbridge.db.models import CascadePayment, Proposal, User
from clusterbridge.domain.errors import ConflictError, DomainError, InputIssue
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.selection import payments, proposals
from clusterbridge.services.selection.assignment import get_call_or_404
from clusterbridge.services.selection.cascade import is_cascade
from clusterbridge.services.selection.payments import PaymentDraft
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.numbers import read_euros
from clusterbridge.web.routes.evaluation import render_ranking
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/evaluation")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


#: The labels of a payment's form, which the summary of a refused payment names.
PAYMENT_LABELS = {
    "amount": "Amount paid, EUR",
    "paid_on": "Paid on",
    "reference": "Reference",
    "reason": "Why it is cancelled",
}


class AwardForm(BaseModel):
    """The grant awarded, in euros, as typed."""

    awarded: str = ""


class PaymentForm(BaseModel):
    """A payment as typed: amount in euros, day paid (YYYY-MM-DD), reference."""

    amount: str = ""
    paid_on: str = ""
    reference: str = ""


class CancelForm(BaseModel):
    """Why a payment is cancelled, as typed, and ``confirm=yes`` from the confirmation step."""

    reason: str = ""
    confirm: str = Field(default="", max_length=10)


@router.get("/calls/{call_id}/payments", response_class=HTMLResponse)
def payments_page(
    request: Request, session: SessionDep, user: SignedInUser, call_id: Id
) -> HTMLResponse:
    """The call's funded applications and their payments (officers)."""
    return _page(request, session, user, call_id, failed=None, form=PaymentForm(), errors={})


@router.post("/proposals/{proposal_id}/payments", response_model=None)
def record_payment(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    today: TodayDep,
    form: Annotated[PaymentForm, Form()],
) -> Response:
    """Record a payment; back to the call's payments, or the page with every reason."""
    call_id = proposals.get_proposal(session, user, proposal_id).call_id
    unread: list[InputIssue] = []
    try:
        payments.record_payment(session, user, proposal_id, _draft(form, unread), today=today)
    except DomainError as error:
        session.expire_all()
        errors = _with_reading(form_errors(error), unread)
        if isinstance(error, payments.DuplicatePaymentError):
            errors = {error.field: str(error)}  # beside the reference it is about
        return _page(request, session, user, call_id, failed=proposal_id, form=form,
                     errors=errors, status_code=error.status)  # fmt: skip
    return RedirectResponse(f"/evaluation/calls/{call_id}/payments?recorded=1", 303)


@router.get("/proposals/{proposal_id}/payments/{payment_id}/cancel", response_model=None)
def cancel_payment_page(
    session: SessionDep, user: SignedInUser, proposal_id: Id, payment_id: Id
) -> RedirectResponse:
    """The cancel form is on the call's payments page (the confirmation step shows the reason
    typed there): back to it."""
    call_id = proposals.get_proposal(session, user, proposal_id).call_id
    return RedirectResponse(f"/evaluation/calls/{call_id}/payments#funded-{proposal_id}", 303)


@router.post("/proposals/{proposal_id}/payments/{payment_id}/cancel", response_model=None)
def cancel_payment(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    payment_id: Id,
    now: NowDep,
    form: Annotated[CancelForm, Form()],
) -> Response:
    """Cancel a payment recorded by mistake, in two steps: with a valid reason, the page that
    names the payment and the reason and asks to confirm (nothing written); confirmed
    (``confirm=yes``), cancel it and go back to the call's payments. A mistake at either step:
    the payments page with the reason beside the payment's form."""
    proposal = proposals.get_proposal(session, user, proposal_id)
    call_id = proposal.call_id
    try:
        if form.confirm != "yes":
            payment = payments.check_cancellation(
                session, user, proposal_id, payment_id, reason=form.reason
            )
            return _confirm_cancel(request, session, user, proposal, payment, reason=form.reason)
        payments.cancel_payment(session, user, proposal_id, payment_id, reason=form.reason, now=now)
    except DomainError as error:
        session.expire_all()
        return _page(request, session, user, call_id, failed=None, form=PaymentForm(),
                     errors=form_errors(error), status_code=error.status,
                     cancelling=(payment_id, form))  # fmt: skip
    return RedirectResponse(f"/evaluation/calls/{call_id}/payments?cancelled=1", 303)


def _confirm_cancel(
    request: Request,
    session: Session,
    user: User,
    proposal: Proposal,
    payment: CascadePayment,
    *,
    reason: str,
) -> HTMLResponse:
    """The confirmation step: the payment (amount, day, reference, applicant), the reason, and
    what the application's totals become once it is cancelled."""
    funding = payments.proposal_funding(session, user, proposal)
    paid = funding.paid - payment.amount if funding else None
    context = {
        "call": proposal.call,
        "proposal": proposal,
        "payment": payment,
        "reason": reason.strip(),
        "funding": funding,
        "paid_after": paid,
    }
    return render(request, "evaluation/confirm_cancel_payment.html", context, user=user)


@router.post("/proposals/{proposal_id}/award", response_model=None)
def award_grant(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    form: Annotated[AwardForm, Form()],
) -> Response:
    """Set the grant awarded; back to the ranking, or the ranking with the reasons."""
    call_id = proposals.get_proposal(session, user, proposal_id).call_id
    unread: list[InputIssue] = []
    try:
        payments.award_grant(
            session, user, proposal_id, read_euros(form.awarded, "awarded", unread)
        )
    except DomainError as error:
        session.expire_all()
        errors = _with_reading(form_errors(error), unread)
        return render_ranking(request, session, user, call_id, errors=errors,
                              status_code=error.status, failed=proposal_id,
                              typed_award=form.awarded)  # fmt: skip
    return RedirectResponse(f"/evaluation/calls/{call_id}/ranking?awarded=1", 303)


def _draft(form: PaymentForm, unread: list[InputIssue]) -> PaymentDraft:
    """The form as a draft; an amount or day that cannot be read is left empty, which the
    service refuses beside its field with the other mistakes (all at once); why the amount
    cannot be read is added to ``unread``."""
    try:
        paid_on: date | None = date.fromisoformat(form.paid_on.strip())
    except ValueError:
        paid_on = None
    return PaymentDraft(read_euros(form.amount, "amount", unread), paid_on, form.reference)


def _with_reading(errors: dict[str, str], unread: list[InputIssue]) -> dict[str, str]:
    """``errors`` with why an amount could not be read ("1.000" is ambiguous, "inf" is not an
    amount) in the place of the service's "must be an amount" beside the same field."""
    return errors | {issue.field: issue.reason for issue in unread if issue.field in errors}


def _page(
    request: Request,
    session: Session,
    user: User,
    call_id: int,
    *,
    failed: int | None,
    form: PaymentForm,
    errors: dict[str, str],
    status_code: int = 200,
    cancelling: tuple[int, CancelForm] | None = None,
) -> HTMLResponse:
    call = get_call_or_404(session, call_id)
    try:
        funded = payments.call_payments(session, user, call_id)
    except ConflictError:
        if is_cascade(call):
            raise
        # A programme call's page says why there is nothing here, with the API's status.
        funded, status_code = [], ConflictError.status
    context = {
        "call": call,
        "funded": funded,
        "failed": failed,
        "form": form,
        "failed_payment": None if cancelling is None else cancelling[0],
        "cancel_form": CancelForm() if cancelling is None else cancelling[1],
        "errors": errors,
        "labels": PAYMENT_LABELS,
    }
    return render(request, "evaluation/payments.html", context, user=user, status_code=status_code)
