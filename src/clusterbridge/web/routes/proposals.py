"""Proposal pages: "My proposals", and a proposal's page with its documents, submission,
withdrawal and, once submitted, its frozen eligibility report. A proposal is seen by its
applicant and by programme officers and administrators; to anybody else it does not exist."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep, TodayDep
from clusterbridge.api.downloads import uploaded_attachment
from clusterbridge.api.routers.evaluation import SelectionMailDep
from clusterbridge.db.models import Proposal, User
from clusterbridge.domain.enums import ProposalState
from clusterbridge.domain.errors import ConflictError, DomainError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.selection import calls, payments, proposals
from clusterbridge.services.selection.letters import OUTCOME_WORDS
from clusterbridge.services.selection.proposals import DOCUMENTS
from clusterbridge.services.selection.standing import standing_of, standings
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.call_forms import ProposalForm, merged, proposal_draft_of
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.routes.call_authoring import proposal_form_page, with_read
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/proposals")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
STATE_WORDS = {
    "draft": "Draft: not submitted yet",
    "submitted": "Submitted",
    "withdrawn": "Withdrawn",
}


@router.get("", response_class=HTMLResponse)
def my_proposals(
    request: Request, session: SessionDep, user: SignedInUser, now: NowDep
) -> HTMLResponse:
    """The proposals the user wrote, with their state."""
    items = proposals.list_my_proposals(session, user)
    context = {
        "proposals": items,
        "state_words": STATE_WORDS,
        "now": now,
        "standings": standings(session, items, now=now),
        "outcome_words": OUTCOME_WORDS,
    }
    return render(request, "proposals/list.html", context, user=user)


@router.get("/{proposal_id}", response_class=HTMLResponse)
def proposal_page(
    request: Request, session: SessionDep, user: SignedInUser, proposal_id: Id, now: NowDep
) -> HTMLResponse:
    """A proposal: its fields, documents, state and frozen eligibility report."""
    proposal = proposals.get_proposal(session, user, proposal_id)
    return _page(request, session, user, proposal, now=now, errors={})


@router.get("/{proposal_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request, session: SessionDep, user: SignedInUser, proposal_id: Id, now: NowDep
) -> HTMLResponse:
    """The form of a draft proposal, filled in (409 once submitted)."""
    proposal = proposals.get_proposal(session, user, proposal_id)
    if proposal.state is not ProposalState.DRAFT:
        raise ConflictError(f"The proposal is {proposal.state.value}: it can no longer change")
    form = ProposalForm(
        consortium_id=str(proposal.consortium_id or ""),
        organisation_id=str(proposal.organisation_id or ""),
        acronym=proposal.acronym,
        title=proposal.title,
        summary=proposal.summary,
        strand=proposal.strand or "",
        requested_grant=str(int(proposal.requested_grant)),
        duration_months=str(proposal.duration_months or ""),
    )
    return proposal_form_page(
        request, session, user, proposal.call, form, errors={}, now=now, proposal=proposal
    )


@router.post("/{proposal_id}/edit", response_model=None)
def edit(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    now: NowDep,
    form: Annotated[ProposalForm, Form()],
) -> Response:
    """Save a draft's changes: back to its page, or the form with every reason."""
    proposal = proposals.get_proposal(session, user, proposal_id)
    draft, issues = proposal_draft_of(form)
    try:
        proposals.update_proposal(session, user, proposal_id, draft, now=now)
    except DomainError as error:
        session.expire_all()
        proposal = proposals.get_proposal(session, user, proposal_id)
        return proposal_form_page(
            request, session, user, proposal.call, form,
            errors=form_errors(with_read(issues, error)), now=now, status=error.status,
            proposal=proposal,
        )  # fmt: skip
    if issues:  # unreachable: a number not read is empty, and the service requires them all
        raise merged(issues, None, what="proposal")
    return RedirectResponse(f"/proposals/{proposal.id}", status_code=303)


