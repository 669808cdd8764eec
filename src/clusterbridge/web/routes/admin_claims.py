"""The administrator's list of claims waiting for a decision.

A claim is decided on its organisation's page (its members and the administrators see it
there); an administrator, who may decide every claim, finds them all here, oldest first.
"""

from fastapi import Request
from fastapi.responses import HTMLResponse

from clusterbridge.api.deps import SessionDep
from clusterbridge.services import registry
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/admin/claims")


@router.get("", response_class=HTMLResponse)
def claims_page(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """Every claim waiting for a decision, each with a link to decide it on its organisation's
    page; 403 for anyone but an administrator."""
    claims = registry.claims_to_decide(session, user)
    return render(request, "admin/claims.html", {"claims": claims}, user=user)
