"""The call catalogue: the list, and each call with its rules and their sources."""

from fastapi import Request
from fastapi.responses import HTMLResponse

from clusterbridge.api.deps import CatalogueDep, NowDep
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.web.auth import WebUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/calls")


@router.get("", response_class=HTMLResponse)
def list_calls(
    request: Request, user: WebUser, catalogue: CatalogueDep, now: NowDep
) -> HTMLResponse:
    """Every call with its status and deadline."""
    rows = [(call, *call.status(now)) for call in catalogue.calls]
    return render(request, "calls/list.html", {"rows": rows, "now": now}, user=user)


@router.get("/{call_id}", response_class=HTMLResponse)
def call_detail(
    request: Request, call_id: str, user: WebUser, catalogue: CatalogueDep, now: NowDep
) -> HTMLResponse:
    """A call: facts, deadline countdown, strands and every rule with its quoted source."""
    call = catalogue.get(call_id)
    status, left = call.status(now)
    descriptions = {rule.id: get_condition(rule.condition).description for rule in call.rules}
    context = {"call": call, "status": status, "left": left, "descriptions": descriptions}
    return render(request, "calls/detail.html", context, user=user)
