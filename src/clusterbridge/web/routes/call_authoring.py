"""Pages of programme officers for the calls they write: a new call (typed, or imported from
a call file), a draft's form with publication and export, and the proposals a call received;
and, for applicants, the form that starts a proposal to an open call.

Registered before `routes.calls`, whose ``/calls/{call_id}`` would otherwise take
``/calls/new``. A form with a mistake is shown again with what was typed and every reason.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import CatalogueDep, NowDep, SessionDep
from clusterbridge.api.downloads import attachment
from clusterbridge.db.models import Consortium, Organisation, ProgrammeCall, Proposal, User
from clusterbridge.domain.errors import (
    AccessDeniedError,
    DomainError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.selection import calls, cascade, proposals
from clusterbridge.services.selection.call_drafts import CallDraft
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.call_forms import (
    CALL_FORM_LABELS,
    PROPOSAL_FORM_LABELS,
    CallForm,
    ProposalForm,
    call_draft_of,
    call_form_errors,
    call_form_of,
    merged,
    proposal_draft_of,
)
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render, time_zone_choices

router = web_router(prefix="/calls")

#: The longest call file imported.
MAX_FILE_BYTES = 1024 * 1024


@router.get("/new", response_class=HTMLResponse)
def new_call_page(request: Request, user: SignedInUser) -> HTMLResponse:
    """The form of a new call, and the import of a call file."""
    _require_officer(user)
    return _form_page(request, user, None, CallForm.blank(), {})


@router.post("/new", response_model=None)
def create_call(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    catalogue: CatalogueDep,
    form: Annotated[CallForm, Form()],
) -> Response:
    """Save the new call as a draft; back to its form, or the form with every reason."""
    _require_officer(user)
    draft, issues = call_draft_of(form)
    try:
        if issues:
            raise _checked(session, draft, catalogue, None, issues)
        row = calls.create_call(session, user, draft, catalogue=catalogue)
    except InvalidInputError as error:
        failed = error if not issues else merged(issues, error)
        return _form_page(request, user, None, form, call_form_errors(failed), status=422)
    return RedirectResponse(f"/calls/{row.identifier}/edit", status_code=303)


@router.post("/import", response_model=None)
def import_call(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    catalogue: CatalogueDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A new draft call from a call file; the new-call page with every reason otherwise."""
    _require_officer(user)
    data = b"" if file is None else file.file.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]
    name = (file.filename if file else "") or "call.toml"
    try:
        row = calls.import_call_file(session, user, name, data, catalogue=catalogue)
    except InvalidInputError as error:
        errors = {"import": "; ".join(str(issue) for issue in error.issues) or str(error)}
        return _form_page(request, user, None, CallForm.blank(), errors, status=422)
    return RedirectResponse(f"/calls/{row.identifier}/edit", status_code=303)


@router.get("/{identifier}/edit", response_class=HTMLResponse)
def edit_call_page(
    request: Request, session: SessionDep, user: SignedInUser, identifier: str
) -> HTMLResponse:
    """A call's form (a draft's, to change and publish; a published call's, to read)."""
    _require_officer(user)
    row = calls.find_call(session, user, identifier)
    return _form_page(request, user, row, call_form_of(calls.draft_of(row)), {})


@router.post("/{identifier}/edit", response_model=None)
def update_call(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    catalogue: CatalogueDep,
    identifier: str,
    form: Annotated[CallForm, Form()],
) -> Response:
    """Save a draft's changes; back to its form, or the form with every reason."""
    _require_officer(user)
    row = calls.find_call(session, user, identifier)
    draft, issues = call_draft_of(form)
    try:
        if issues:
            raise _checked(session, draft, catalogue, row.id, issues)
        calls.update_call(session, user, row.id, draft, catalogue=catalogue)
    except (InvalidInputError, DomainError) as error:
        failed = merged(issues, error) if isinstance(error, InvalidInputError) and issues else error
        return _form_page(request, user, row, form, call_form_errors(failed), status=failed.status)
    return RedirectResponse(f"/calls/{row.identifier}/edit", status_code=303)


@router.post("/{identifier}/publish", response_model=None)
def publish_call(
    request: Request, session: SessionDep, user: SignedInUser, identifier: str, now: NowDep
) -> Response:
    """Publish a draft: to the call's page, or its form with the reason."""
    row = calls.find_call(session, user, identifier)
    try:
        calls.publish_call(session, user, row.id, now=now)
    except DomainError as error:
        form = call_form_of(calls.draft_of(row))
        return _form_page(request, user, row, form, call_form_errors(error), status=error.status)
    return RedirectResponse(f"/calls/{row.identifier}", status_code=303)


@router.get("/{identifier}/file", response_class=Response)
def export_call(session: SessionDep, user: SignedInUser, identifier: str) -> Response:
    """The call's file (TOML), to download."""
    row = calls.find_call(session, user, identifier)
    name, text = calls.export_call_file(session, user, row.id)
    return attachment(text, name, media_type="application/toml")


