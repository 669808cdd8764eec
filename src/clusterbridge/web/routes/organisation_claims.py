"""Claims on an organisation's page: asking to manage its record, and approving or refusing.

The panel (``organisations/_claims.html``, filled by ``organisations.claims_context``) shows a
signed-in user who cannot edit the record the form to ask, or the state of their claim;
members and administrators see the pending claims with Approve and Refuse. Actions made
through htmx answer with the panel; without htmx the forms still work: a change redirects back
to the page, a mistake re-renders it with the reason.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import ClaimNotifierDep, NowDep, SessionDep
from clusterbridge.db.models import User
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import registry
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routes.organisations import ClaimForm, DecisionForm, detail_context
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import is_htmx, render

router = web_router(prefix="/organisations")

OrganisationId = Annotated[int, Path(ge=1, le=MAX_ID)]
ClaimId = Annotated[int, Path(ge=1, le=MAX_ID)]
PANEL = "organisations/_claims.html"


@dataclass(frozen=True, slots=True)
class ClaimPage:
    """What every claim route needs: the request, the signed-in user, the unit of work, the
    time and where claim mail goes."""

    request: Request
    user: User
    session: Session
    now: datetime
    notifier: registry.ClaimNotifier


def get_claim_page(
    request: Request,
    user: SignedInUser,
    session: SessionDep,
    now: NowDep,
    notifier: ClaimNotifierDep,
) -> ClaimPage:
    """The route's `ClaimPage`."""
    return ClaimPage(request, user, session, now, notifier)


Page = Annotated[ClaimPage, Depends(get_claim_page)]


@router.post("/{organisation_id}/claims", response_model=None)
def ask(
    organisation_id: OrganisationId, page: Page, form: Annotated[ClaimForm, Form()]
) -> Response:
    """Ask to manage the organisation; the panel (or the page) then shows the claim waiting."""
    try:
        registry.create_claim(
            page.session, page.user, organisation_id, message=form.message, notifier=page.notifier
        )
    except InvalidInputError as error:
        return _answer(page, organisation_id, form=form, error=error)
    return _answer(page, organisation_id)


@router.post("/{organisation_id}/claims/{claim_id}/approve", response_model=None)
def approve(
    organisation_id: OrganisationId,
    claim_id: ClaimId,
    page: Page,
    form: Annotated[DecisionForm, Form()],
) -> Response:
    """Approve a claim: its requester becomes a member of the organisation."""
    return _decide(page, organisation_id, claim_id, form, approve=True)


@router.post("/{organisation_id}/claims/{claim_id}/refuse", response_model=None)
def refuse(
    organisation_id: OrganisationId,
    claim_id: ClaimId,
    page: Page,
    form: Annotated[DecisionForm, Form()],
) -> Response:
    """Refuse a claim, with the reason typed (if any)."""
    return _decide(page, organisation_id, claim_id, form, approve=False)


def _decide(
    page: ClaimPage, organisation_id: int, claim_id: int, form: DecisionForm, *, approve: bool
) -> Response:
    # A claim is decided on its own organisation's page only.
    claim = registry.get_claim(page.session, page.user, claim_id)
    if claim.organisation_id != organisation_id:
        raise registry.ClaimNotFoundError(claim_id)
    requester = claim.requester.name
    try:
        registry.decide_claim(
            page.session,
            page.user,
            claim_id,
            approve=approve,
            reason=form.reason,
            now=page.now,
            notifier=page.notifier,
        )
    except InvalidInputError as error:
        return _answer(page, organisation_id, error=error)
    return _answer(page, organisation_id, decided=(approve, requester))


def _answer(
    page: ClaimPage,
    organisation_id: int,
    *,
    form: ClaimForm | None = None,
    error: InvalidInputError | None = None,
    decided: tuple[bool, str] | None = None,
) -> Response:
    """For htmx the panel (with the reasons of ``error``, or what was ``decided``: approved or
    not, and whose request); otherwise back to the page, or the page with the reasons."""
    htmx = is_htmx(page.request)
    if error is None and not htmx:
        return RedirectResponse(f"/organisations/{organisation_id}#claims", status_code=303)
    organisation = registry.get_organisation(page.session, organisation_id)
    context = detail_context(page.session, page.user, organisation, panel_only=htmx)
    if form is not None:
        context["claim_form"] = form
    if error is not None:
        context["claim_errors"] = {issue.field: issue.reason for issue in error.issues}
    if decided is not None:
        context["claim_decided"] = decided
    if htmx:
        return render(page.request, PANEL, context, user=page.user)
    status = error.status if error is not None else 200
    return render(
        page.request, "organisations/detail.html", context, user=page.user, status_code=status
    )
