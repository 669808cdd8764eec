"""An exchange from proposal to payment or cancellation: set up, read, the Commitment to
Quality (approvals and PDF), the closing report (and its evidence files), validation, payment
and cancelling. (Its router comes after ``routers.exchanges``, whose fixed paths
``/exchanges/lump-sum`` and others ``/{exchange_id}`` would take.)"""

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile

from clusterbridge.api.deps import (
    CurrentUser,
    ExchangeNotifierDep,
    NowDep,
    ProgrammeDep,
    SessionDep,
    TimeZoneDep,
    TodayDep,
)
from clusterbridge.api.downloads import inline, uploaded_attachment
from clusterbridge.api.errors import fields_as_sent
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.routers.exchanges import ERRORS, ExchangeId
from clusterbridge.api.schemas.exchanges import (
    Approval,
    Cancellation,
    ExchangeCreate,
    ExchangePage,
    ExchangeQuery,
    ExchangeRead,
    PaymentCreate,
    exchange_of,
    exchange_page_of,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import exchanges as service
from clusterbridge.services.exchanges import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, MAX_TEXT

router = APIRouter(prefix="/exchanges", tags=["exchanges"], route_class=ExactNumbersRoute)

EvidenceId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("", status_code=201, responses=ERRORS)
def propose(
    session: SessionDep,
    user: CurrentUser,
    body: ExchangeCreate,
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
    today: TodayDep,
) -> ExchangeRead:
    """Set up an exchange for a visitor of your partnership (409 when a rule stops it)."""
    proposal = service.Proposal(
        visitor_id=body.visitor_id,
        host_id=body.host_id,
        start=body.start,
        end=body.end,
        activity_type=body.activity_type,
        goals=body.goals,
        objectives=body.objectives,
        agenda=body.agenda,
    )
    exchange = service.propose_exchange(
        session, user, proposal, programme=programme, today=today, notifier=notifier
    )
    return exchange_of(exchange)


@router.get("", responses=ERRORS)
def list_exchanges(
    session: SessionDep, user: CurrentUser, query: Annotated[ExchangeQuery, Query()]
) -> ExchangePage:
    """Every exchange, by start date, a page at a time, for programme officers and
    administrators (403 for anyone else): those of one partnership (as visitor or host) and in
    one state when asked. An unknown partnership is refused (422)."""
    with fields_as_sent({"partnership": "partnership_id"}):
        listing = service.list_exchanges(
            session,
            user,
            partnership_id=query.partnership_id,
            state=query.state,
            page=query.page,
            per_page=query.per_page,
        )
    return exchange_page_of(listing)


@router.get("/{exchange_id}", responses=ERRORS)
def read_exchange(session: SessionDep, user: CurrentUser, exchange_id: ExchangeId) -> ExchangeRead:
    """One exchange, for its participants, their partnerships, administrators and programme
    officers (who read it only)."""
    return exchange_of(service.get_exchange(session, user, exchange_id))


@router.get(
    "/{exchange_id}/commitment.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **ERRORS},
)
def commitment(
    session: SessionDep, user: CurrentUser, exchange_id: ExchangeId, now: NowDep
) -> Response:
    """The Commitment to Quality as PDF, with its four approvals."""
    pdf = service.commitment_pdf(session, user, exchange_id, now=now)
    return inline(pdf, f"commitment-{exchange_id}.pdf", media_type="application/pdf")


@router.get(
    "/{exchange_id}/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}, **ERRORS},
)
def evidence(
    session: SessionDep, user: CurrentUser, exchange_id: ExchangeId, evidence_id: EvidenceId
) -> Response:
    """An evidence file of the closing report, as uploaded, for those who see the exchange (404
    for a file of another exchange or one you may not see)."""
    found = service.get_evidence(session, user, exchange_id, evidence_id)
    return uploaded_attachment(found, fallback="evidence")


@router.post("/{exchange_id}/approve", responses=ERRORS)
def approve(
    session: SessionDep,
    user: CurrentUser,
    exchange_id: ExchangeId,
    body: Approval,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> ExchangeRead:
    """Approve the Commitment to Quality for one of the four parties you speak for."""
    service.get_exchange(session, user, exchange_id)
    exchange = service.approve_commitment(
        session, user, exchange_id, party=body.party, now=now, notifier=notifier
    )
    return exchange_of(exchange)


@router.post("/{exchange_id}/report", responses=ERRORS)
def report(
    session: SessionDep,
    user: CurrentUser,
    exchange_id: ExchangeId,
    notifier: ExchangeNotifierDep,
    now: NowDep,
    today: TodayDep,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    evidence: Annotated[list[UploadFile], File()],
) -> ExchangeRead:
    """The visitor's closing report with its evidence (multipart: ``text`` and up to 10
    ``evidence`` files, PDF, JPEG or PNG, 5 MB each)."""
    uploads = []
    for upload in evidence[: MAX_EVIDENCE_FILES + 1]:
        content = upload.file.read(MAX_EVIDENCE_BYTES + 1)
        uploads.append(service.Upload(upload.filename or "", upload.content_type or "", content))
    exchange = service.submit_report(
        session, user, exchange_id, report=text, uploads=uploads, now=now, today=today,
        notifier=notifier,
    )  # fmt: skip
    return exchange_of(exchange)


@router.post("/{exchange_id}/validate", responses=ERRORS)
def validate(
    session: SessionDep,
    user: CurrentUser,
    exchange_id: ExchangeId,
    programme: ProgrammeDep,
    notifier: ExchangeNotifierDep,
    now: NowDep,
    today: TodayDep,
) -> ExchangeRead:
    """Validate the closing report (the visitor's partnership): the payment falls due."""
    exchange = service.validate_report(
        session, user, exchange_id, now=now, today=today, programme=programme, notifier=notifier
    )
    return exchange_of(exchange)


@router.post("/{exchange_id}/payment", responses=ERRORS)
def pay(
    session: SessionDep,
    user: CurrentUser,
    exchange_id: ExchangeId,
    body: PaymentCreate,
    notifier: ExchangeNotifierDep,
    today: TodayDep,
    time_zone: TimeZoneDep,
) -> ExchangeRead:
    """Record the payment of the lump sum (the visitor's partnership): 422 for a day in the
    future or before the report's validation, or an amount other than the lump sum."""
    exchange = service.record_payment(
        session,
        user,
        exchange_id,
        paid_on=body.paid_on,
        amount=body.amount_eur,
        reference=body.reference,
        notifier=notifier,
        today=today,
        time_zone=time_zone,
    )
    return exchange_of(exchange)


@router.post("/{exchange_id}/cancel", responses=ERRORS)
def cancel(
    session: SessionDep,
    user: CurrentUser,
    exchange_id: ExchangeId,
    body: Cancellation,
    notifier: ExchangeNotifierDep,
    now: NowDep,
) -> ExchangeRead:
    """Cancel the exchange with a reason (its visitor, host or either partnership) before
    its closing report is validated; everyone is mailed. A cancelled exchange counts for
    nothing and the visitor may take part again."""
    exchange = service.cancel_exchange(
        session, user, exchange_id, reason=body.reason, now=now, notifier=notifier
    )
    return exchange_of(exchange)
