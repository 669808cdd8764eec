"""The JSON API application."""

from fastapi import Depends, FastAPI

from clusterbridge import __version__
from clusterbridge.api.deps import get_optional_user
from clusterbridge.api.errors import install_error_handlers
from clusterbridge.api.openapi import install_openapi
from clusterbridge.api.queries import refuse_unknown_query
from clusterbridge.api.routers import ROUTERS
from clusterbridge.api.state import AppState

#: The API's areas, one per OpenAPI tag, in the order the documentation lists them.
AREAS = {
    "calls": "The call catalogue with each call's rules, and eligibility checks against them.",
    "programme calls": "Calls written in the app: drafts, publishing, export and import.",
    "proposals": "Proposals to those calls, their documents, submission and withdrawal.",
    "evaluation": "Experts, panels, reports, the consensus, the ranking and the selection.",
    "organisations": "The organisation registry: search, records, claims and memberships.",
    "consortia": "Consortia, their partners, eligibility, and invitations to join them.",
    "partners": "Partner suggestions for an organisation or a consortium, with reasons.",
    "builder": "The consortium builder: proposed consortia and completions (background jobs).",
    "events": "Match-making events: registration, meetings, the schedule, agendas, reports.",
    "exchanges": "ClusterXchange: enrolment, lump sums, matching and each exchange's steps.",
    "projects": "Monitored projects and their partners.",
    "indicators": "A project's indicators, values, linked activities and periodic reports.",
    "services to SMEs": "A project's services to SMEs, their deliveries and ratings.",
    "analysis": "A project's findings, evidence and policy recommendations.",
    "assessments": "Cluster readiness for the excellence labels; SME digital maturity.",
    "outcomes": "The outcome ledger: follow-up questions and an organisation's outcomes.",
    "jobs": "Background jobs: their state, their result, cancelling them.",
    "account": "Your password: change it, or reset a forgotten one.",
    "users": "Accounts for administrators: the list and the event organiser role.",
}

DESCRIPTION = (
    "The JSON API of clusterbridge, by area:\n\n"
    + "\n".join(f"- **{area}**: {what}" for area, what in AREAS.items())
    + """

Reading calls and organisations needs no account; most other areas need an API token, sent as
`Authorization: Bearer <token>` (create one with `clusterbridge tokens create` or on your
account page). Every error is JSON: `{"message": ..., "errors": [{"location", "field", "reason"}]}`.
"""
)


def create_api(state: AppState) -> FastAPI:
    """The API as an ASGI app, to be mounted at ``/api`` (its schema: ``/api/openapi.json``)."""
    api = FastAPI(
        title="clusterbridge API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[{"name": area, "description": what} for area, what in AREAS.items()],
        openapi_url="/openapi.json",
        # /api/docs is served by the web app (Swagger UI from the package, no CDN).
        docs_url=None,
        redoc_url=None,
        # A token that is sent is checked on every route, so a revoked one never works.
        # An unknown query parameter is refused rather than ignored.
        dependencies=[Depends(get_optional_user), Depends(refuse_unknown_query)],
    )
    api.state.clusterbridge = state
    install_error_handlers(api)
    for router in ROUTERS:
        api.include_router(router)
    install_openapi(api)
    return api
