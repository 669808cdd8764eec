"""The home page."""

from fastapi import Request
from fastapi.responses import HTMLResponse

from clusterbridge.api.deps import CatalogueDep, NowDep
from clusterbridge.domain.enums import CallStatus
from clusterbridge.web.auth import WebUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: WebUser, catalogue: CatalogueDep, now: NowDep) -> HTMLResponse:
    """What clusterbridge does, and the calls still open."""
    open_calls = [call for call in catalogue.calls if call.status(now)[0] is not CallStatus.CLOSED]
    return render(request, "home.html", {"open_calls": open_calls, "now": now}, user=user)
