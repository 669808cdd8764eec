"""Dependencies of the API routes, as ``Annotated`` aliases."""

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, timedelta
from typing import Annotated

import anyio
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from clusterbridge.api.state import AppState
from clusterbridge.db.models import User
from clusterbridge.domain.errors import DomainError
from clusterbridge.engines.exchanges import Programme
from clusterbridge.services.accounts import users
from clusterbridge.services.accounts.limits import PasswordResetLimiter, SignInLimiter
from clusterbridge.services.accounts.passwords import AccountMail
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia.invitations import InvitationMail
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.exchanges import ExchangeNotifier, open_programme
from clusterbridge.services.mail import build_mailer
from clusterbridge.services.registry import ClaimNotifier
from clusterbridge.services.selection.calls import catalogue_with_calls


class NotAuthenticatedError(DomainError):
    """No valid credentials came with a request that needs them."""

    status = 401


# The dependencies every request resolves are ``async`` and do no I/O in the event loop: FastAPI
# runs a synchronous one in its thread pool, and each hop there (queue, wake-up, the GIL handed
# over and back) cost more CPU than an API search answered from its cache (benchmarks/bench_load.py).


async def get_state(request: Request) -> AppState:
    """The application state set by ``create_app``."""
    state: AppState = request.app.state.clusterbridge
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_session(state: StateDep) -> AsyncIterator[Session]:
    """One unit of work per request: committed when the route returns, rolled back if it raises
    (before the response is sent, so a failed commit is an error the client sees).

    The session is made in the event loop (no I/O until it is used); its commit or rollback
    runs in the thread pool, and only when the request used the database."""
    unit = state.database.unit_of_work()
    session = unit.__enter__()
    try:
        yield session
    except BaseException as error:
        # A unit of work re-raises the error after its rollback (or a ConflictError for it).
        await _leave(unit.__exit__, session, type(error), error, error.__traceback__)
        raise
    await _leave(unit.__exit__, session, None, None, None)


async def _leave(exit_: Callable[..., bool | None], session: Session, *error: object) -> None:
    if not session.in_transaction():
        exit_(*error)
        return
    # As FastAPI's own exits of dependencies: outside the thread pool's limit (routes waiting in
    # the pool for a connection must not keep a session from giving its own back) and shielded
    # from cancellation (a request cancelled here would keep its connection).
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(exit_, *error, limiter=anyio.CapacityLimiter(1))


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_catalogue(state: StateDep, session: SessionDep) -> Catalogue:
    """The call catalogue: the call files loaded at start-up with the published calls authored
    in the app. Every route that lists or resolves a call reads this one (call pages, the
    eligibility checker, consortia, the builder, partner suggestions)."""
    return catalogue_with_calls(session, state.catalogue)


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


async def get_now(state: StateDep) -> datetime:
    """The time of this request, from the app's clock."""
    return state.clock()


NowDep = Annotated[datetime, Depends(get_now)]


async def get_today(state: StateDep, now: NowDep) -> date:
    """The site's calendar date at this request's time, in the configured time zone (ADR
    0039): what a page or an endpoint takes as "today"."""
    return state.settings.today(now)


TodayDep = Annotated[date, Depends(get_today)]


async def get_time_zone(state: StateDep) -> str:
    """The site's time zone (ADR 0039): the zone in which a service writes the calendar day of
    a stored moment (UTC in the database), e.g. in an evidence label."""
    return state.settings.time_zone


TimeZoneDep = Annotated[str, Depends(get_time_zone)]

_bearer = HTTPBearer(auto_error=False, description="An API token (clusterbridge tokens create)")


async def get_optional_user(
    state: StateDep,
    session: SessionDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    """The user of the bearer token, None without one; an invalid token is refused (401).

    The token's last use is written and committed in a short unit of work of its own, before the
    request's session reads anything: the request holds no write lock until it writes itself
    (on SQLite a write lock blocks every other writer), and its reads see that commit. Without
    a token nothing is read (and no thread is used)."""
    if credentials is None:
        return None
    return await run_in_threadpool(_token_user, state, session, credentials.credentials, now)


def _token_user(state: AppState, session: Session, token: str, now: datetime) -> User:
    with state.database.unit_of_work() as auth_session:
        user_id = users.use_api_token(auth_session, token, now=now)
    user = None if user_id is None else users.get_active_user(session, user_id)
    if user is None:
        raise NotAuthenticatedError("The API token is unknown or revoked")
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    """The user of the bearer token; 401 without a valid one."""
    if user is None:
        raise NotAuthenticatedError("This needs an API token: Authorization: Bearer <token>")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_notifier(state: StateDep) -> Notifier:
    """Where event notifications go: the configured mail backend and the site's address."""
    return Notifier(build_mailer(state.settings), state.settings.public_url)


NotifierDep = Annotated[Notifier, Depends(get_notifier)]


def get_claim_notifier(state: StateDep) -> ClaimNotifier:
    """Where claim mails go: the configured mail backend and the site's address."""
    return ClaimNotifier(build_mailer(state.settings), state.settings.public_url)


ClaimNotifierDep = Annotated[ClaimNotifier, Depends(get_claim_notifier)]


def get_account_mail(state: StateDep) -> AccountMail:
    """Where account mail (welcome, reset links) goes, with the reset link's lifetime."""
    lifetime = timedelta(minutes=state.settings.password_reset_minutes)
    return AccountMail(build_mailer(state.settings), state.settings.public_url, lifetime)


AccountMailDep = Annotated[AccountMail, Depends(get_account_mail)]


def get_sign_in_limiter(state: StateDep) -> SignInLimiter:
    """The counter of sign-in attempts of this app."""
    return state.sign_in_limiter


SignInLimiterDep = Annotated[SignInLimiter, Depends(get_sign_in_limiter)]


def get_password_reset_limiter(state: StateDep) -> PasswordResetLimiter:
    """The counter of password-reset requests of this app."""
    return state.password_reset_limiter


PasswordResetLimiterDep = Annotated[PasswordResetLimiter, Depends(get_password_reset_limiter)]


def get_client_address(request: Request) -> str:
    """The address of the client (of the proxy in front, unless the server trusts its
    forwarded headers: uvicorn's ``--forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"


ClientAddressDep = Annotated[str, Depends(get_client_address)]


def get_invitation_mail(state: StateDep) -> InvitationMail:
    """Where consortium invitations go: the configured mail backend and the site's address."""
    return InvitationMail(build_mailer(state.settings), state.settings.public_url)


InvitationMailDep = Annotated[InvitationMail, Depends(get_invitation_mail)]


def get_exchange_notifier(state: StateDep) -> ExchangeNotifier:
    """Where exchange mails go: the configured mail backend and the site's address."""
    return ExchangeNotifier(build_mailer(state.settings), state.settings.public_url)


ExchangeNotifierDep = Annotated[ExchangeNotifier, Depends(get_exchange_notifier)]


def get_programme(state: StateDep) -> Programme:
    """The exchange programme, with the administrator's lump-sum table if one is set."""
    return open_programme(state.settings.exchange_lump_sums_file)


ProgrammeDep = Annotated[Programme, Depends(get_programme)]
