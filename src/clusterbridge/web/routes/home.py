"""The home page."""

from importlib.resources import files
from pathlib import Path

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse

from clusterbridge.api.deps import CatalogueDep, NowDep
from clusterbridge.domain.calls import Call
from clusterbridge.domain.enums import CallStatus
from clusterbridge.web.auth import WebUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router()


#: The icon of every page (also asked for as /favicon.ico by browsers and tools).
FAVICON = Path(str(files("clusterbridge.web") / "static" / "favicon.svg"))


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The site's icon."""
    return FileResponse(FAVICON, media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, user: WebUser, catalogue: CatalogueDep, now: NowDep) -> HTMLResponse:
    """What clusterbridge does, the calls open now and those whose deadline is not stated."""
    by_status: dict[CallStatus, list[Call]] = {status: [] for status in CallStatus}
    for call in catalogue.calls:
        by_status[call.status(now)[0]].append(call)
    context = {
        "open_calls": by_status[CallStatus.OPEN],
        "undated_calls": by_status[CallStatus.NO_DEADLINE],
        "closed_count": len(by_status[CallStatus.CLOSED]),
        "now": now,
    }
    return render(request, "home.html", context, user=user)
