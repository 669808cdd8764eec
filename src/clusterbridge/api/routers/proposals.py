"""Proposals to authored calls: the applicant writes one from a consortium they may change,
adds documents, submits it before the deadline (the eligibility report is then frozen) or
withdraws it. A proposal is seen by its applicant and by programme officers and administrators;
to anybody else it does not exist (404).
"""

from typing import Annotated

from fastapi import APIRouter, File, Path, Response, UploadFile

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep, TodayDep
from clusterbridge.api.downloads import uploaded_attachment
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.routers.evaluation import SelectionMailDep
from clusterbridge.api.schemas.selection import (
    AwardRead,
    AwardUpdate,
    PaymentCancel,
    PaymentCreate,
    PaymentRead,
    ProposalBody,
    ProposalCreate,
    ProposalRead,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.selection import payments, proposals
from clusterbridge.services.selection.proposals import DOCUMENTS
from clusterbridge.services.selection.standing import standing_of, standings

router = APIRouter(prefix="/proposals", tags=["proposals"], route_class=ExactNumbersRoute)

ProposalId = Annotated[int, Path(ge=1, le=MAX_ID)]
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID)]
PaymentId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_my_proposals(session: SessionDep, user: CurrentUser, now: NowDep) -> list[ProposalRead]:
    """Your proposals, newest first, each with its state, its call's status now and, once the
    selection is published, its outcome."""
    rows = proposals.list_my_proposals(session, user)
    found = standings(session, rows, now=now)
    return [ProposalRead.from_row(row, found[row.id]) for row in rows]


@router.post("", status_code=201, responses=errors(403, 404, 409))
def create_proposal(
    body: ProposalCreate, session: SessionDep, user: CurrentUser, now: NowDep
) -> ProposalRead:
    """Start a proposal to an open call: a consortium's (``consortium_id``) or, to a cascade
    call, an SME's (``organisation_id`` instead; exactly one of the two). 404 for a call that
    is not published, 409 for a call closed (its deadline passed, or its selection published);
    every mistake at once (422)."""
    row = proposals.create_proposal(session, user, body.call_id, body.to_draft(), now=now)
    return ProposalRead.from_row(row, standing_of(session, row, now=now))


@router.get("/{proposal_id}")
def read_proposal(
    proposal_id: ProposalId, session: SessionDep, user: CurrentUser, now: NowDep, today: TodayDep
) -> ProposalRead:
    """One proposal with its documents and, once submitted, its frozen eligibility report
    (its ``call`` status and time left as of now, like ``call_status`` and ``time_left``:
    ``open``, ``closed``, ``no_deadline`` or ``published``); once the selection is published,
    its ``outcome`` with the reason and the grant awarded. Also for the experts assigned to
    evaluate it who are not off it (a conflict of interest declared or found in the registry).
    For a selected application of a cascade call, its ``funding``: the grant
    awarded, paid so far and left to pay, the payments received and, apart, those cancelled
    (for its applicant, its SME's users and officers)."""
    row = proposals.read_proposal(session, user, proposal_id, today=today)
    funding = payments.proposal_funding(session, user, row)
    return ProposalRead.from_row(row, standing_of(session, row, now=now), funding=funding)


@router.put("/{proposal_id}", responses=errors(403, 409))
def update_proposal(
    proposal_id: ProposalId,
    body: ProposalBody,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
) -> ProposalRead:
    """Replace a draft proposal's fields (409 once submitted, after the deadline or once the
    call's selection is published)."""
    row = proposals.update_proposal(session, user, proposal_id, body.to_draft(), now=now)
    return ProposalRead.from_row(row, standing_of(session, row, now=now))


@router.post("/{proposal_id}/documents", responses=errors(403, 409))
def add_documents(
    proposal_id: ProposalId,
    documents: Annotated[list[UploadFile], File()],
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
) -> ProposalRead:
    """Attach files to a draft proposal (multipart ``documents``: PDF, DOCX or XLSX, 10 MB
    each, 10 in all)."""
    uploads = [
        DOCUMENTS.read(f.filename or "", f.content_type or "", f.file)
        for f in documents[: DOCUMENTS.max_files + 1]
    ]
    row = proposals.add_documents(session, user, proposal_id, uploads, now=now)
    return ProposalRead.from_row(row, standing_of(session, row, now=now))


