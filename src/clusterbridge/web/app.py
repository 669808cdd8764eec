"""The whole application: web pages, static files and the JSON API under ``/api``."""

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clusterbridge.api.app import create_api
from clusterbridge.api.state import AppState
from clusterbridge.config import Settings, get_settings
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.database import open_database
from clusterbridge.services.jobs import EmbeddedQueue
from clusterbridge.services.jobs.index_job import index_build_requester
from clusterbridge.services.matching.index import warm_up
from clusterbridge.services.matching.shared import freeze_long_lived_objects, shared_index
from clusterbridge.web.body_limit import BodySizeLimit
from clusterbridge.web.errors import install_web_error_handlers, too_large_page
from clusterbridge.web.routes import WEB_ROUTERS, api_docs

SESSION_COOKIE = "clusterbridge_session"
SESSION_MAX_AGE = timedelta(days=14)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    ),
]
#: Sent when cookies are HTTPS-only (the site is behind TLS): browsers then refuse plain HTTP for
#: a year, so a session cookie is never offered to a downgraded connection.
HSTS_HEADER = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def build_app(settings: Settings) -> FastAPI:
    """Open (and migrate) the configured database, load the calls and create the app; the
    partner-matching index is read from the shared store in the cache folder (opened in the
    background; a build is asked for when the store has none or is behind the registry: an
    ``index.build`` job with a broker, a build process of its own without one), and
    without a broker a thread settles abandoned background jobs every minute."""
    folders = [settings.calls_dir] if settings.calls_dir else []
    database = open_database(settings)
    # With a broker, a build is an ``index.build`` job for the workers (ADR 0034).
    requester: list[Callable[[], object]] = []

    def request_build() -> object:
        return requester[0]()

    matching = shared_index(settings, request_build=request_build)
    state = AppState(settings, database, load_catalogue(folders), matching=matching)
    requester.append(index_build_requester(database, settings, state.jobs.dispatch))
    warm_up(matching, database)
    if isinstance(state.jobs, EmbeddedQueue):
        # No broker, so no worker or scheduler settles jobs abandoned by a stopped process.
        state.jobs.start_recovery()
    app = create_app(state)
    # The catalogue, reference data, models and routes live as long as the process.
    freeze_long_lived_objects()
    return app


def app_from_environment() -> FastAPI:
    """``build_app`` with the settings of the environment: what each web process of
    ``clusterbridge serve --workers N`` runs."""
    return build_app(get_settings())


def create_app(state: AppState) -> FastAPI:
    """The ASGI application over ``state``."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.clusterbridge = state
    # Before the API's mount, which would otherwise answer /api/docs.
    app.include_router(api_docs.router)
    app.mount("/api", create_api(state))
    app.mount("/static/swagger-ui", StaticFiles(directory=api_docs.SWAGGER_UI_FILES))
    app.mount("/static", StaticFiles(packages=[("clusterbridge.web", "static")]), name="static")
    for router in WEB_ROUTERS:
        app.include_router(router)
    install_web_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=state.settings.max_request_bytes,
        max_upload_bytes=state.settings.max_upload_request_bytes,
        page=too_large_page,
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=state.settings.resolved_secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=int(SESSION_MAX_AGE.total_seconds()),
        same_site="lax",
        https_only=state.settings.secure_cookies,
    )
    headers = (
        [*SECURITY_HEADERS, HSTS_HEADER] if state.settings.secure_cookies else SECURITY_HEADERS
    )
    app.add_middleware(SecurityHeaders, headers=headers)
    return app


class SecurityHeaders:
    """Adds the security headers to every response."""

    def __init__(self, app: ASGIApp, *, headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)
