"""The JSON API application."""

from fastapi import Depends, FastAPI

from clusterbridge import __version__
from clusterbridge.api.deps import get_optional_user
from clusterbridge.api.errors import install_error_handlers
from clusterbridge.api.openapi import install_openapi
from clusterbridge.api.queries import refuse_unknown_query
from clusterbridge.api.routers import ROUTERS
from clusterbridge.api.state import AppState

DESCRIPTION = """\
Calls, organisations, consortia, eligibility checks and match-making events of clusterbridge.

Reading calls and organisations needs no account. Consortia and events need an API token, sent as
`Authorization: Bearer <token>` (create one with `clusterbridge tokens create` or on your
account page). Every error is JSON: `{"message": ..., "errors": [{"location", "field", "reason"}]}`.
"""


def create_api(state: AppState) -> FastAPI:
    """The API as an ASGI app, to be mounted at ``/api`` (its schema: ``/api/openapi.json``)."""
    api = FastAPI(
        title="clusterbridge API",
        version=__version__,
        description=DESCRIPTION,
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