@router.get(
    "/{proposal_id}/documents/{document_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file."}},
)
def read_document(
    proposal_id: ProposalId,
    document_id: DocumentId,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> Response:
    """A document's file, as uploaded."""
    document = proposals.read_document(session, user, proposal_id, document_id, today=today)
    return uploaded_attachment(document, fallback="document")


@router.delete("/{proposal_id}/documents/{document_id}", responses=errors(403, 409))
def remove_document(
    proposal_id: ProposalId,
    document_id: DocumentId,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
) -> ProposalRead:
    """Remove a document of a draft proposal."""
    row = proposals.remove_document(session, user, proposal_id, document_id, now=now)
    return ProposalRead.from_row(row, standing_of(session, row, now=now))


@router.post("/{proposal_id}/submit", responses=errors(403, 409))
def submit_proposal(
    proposal_id: ProposalId,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    mail: SelectionMailDep,
) -> ProposalRead:
    """Submit before the deadline: the consortium (to a cascade call, the SME alone) is
    checked and the report frozen; the applicant is mailed a receipt."""
    row = proposals.submit_proposal(session, user, proposal_id, now=now, mail=mail)
    return ProposalRead.from_row(row, standing_of(session, row, now=now))


@router.get("/{proposal_id}/payments")
def list_payments(
    proposal_id: ProposalId, session: SessionDep, user: CurrentUser
) -> list[PaymentRead]:
    """The payments to an application of a cascade call (its applicant and officers)."""
    rows = payments.proposal_payments(session, user, proposal_id)
    return [PaymentRead.from_row(row) for row in rows]


@router.post("/{proposal_id}/payments", status_code=201, responses=errors(403, 409))
def record_payment(
    proposal_id: ProposalId,
    body: PaymentCreate,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> PaymentRead:
    """Record a payment to a selected application of a cascade call whose selection is
    published (officers only); the payments never add up to more than the amount awarded, a
    payment is not dated in the future or before the award, and a reference is used once
    per call among the payments not cancelled (409, naming the application it pays)."""
    row = payments.record_payment(session, user, proposal_id, body.to_draft(), today=today)
    return PaymentRead.from_row(row)


@router.post("/{proposal_id}/payments/{payment_id}/cancel", responses=errors(403, 404, 409))
def cancel_payment(
    proposal_id: ProposalId,
    payment_id: PaymentId,
    body: PaymentCancel,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
) -> PaymentRead:
    """Cancel a payment recorded by mistake (officers only): it stays, with who cancelled it,
    when and why, and no longer counts as paid."""
    row = payments.cancel_payment(
        session, user, proposal_id, payment_id, reason=body.reason, now=now
    )
    return PaymentRead.from_row(row)


@router.put("/{proposal_id}/award", responses=errors(403, 409))
def award_grant(
    proposal_id: ProposalId, body: AwardUpdate, session: SessionDep, user: CurrentUser
) -> AwardRead:
    """Award a selected application of a cascade call less than it requested, after ranking
    and before the selection is published (officers only); the requested amount clears it."""
    decision = payments.award_grant(session, user, proposal_id, body.awarded)
    proposal = proposals.get_proposal(session, user, proposal_id)
    awarded = decision.awarded_grant or proposal.requested_grant
    return AwardRead(proposal_id=proposal_id, requested=proposal.requested_grant, awarded=awarded)


@router.post("/{proposal_id}/withdraw", responses=errors(403, 409))
def withdraw_proposal(
    proposal_id: ProposalId, session: SessionDep, user: CurrentUser, now: NowDep
) -> ProposalRead:
    """Withdraw a submitted proposal before the deadline."""
    row = proposals.withdraw_proposal(session, user, proposal_id, now=now)
    return ProposalRead.from_row(row, standing_of(session, row, now=now))
