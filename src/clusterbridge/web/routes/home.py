"""The home page: for a visitor, what each kind of user does here; for a signed-in user, what
waits for them (their organisations with the partners to look for, their events and meeting
requests, the events they run, their consortia, projects and exchange partnerships, and an
officer's calls to evaluate, claims to approve, payments to make and exchanges waiting for
their payment); then the calls open now."""

from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy.orm import Session

from clusterbridge.api.deps import CatalogueDep, NowDep, SessionDep, TodayDep
from clusterbridge.db.models import Organisation, User
from clusterbridge.domain.assessment import counts_as_sme
from clusterbridge.domain.calls import Call
from clusterbridge.domain.enums import CallStatus, OrgType, SmeProfile, UserRole
from clusterbridge.services import registry
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import consortia
from clusterbridge.services.events import overview as events
from clusterbridge.services.exchanges.oversight import payments_awaited
from clusterbridge.services.exchanges.overview import overview as exchange_overview
from clusterbridge.services.monitoring import projects as monitored_projects
from clusterbridge.services.selection import waiting
from clusterbridge.web.auth import WebUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router()


#: The icon of every page (also asked for as /favicon.ico by browsers and tools).
FAVICON = Path(str(files("clusterbridge.web") / "static" / "favicon.svg"))
#: Organisation types whose suggestions are best the SMEs that need their technologies.
PROVIDER_TYPES = frozenset(
    {OrgType.TECHNOLOGY_CENTRE, OrgType.RESEARCH_ORGANISATION, OrgType.UNIVERSITY}
)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The site's icon."""
    return FileResponse(FAVICON, media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def home(
    *,
    request: Request,
    session: SessionDep,
    user: WebUser,
    catalogue: CatalogueDep,
    now: NowDep,
    today: TodayDep,
) -> HTMLResponse:
    """For a visitor, what each kind of user does here; for a signed-in user, what waits for
    them; then the calls open now and those whose deadline is not stated."""
    by_status: dict[CallStatus, list[Call]] = {status: [] for status in CallStatus}
    for call in catalogue.calls:
        by_status[call.status(now)[0]].append(call)
    context: dict[str, Any] = {
        "open_calls": by_status[CallStatus.OPEN],
        "undated_calls": by_status[CallStatus.NO_DEADLINE],
        "closed_count": len(by_status[CallStatus.CLOSED]),
        "now": now,
    }
    if user is not None:
        context |= _signed_in(session, user, catalogue=catalogue, now=now, today=today)
    return render(request, "home.html", context, user=user)


def _signed_in(
    session: Session, user: User, *, catalogue: Catalogue, now: datetime, today: date
) -> dict[str, Any]:
    """What the home page shows a signed-in ``user``, from what the platform holds."""
    organisations = registry.my_organisations(session, user)
    requests = registry.count_requests_to_mine(session, user)
    officer = user.role in {UserRole.PROGRAMME_OFFICER, UserRole.ADMINISTRATOR}
    return {
        # Officers and administrators see every project and partnership: not "theirs".
        "projects": [] if officer else monitored_projects.list_projects(session, user),
        "partnerships": [] if officer else exchange_overview(session, user).acting_for,
        "organisations": [_organisation_view(o, requests.get(o.id, 0)) for o in organisations],
        "my_events": events.my_events(session, user, now=now),
        "run_events": events.run_events(session, user, now=now),
        "may_create_events": user.role in {UserRole.EVENT_ORGANISER, UserRole.ADMINISTRATOR},
        "my_consortia": consortia.my_consortia(session, user, catalogue=catalogue, now=now),
        "reports_to_write": waiting.reports_to_write(session, user),
        "officer": officer,
        "calls_to_evaluate": waiting.calls_to_evaluate(session, user, now=now),
        "payments_due": waiting.payments_due(session, user),
        "exchange_payments": payments_awaited(session, user, today=today),
        "claims": (
            registry.claims_to_decide(session, user)
            if user.role is UserRole.ADMINISTRATOR and user.is_active
            else []
        ),
    }


def _organisation_view(organisation: Organisation, requests: int) -> dict[str, Any]:
    """One of the user's organisations: the partners to look for (words and address of the
    suggestions), whether its SME profile is missing, and the ``requests`` to join it."""
    return {
        "organisation": organisation,
        "seek": _partners_sought(organisation),
        "membership_requests": requests,
        "no_sme_profile": (
            counts_as_sme(is_sme=organisation.is_sme, org_type=organisation.type)
            and organisation.sme_profile is None
        ),
    }


def _partners_sought(organisation: Organisation) -> tuple[str, str]:
    """What the organisation looks for, and the address of its suggestions of that kind: a
    traditional SME its technology partners (its complements, as the suggestions start), a
    tech-savvy SME the traditional SMEs that need its skills, a technology centre (or a
    research organisation, a university) the traditional SMEs that need its technologies (asked
    for any SME, those that offer what it needs come first)."""
    suggestions = f"/organisations/{organisation.id}/suggestions"
    if organisation.sme_profile is SmeProfile.TRADITIONAL:
        return "Find technology partners", suggestions
    if organisation.sme_profile is SmeProfile.TECH_SAVVY:
        return "Find traditional SMEs that need your skills", f"{suggestions}?kind=traditional"
    if organisation.type in PROVIDER_TYPES:
        return (
            "Find traditional SMEs that need your technologies",
            f"{suggestions}?kind=traditional",
        )
    return "Find partners", suggestions
