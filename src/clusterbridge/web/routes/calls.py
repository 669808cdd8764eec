"""The call catalogue: the list, and each call with its rules and their sources. The calls
authored in the app are in it once published; a programme officer also sees the drafts."""

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from clusterbridge.api.deps import CatalogueDep, NowDep, SessionDep
from clusterbridge.db.models import ProgrammeCall, User
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.enums import CallStatus
from clusterbridge.domain.errors import UnknownCallError
from clusterbridge.services.selection import calls as authored
from clusterbridge.web.auth import WebUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/calls")


@router.get("", response_class=HTMLResponse)
def list_calls(
    request: Request,
    session: SessionDep,
    user: WebUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> HTMLResponse:
    """Every call with its status and deadline; for officers, the calls being written."""
    rows = [(call, *call.status(now)) for call in catalogue.calls]
    drafts = [
        row for row in authored.list_calls(session, user) if row.published_at is None
    ] if authored.is_officer(user) else []  # fmt: skip
    context = {"rows": rows, "now": now, "drafts": drafts, "officer": authored.is_officer(user)}
    return render(request, "calls/list.html", context, user=user)


@router.get("/{call_id}", response_class=HTMLResponse)
def call_detail(
    *,
    request: Request,
    call_id: str,
    session: SessionDep,
    user: WebUser,
    catalogue: CatalogueDep,
    now: NowDep,
) -> HTMLResponse:
    """A call: facts, deadline countdown, strands and every rule with its quoted source; for a
    call authored in the app, "Submit a proposal" while it is open. A draft is shown, marked as
    such, to programme officers (at the address its form gives); to anybody else it does not
    exist."""
    try:
        call = catalogue.get(call_id)
    except UnknownCallError:
        draft = _authored(session, user, call_id)
        if draft is None or draft.published_at is not None:
            raise
        call = authored.authored_call(draft)
    status, left = call.status(now)
    descriptions = {rule.id: get_condition(rule.condition).description for rule in call.rules}
    row = _authored(session, user, call.id)
    open_ = row is not None and authored.takes_proposals(session, row, now=now)
    if row is not None and row.published_at is not None:
        # A published selection closes a call without a deadline (as the API says it).
        status = CallStatus(authored.call_status(session, row, now=now))
    context = {
        "draft": row is not None and row.published_at is None,
        "call": call,
        "status": status,
        "left": left,
        "descriptions": descriptions,
        "authored": row,
        "open": open_,
        "officer": authored.is_officer(user),
    }
    return render(request, "calls/detail.html", context, user=user)


def _authored(session: Session, user: User | None, identifier: str) -> ProgrammeCall | None:
    try:
        return authored.find_call(session, user, identifier)
    except authored.ProgrammeCallNotFoundError:
        return None