@router.post("/{proposal_id}/documents", response_model=None)
def add_documents(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    now: NowDep,
    documents: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Attach files; back to the proposal, or its page with every reason."""
    uploads = [
        DOCUMENTS.read(f.filename or "", f.content_type or "", f.file)
        for f in (documents or [])[: DOCUMENTS.max_files + 1]
        if f.filename
    ]
    return _act(
        request, session, user, proposal_id, now,
        lambda: proposals.add_documents(session, user, proposal_id, uploads, now=now),
    )  # fmt: skip


@router.post("/{proposal_id}/documents/{document_id}/delete", response_model=None)
def remove_document(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    now: NowDep,
) -> Response:
    """Remove a document of a draft."""
    return _act(
        request, session, user, proposal_id, now,
        lambda: proposals.remove_document(session, user, proposal_id, document_id, now=now),
    )  # fmt: skip


@router.get("/{proposal_id}/documents/{document_id}", response_class=Response)
def download_document(
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    today: TodayDep,
) -> Response:
    """A document's file, as uploaded (also for the experts evaluating the proposal who are
    not off it)."""
    document = proposals.read_document(session, user, proposal_id, document_id, today=today)
    return uploaded_attachment(document, fallback="document")


@router.post("/{proposal_id}/submit", response_model=None)
def submit(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    proposal_id: Id,
    now: NowDep,
    mail: SelectionMailDep,
) -> Response:
    """Submit before the deadline: the eligibility report is checked and frozen, and the
    applicant mailed a receipt."""
    return _act(
        request, session, user, proposal_id, now,
        lambda: proposals.submit_proposal(session, user, proposal_id, now=now, mail=mail),
    )  # fmt: skip


@router.post("/{proposal_id}/withdraw", response_model=None)
def withdraw(
    request: Request, session: SessionDep, user: SignedInUser, proposal_id: Id, now: NowDep
) -> Response:
    """Withdraw a submitted proposal before the deadline."""
    return _act(
        request, session, user, proposal_id, now,
        lambda: proposals.withdraw_proposal(session, user, proposal_id, now=now),
    )  # fmt: skip


def _act(  # noqa: PLR0917 -- the route's own parameters, passed on
    request: Request,
    session: Session,
    user: User,
    proposal_id: int,
    now: datetime,
    action: Callable[[], Proposal],
) -> Response:
    """Do ``action``; back to the proposal's page, or that page with the reason (the
    proposal's own 404 passes through)."""
    proposal = proposals.get_proposal(session, user, proposal_id)
    try:
        action()
    except DomainError as error:
        session.expire_all()
        proposal = proposals.get_proposal(session, user, proposal_id)
        return _page(
            request,
            session,
            user,
            proposal,
            now=now,
            errors=form_errors(error),
            status=error.status,
        )
    return RedirectResponse(f"/proposals/{proposal.id}", status_code=303)


def _page(
    request: Request,
    session: Session,
    user: User,
    proposal: Proposal,
    *,
    now: datetime,
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    call = proposal.call
    context = {
        "proposal": proposal,
        "call": call,
        "deadline": None if call.closes_at is None else proposals.local_time(call.closes_at, call),
        "open": calls.takes_proposals(session, call, now=now),
        "mine": proposal.applicant_id == user.id,
        "state_words": STATE_WORDS,
        "submitted_local": None
        if proposal.submitted_at is None
        else proposals.local_time(proposal.submitted_at, call),
        "errors": errors,
        "max_megabytes": DOCUMENTS.max_bytes // (1024 * 1024),
        "funding": payments.proposal_funding(session, user, proposal),
        "standing": standing_of(session, proposal, now=now),
        "outcome_words": OUTCOME_WORDS,
        "strand": _strand_text(proposal),
    }
    return render(request, "proposals/detail.html", context, user=user, status_code=status)


def _strand_text(proposal: Proposal) -> str:
    """The proposal's strand as its call names it ("1: Green"); one the call no longer has by
    its code, none by a dash."""
    if not proposal.strand:
        return "—"
    titles = {strand.id: strand.title for strand in calls.authored_call(proposal.call).strands}
    title = titles.get(proposal.strand)
    return f"{proposal.strand}: {title}" if title else proposal.strand