@router.get("/{identifier}/proposals", response_class=HTMLResponse)
def call_proposals(
    request: Request, session: SessionDep, user: SignedInUser, identifier: str
) -> HTMLResponse:
    """The proposals a call received (programme officers and administrators)."""
    row = calls.find_call(session, user, identifier)
    items = proposals.list_call_proposals(session, user, row.id)
    context = {"row": row, "proposals": items}
    return render(request, "calls/proposals.html", context, user=user)


@router.get("/{identifier}/proposals/new", response_class=HTMLResponse)
def new_proposal_page(
    request: Request, session: SessionDep, user: SignedInUser, identifier: str, now: NowDep
) -> HTMLResponse:
    """The form that starts a proposal to an open call."""
    row = calls.find_call(session, user, identifier)
    return proposal_form_page(request, session, user, row, ProposalForm(), errors={}, now=now)


@router.post("/{identifier}/proposals/new", response_model=None)
def create_proposal(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    identifier: str,
    now: NowDep,
    form: Annotated[ProposalForm, Form()],
) -> Response:
    """Start the proposal: to its page (to add documents and submit), or the form again."""
    row = calls.find_call(session, user, identifier)
    draft, issues = proposal_draft_of(form)
    try:
        proposal = proposals.create_proposal(session, user, row.id, draft, now=now)
    except DomainError as error:
        errors = form_errors(with_read(issues, error))
        return proposal_form_page(
            request, session, user, row, form, errors=errors, now=now, status=error.status
        )
    if issues:  # unreachable: a number not read is empty, and the service requires them all
        raise merged(issues, None, what="proposal")
    return RedirectResponse(f"/proposals/{proposal.id}", status_code=303)


def with_read(issues: list[InputIssue], error: DomainError) -> DomainError:
    """``error`` with the mistakes of the form's numbers first, when it lists mistakes."""
    if issues and isinstance(error, InvalidInputError):
        return merged(issues, error, what="proposal")
    return error


def _form_page(
    request: Request,
    user: User,
    row: ProgrammeCall | None,
    form: CallForm,
    errors: dict[str, str],
    *,
    status: int = 200,
) -> HTMLResponse:
    context = {"row": row, "form": form, "errors": errors, "zones": time_zone_choices()}
    context["labels"] = CALL_FORM_LABELS
    return render(request, "calls/form.html", context, user=user, status_code=status)


def _with_only_choice(
    form: ProposalForm, *, consortia: Sequence[Consortium], smes: Sequence[Organisation]
) -> ProposalForm:
    """``form`` with the applicant's one consortium (or, for a call for SMEs, its one SME)
    chosen when nothing is yet: the choice it would have to make anyway."""
    update: dict[str, str] = {}
    if len(consortia) == 1 and not form.consortium_id:
        update["consortium_id"] = str(consortia[0].id)
    if len(smes) == 1 and not form.organisation_id:
        update["organisation_id"] = str(smes[0].id)
    return form.model_copy(update=update)


def proposal_form_page(
    request: Request,
    session: Session,
    user: User,
    row: ProgrammeCall,
    form: ProposalForm,
    *,
    errors: dict[str, str],
    now: datetime,
    status: int = 200,
    proposal: Proposal | None = None,
) -> HTMLResponse:
    """The form of a new proposal to ``row`` (of ``proposal``, to change it), with ``errors``
    (in the form's order, the order its summary lists them)."""
    order = list(PROPOSAL_FORM_LABELS)
    consortia = [] if cascade.is_cascade(row) else proposals.editable_consortia(session, user)
    smes = cascade.applicant_smes(session, user) if cascade.is_cascade(row) else []
    if proposal is None and not errors:
        form = _with_only_choice(form, consortia=consortia, smes=smes)
    context = {
        "proposal": proposal,
        "row": row,
        "call": calls.authored_call(row),
        "open": calls.takes_proposals(session, row, now=now),
        "form": form,
        "errors": dict(sorted(errors.items(), key=lambda item: _place(order, item[0]))),
        "labels": PROPOSAL_FORM_LABELS,
        "cascade": cascade.is_cascade(row),
        "consortia": consortia,
        "smes": smes,
    }
    return render(request, "calls/proposal_new.html", context, user=user, status_code=status)


def _place(order: list[str], field: str) -> int:
    return order.index(field) if field in order else len(order)


def _checked(
    session: Session,
    draft: CallDraft,
    catalogue: Catalogue,
    call_id: int | None,
    issues: list[InputIssue],
) -> InvalidInputError:
    try:
        calls.check_call(session, draft, catalogue=catalogue, call_id=call_id)
    except InvalidInputError as error:
        return merged(issues, error)
    return merged(issues, None)


def _require_officer(user: User) -> None:
    if not calls.is_officer(user):
        raise AccessDeniedError("Only programme officers and administrators write calls")
