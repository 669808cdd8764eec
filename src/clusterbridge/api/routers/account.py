"""Your account: change your password (with a token), or reset a forgotten one (without).

Changing or resetting a password ends every web session and revokes every API token of the
account, the token of the request included.
"""

from fastapi import APIRouter, Response

from clusterbridge.api.deps import (
    AccountMailDep,
    ClientAddressDep,
    CurrentUser,
    NowDep,
    PasswordResetLimiterDep,
    SessionDep,
    SignInLimiterDep,
)
from clusterbridge.api.errors import error_responses
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.schemas.account import Accepted, PasswordChange, ResetConfirm, ResetRequest
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.accounts import passwords

router = APIRouter(prefix="/account", tags=["account"], route_class=ExactNumbersRoute)

NO_CONTENT = 204
RESET_SENT = (
    "If an account has this address, a message with a link to choose a new password is on its way."
)


@router.post(
    "/password",
    status_code=NO_CONTENT,
    responses=error_responses(
        {
            401: "No valid API token.",
            422: "The current password is wrong, or the new one is too short or not repeated.",
            429: "Too many attempts for this account or from this address (see Retry-After).",
        }
    ),
)
def change_password(
    *,
    body: PasswordChange,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    limiter: SignInLimiterDep,
    address: ClientAddressDep,
) -> Response:
    """Change your password. Every session and API token of yours ends, this one included;
    a wrong current password counts as a failed sign-in attempt."""
    limiter.count_attempt(email=user.email, address=address)
    try:
        passwords.change_password(
            session,
            user,
            current=body.current_password,
            new=body.new_password,
            confirmation=body.confirmation,
            now=now,
        )
    except InvalidInputError as error:
        if not passwords.is_wrong_current_password(error):
            limiter.forgive_attempt(email=user.email, address=address)
        raise
    limiter.forgive_attempt(email=user.email, address=address)
    return Response(status_code=NO_CONTENT)


@router.post("/password-reset", status_code=202)
def request_reset(
    *,
    body: ResetRequest,
    session: SessionDep,
    now: NowDep,
    mail: AccountMailDep,
    limiter: PasswordResetLimiterDep,
    address: ClientAddressDep,
) -> Accepted:
    """Ask for a password-reset link by e-mail. Needs no token; the answer is the same whether
    or not the address has an account (asking too often, for one address or from one client,
    sends nothing more). Requests have their own limits: they never count as sign-in attempts."""
    if limiter.allow_request(email=body.email, address=address):
        passwords.request_password_reset(session, mail, email=body.email, now=now)
    return Accepted(message=RESET_SENT)


@router.post(
    "/password-reset/confirm",
    status_code=NO_CONTENT,
    responses=error_responses(
        {
            404: "The link is unknown, used or expired.",
            422: "The new password is too short or not repeated.",
        }
    ),
)
def confirm_reset(
    body: ResetConfirm, session: SessionDep, now: NowDep, limiter: SignInLimiterDep
) -> Response:
    """Set a new password (``new_password``, as when changing one; the older name
    ``password`` still works) with the token of an e-mailed reset link. Needs no API token.
    The link works once; every session and API token of the account ends, and its failed
    sign-in attempts are forgotten."""
    account = passwords.reset_password(
        session,
        body.token,
        password=body.new_password,
        confirmation=body.confirmation,
        now=now,
        field="new_password",
    )
    limiter.forget_failures(email=account.email)
    return Response(status_code=NO_CONTENT)
