"""Awards and payments to the SMEs of a cascade call (issue 18, part 7; ADR 0026, 0032): an
officer may award a selected application less than it requested before the selection is
published (`award_grant`), then records each payment to it (amount, day paid, reference); the
payments of an application never add up to more than the amount awarded (the award set, else
its requested grant). Officers see a call's payments; an applicant sees their own application's.

A payment is refused when it is dated after today or before the selection was published (the
award), and when its reference is already used by a payment not cancelled to an application of
the same call (409): a reference is a bank transfer's, and one transfer pays one application
once (a double submit, or the same transfer booked against two SMEs). A payment recorded by
mistake is cancelled, with who, when and why, and no longer counts as paid; its reference may
then be used again (the cancelled row records a mistake, not a transfer, and the transfer is
booked again correctly under its own reference).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.conflicts import known_constraint
from clusterbridge.db.models import (
    CascadePayment,
    ProgrammeCall,
    Proposal,
    ProposalDecision,
    User,
)
from clusterbridge.db.repositories import evaluation as evaluation_repository
from clusterbridge.db.repositories import selection as repository
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.enums import ProposalOutcome
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.domain.money import format_euros
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.selection.access import EvaluationNotFoundError, require_officer
from clusterbridge.services.selection.assignment import get_call_or_404
from clusterbridge.services.selection.calls import is_officer
from clusterbridge.services.selection.cascade import is_cascade
from clusterbridge.services.selection.proposals import get_proposal, sees_proposal

MAX_REFERENCE = 120
#: The database's unique index of a reference per call among the payments not cancelled.
REFERENCE_ONCE = "uq_cascade_payment_call_reference"
#: Why a programme call has no payments.
CASCADE_ONLY = "Payments are recorded for the applications of cascade calls only"
#: The longest reason for cancelling a payment.
MAX_CANCEL_REASON = 500


class DuplicatePaymentError(ConflictError):
    """The payment's reference is already recorded, not cancelled, for an application of the
    same call (409); it is about the ``reference`` field."""

    field = "reference"


@dataclass(frozen=True, slots=True)
class PaymentDraft:
    """A payment as typed: the amount in euros (cents allowed), the day paid, the reference."""

    amount: Decimal | None
    paid_on: date | None
    reference: str


@dataclass(frozen=True, slots=True)
class FundedApplication:
    """A selected application of a cascade call with its payments: awarded, paid, left."""

    proposal: Proposal
    awarded: Decimal
    payments: tuple[CascadePayment, ...]

    @property
    def paid(self) -> Decimal:
        """The sum of the payments not cancelled."""
        return paid_total(self.payments)

    @property
    def left(self) -> Decimal:
        """What is still to pay."""
        return self.awarded - self.paid

    @property
    def received(self) -> tuple[CascadePayment, ...]:
        """The payments not cancelled: what the SME received."""
        return tuple(p for p in self.payments if p.cancelled_at is None)

    @property
    def cancelled(self) -> tuple[CascadePayment, ...]:
        """The payments cancelled (recorded by mistake): they do not count as paid."""
        return tuple(p for p in self.payments if p.cancelled_at is not None)


def paid_total(payments: tuple[CascadePayment, ...] | list[CascadePayment]) -> Decimal:
    """The sum of the payments not cancelled."""
    return sum((p.amount for p in payments if p.cancelled_at is None), Decimal(0))


def record_payment(
    session: Session, actor: User, proposal_id: int, draft: PaymentDraft, *, today: date
) -> CascadePayment:
    """Record a payment to a selected application of a cascade call whose selection is
    published (officers only, 403; otherwise 409). Every mistake at once (422), including a
    total above the amount awarded and a day after ``today`` (the site's date) or before the
    selection was published; then a reference already used by a payment not cancelled to an
    application of the same call, ignoring case (409, naming the payment and its application;
    the database's unique index refuses it too, ADR 0041). Writes the payment."""
    require_officer(actor, doing="record payments")
    proposal = get_proposal(session, actor, proposal_id)
    awarded = _awarded(session, proposal)
    repository.lock_call(session, proposal.call_id)
    issues = _payment_issues(draft) + _day_issues(session, proposal, draft.paid_on, today)
    recorded = repository.payments_of_proposal(session, proposal_id)
    paid = paid_total(recorded)
    refused = {issue.field for issue in issues}
    if draft.amount is not None and "amount" not in refused and paid + draft.amount > awarded:
        reason = (
            f"would bring the payments to {format_euros(paid + draft.amount)}, more than the "
            f"{format_euros(awarded)} awarded ({format_euros(awarded - paid)} left to pay)"
        )
        issues.insert(0, InputIssue("", "amount", reason))  # the form's first field
    if issues or draft.amount is None or draft.paid_on is None:
        raise InvalidInputError("The payment cannot be recorded:", issues)
    reference = draft.reference.strip()
    _refuse_reference_twice(session, proposal, reference)
    payment = CascadePayment(
        proposal_id=proposal.id,
        call_id=proposal.call_id,
        amount=draft.amount,
        paid_on=draft.paid_on,
        reference=reference,
        recorded_by=actor,
        cancelled_by=None,
    )
    try:
        with session.begin_nested():
            session.add(payment)
            session.flush()
    except IntegrityError as error:
        # The database's index keeps the reference once per call (ADR 0041) whatever wrote
        # the payment it collides with; the check above names it when it can see it.
        known = known_constraint(error)
        if known is None or known.name != REFERENCE_ONCE:
            raise
        _refuse_reference_twice(session, proposal, reference)
        raise DuplicatePaymentError(known.message) from error
    return payment


def cancel_payment(
    session: Session,
    actor: User,
    proposal_id: int,
    payment_id: int,
    *,
    reason: str,
    now: datetime,
) -> CascadePayment:
    """Cancel a payment recorded by mistake (officers only, 403): it stays, with ``actor``,
    ``now`` and the reason (required, 422 naming ``reason``), and no longer counts as paid.
    404 for a payment not to this application, 409 if cancelled already. Writes."""
    require_officer(actor, doing="cancel payments")
    proposal = get_proposal(session, actor, proposal_id)
    repository.lock_call(session, proposal.call_id)
    payment, text = _cancellable(session, proposal, payment_id, reason)
    payment.cancelled_at, payment.cancelled_by, payment.cancel_reason = now, actor, text
    session.flush()
    return payment


def check_cancellation(
    session: Session, actor: User, proposal_id: int, payment_id: int, *, reason: str
) -> CascadePayment:
    """What `cancel_payment` would refuse, in its order and with its errors, without writing
    or locking: the web's confirmation step names only a payment that would be cancelled.
    The payment."""
    require_officer(actor, doing="cancel payments")
    proposal = get_proposal(session, actor, proposal_id)
    return _cancellable(session, proposal, payment_id, reason)[0]


def _cancellable(
    session: Session, proposal: Proposal, payment_id: int, reason: str
) -> tuple[CascadePayment, str]:
    """The payment of ``proposal`` to cancel and the reason, stripped; 404 for a payment not
    to it, 409 if cancelled already, 422 naming ``reason`` when it is empty or too long."""
    payment = repository.get_payment(session, proposal.id, payment_id)
    if payment is None:
        raise EvaluationNotFoundError(f"There is no payment {payment_id} to {proposal.acronym}")
    if payment.cancelled_at is not None:
        raise ConflictError(f"The payment {payment.reference} is cancelled already")
    text = reason.strip()
    if not text or len(text) > MAX_CANCEL_REASON:
        why = (
            "is required (why the payment is cancelled)"
            if not text
            else too_long_reason(MAX_CANCEL_REASON, len(text))
        )
        raise InvalidInputError("The payment cannot be cancelled:", [InputIssue("", "reason", why)])
    return payment, text


def award_grant(
    session: Session, actor: User, proposal_id: int, amount: Decimal | None
) -> ProposalDecision:
    """Award a selected application of a cascade call ``amount`` euros, before the selection
    is published (officers only, 403; otherwise 409). The amount is over 0, to the cent, at
    most the grant requested and at most the call's maximum per SME (422 naming the field
    ``awarded``); the grant requested itself clears the award. Writes the decision and the
    panel's budget used (the sum of the selected applications' awards)."""
    require_officer(actor, doing="award grants")
    proposal = get_proposal(session, actor, proposal_id)
    decision = _selected_before_publication(session, proposal)
    issues = _award_issues(proposal, amount)
    if issues or amount is None:
        raise InvalidInputError(f"The grant awarded to {proposal.acronym} cannot be set:", issues)
    decision.awarded_grant = None if amount == proposal.requested_grant else amount
    session.flush()
    panel = evaluation_repository.get_panel(session, proposal.call_id)
    if panel is not None:
        chosen = evaluation_repository.decisions_of_call(session, proposal.call_id)
        panel.budget_used = sum(
            (d.awarded for d in chosen if d.outcome is ProposalOutcome.SELECTED), Decimal(0)
        )
        session.flush()
    return decision


def call_payments(session: Session, actor: User, call_id: int) -> list[FundedApplication]:
    """The selected applications of a cascade call with their payments, cancelled ones
    included, in the selection's order (officers only; empty before the selection is
    published; 409 for a programme call, whose applications are not paid here)."""
    require_officer(actor, doing="see the payments")
    call = get_call_or_404(session, call_id)
    if not is_cascade(call):
        raise ConflictError(CASCADE_ONLY)
    if not _published(session, call):
        return []
    payments: dict[int, list[CascadePayment]] = {}
    for payment in repository.payments_of_call(session, call_id):
        payments.setdefault(payment.proposal_id, []).append(payment)
    decisions = evaluation_repository.decisions_of_call(session, call_id)
    chosen = sorted(
        (d for d in decisions if d.outcome is ProposalOutcome.SELECTED),
        key=lambda d: d.taken_order or 0,
    )
    return [
        FundedApplication(d.proposal, d.awarded, tuple(payments.get(d.proposal_id, [])))
        for d in chosen
    ]


def proposal_funding(session: Session, actor: User, proposal: Proposal) -> FundedApplication | None:
    """What a selected application of a cascade call is awarded, paid (the payments not
    cancelled) and has left to pay, with its payments, cancelled ones included; for those who
    see the proposal (its applicant, the users of its SME, officers; `get_proposal`) once the
    selection is published. ``None`` otherwise: another kind of call, a selection not
    published, an application not selected, or another reader (an expert evaluating it)."""
    if not (is_officer(actor) or sees_proposal(session, actor, proposal)):
        return None
    if not is_cascade(proposal.call) or not _published(session, proposal.call):
        return None
    decision = evaluation_repository.decision_of_proposal(session, proposal.id)
    if decision is None or decision.outcome is not ProposalOutcome.SELECTED:
        return None
    found = repository.payments_of_proposal(session, proposal.id)
    awarded = decision.awarded_grant or proposal.requested_grant
    return FundedApplication(proposal, awarded, tuple(found))


def proposals_funding(
    session: Session, actor: User, proposals: Sequence[Proposal]
) -> dict[int, FundedApplication]:
    """`proposal_funding` of many proposals at once, by proposal id, for officers (anybody
    else: none), the proposals' calls loaded. Only the selected applications of cascade calls
    whose selection is published have one. Three queries whatever the number of proposals:
    the calls published, the decisions, and the payments of the selected applications."""
    if not is_officer(actor):
        return {}
    cascade = [p for p in proposals if is_cascade(p.call)]
    published = evaluation_repository.published_calls(session, {p.call_id for p in cascade})
    shown = [p.id for p in cascade if p.call_id in published]
    decisions = {d.proposal_id: d for d in evaluation_repository.decisions_of(session, shown)}
    selected = [
        p
        for p in cascade
        if p.id in decisions and decisions[p.id].outcome is ProposalOutcome.SELECTED
    ]
    found: dict[int, list[CascadePayment]] = {}
    for payment in repository.payments_of_proposals(session, [p.id for p in selected]):
        found.setdefault(payment.proposal_id, []).append(payment)
    return {
        p.id: FundedApplication(
            p, decisions[p.id].awarded_grant or p.requested_grant, tuple(found.get(p.id, []))
        )
        for p in selected
    }


def proposal_payments(
    session: Session, actor: User, proposal_id: int
) -> tuple[CascadePayment, ...]:
    """The payments to a proposal, for its applicant and officers (404 for anybody else)."""
    get_proposal(session, actor, proposal_id)
    return tuple(repository.payments_of_proposal(session, proposal_id))


def _awarded(session: Session, proposal: Proposal) -> Decimal:
    call = proposal.call
    if not is_cascade(call):
        raise ConflictError(CASCADE_ONLY)
    decision = evaluation_repository.decision_of_proposal(session, proposal.id)
    if not _published(session, call) or decision is None:
        raise ConflictError("The selection of the call is not published yet")
    if decision.outcome is not ProposalOutcome.SELECTED:
        raise ConflictError(f"{proposal.acronym} is not selected: nothing is awarded to pay")
    return decision.awarded_grant or proposal.requested_grant


def _selected_before_publication(session: Session, proposal: Proposal) -> ProposalDecision:
    if not is_cascade(proposal.call):
        raise ConflictError("Grants below the request are awarded in cascade calls only")
    decision = evaluation_repository.decision_of_proposal(session, proposal.id)
    if decision is None or decision.outcome is not ProposalOutcome.SELECTED:
        raise ConflictError(f"{proposal.acronym} is not selected: rank the call first")
    if _published(session, proposal.call):
        raise ConflictError("The selection is published: the grants awarded can no longer change")
    return decision


def _award_issues(proposal: Proposal, amount: Decimal | None) -> list[InputIssue]:
    if amount is None or amount <= 0 or amount != round(amount, 2):
        return [InputIssue("", "awarded", "must be an amount in euros over 0, to the cent")]
    issues = []
    if amount > proposal.requested_grant:
        reason = f"is more than the {format_euros(proposal.requested_grant)} requested"
        issues.append(InputIssue("", "awarded", reason))
    maximum = proposal.call.max_grant
    if maximum is not None and amount > maximum:
        reason = f"is more than the call's maximum of {format_euros(maximum)} per SME"
        issues.append(InputIssue("", "awarded", reason))
    return issues


def _published(session: Session, call: ProgrammeCall) -> bool:
    panel = evaluation_repository.get_panel(session, call.id)
    return panel is not None and panel.published_at is not None


def _payment_issues(draft: PaymentDraft) -> list[InputIssue]:
    issues = []
    if draft.amount is None or draft.amount <= 0 or draft.amount != round(draft.amount, 2):
        issues.append(InputIssue("", "amount", "must be an amount in euros over 0, to the cent"))
    if draft.paid_on is None:
        issues.append(InputIssue("", "paid_on", "choose the day the payment was made"))
    reference = draft.reference.strip()
    if not reference:
        issues.append(InputIssue("", "reference", "is required (the transfer's reference)"))
    elif len(reference) > MAX_REFERENCE:
        issues.append(InputIssue("", "reference", too_long_reason(MAX_REFERENCE, len(reference))))
    return issues


def _day_issues(
    session: Session, proposal: Proposal, paid_on: date | None, today: date
) -> list[InputIssue]:
    if paid_on is None:
        return []
    if paid_on > today:
        reason = f"is in the future (today is {day_text(today)}): record a payment once it is made"
        return [InputIssue("", "paid_on", reason)]
    panel = evaluation_repository.get_panel(session, proposal.call_id)
    if panel is None or panel.published_at is None:
        return []
    awarded_on = panel.published_at.astimezone(ZoneInfo(proposal.call.time_zone)).date()
    if paid_on < awarded_on:
        reason = (
            f"is before the grant was awarded (the selection was published on "
            f"{day_text(awarded_on)})"
        )
        return [InputIssue("", "paid_on", reason)]
    return []


def _refuse_reference_twice(session: Session, proposal: Proposal, reference: str) -> None:
    for other in repository.standing_payments_of_call(session, proposal.call_id):
        if other.reference.casefold() != reference.casefold():
            continue
        paid = f"{format_euros(other.amount)} paid on {day_text(other.paid_on)}"
        if other.proposal_id == proposal.id:
            raise DuplicatePaymentError(
                f"A payment with the reference {other.reference} is already recorded for "
                f"{proposal.acronym} ({paid}): it is not recorded twice (cancel the first one "
                "to correct it)"
            )
        raise DuplicatePaymentError(
            f"The reference {other.reference} is already used by a payment to "
            f"{other.proposal.acronym} (application {other.proposal_id}, {paid}) in this call: "
            "a transfer's reference names one transfer, recorded once per call (cancel that "
            "payment first if it was booked to the wrong application)"
        )
