"""Changing the password on the account page, and resetting a forgotten one by e-mail."""

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from clusterbridge.api.deps import (
    AccountMailDep,
    ClientAddressDep,
    NowDep,
    PasswordResetLimiterDep,
    SessionDep,
    SignInLimiterDep,
)
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.accounts import passwords
from clusterbridge.services.accounts.limits import TooManyAttemptsError
from clusterbridge.web.auth import SignedInUser, WebUser, sign_in
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router()


class ChangeForm(BaseModel):
    current_password: str = ""
    new_password: str = ""
    confirmation: str = ""


class ForgotForm(BaseModel):
    email: str = ""


class ResetForm(BaseModel):
    password: str = ""
    confirmation: str = ""


@router.get("/account/password", response_class=HTMLResponse)
def change_page(request: Request, user: SignedInUser, changed: bool = False) -> HTMLResponse:
    """The form to change one's password."""
    context = {"errors": {}, "changed": changed}
    return render(request, "account/password.html", context, user=user)


@router.post("/account/password", response_model=None)
def change_submit(
    *,
    request: Request,
    user: SignedInUser,
    session: SessionDep,
    now: NowDep,
    limiter: SignInLimiterDep,
    address: ClientAddressDep,
    form: Annotated[ChangeForm, Form()],
) -> Response:
    """Change the password: every session and API token of the user ends, and this browser
    gets a new session. A wrong current password counts as a failed sign-in attempt."""
    try:
        limiter.count_attempt(email=user.email, address=address)
        passwords.change_password(
            session,
            user,
            current=form.current_password,
            new=form.new_password,
            confirmation=form.confirmation,
            now=now,
        )
    except TooManyAttemptsError as error:
        context = {"errors": {}, "error": str(error), "changed": False}
        response = render(request, "account/password.html", context, user=user, status_code=429)
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response
    except InvalidInputError as error:
        if not passwords.is_wrong_current_password(error):
            limiter.forgive_attempt(email=user.email, address=address)
        errors = {issue.field: issue.reason for issue in error.issues}
        context = {"errors": errors, "changed": False}
        return render(request, "account/password.html", context, user=user, status_code=422)
    limiter.forgive_attempt(email=user.email, address=address)
    sign_in(request, session, user, now=now)
    return RedirectResponse("/account/password?changed=true", status_code=303)


@router.get("/forgot-password", response_class=HTMLResponse)
def forgot_page(request: Request, user: WebUser) -> HTMLResponse:
    """The form to ask for a reset link."""
    context = {"form": ForgotForm(), "errors": {}}
    return render(request, "account/forgot_password.html", context, user=user)


@router.post("/forgot-password", response_model=None)
def forgot_submit(
    *,
    request: Request,
    user: WebUser,
    session: SessionDep,
    now: NowDep,
    mail: AccountMailDep,
    limiter: PasswordResetLimiterDep,
    address: ClientAddressDep,
    form: Annotated[ForgotForm, Form()],
) -> Response:
    """Mail a reset link if the address has an account; the answer is the same either way
    (asking too often sends nothing more, and says nothing either). Requests have their own
    limits: they never count as sign-in attempts."""
    if not limiter.allow_request(email=form.email, address=address):
        return RedirectResponse("/forgot-password/sent", status_code=303)
    try:
        passwords.request_password_reset(session, mail, email=form.email, now=now)
    except InvalidInputError as error:
        context = {"form": form, "errors": {issue.field: issue.reason for issue in error.issues}}
        return render(
            request, "account/forgot_password.html", context, user=user, status_code=error.status
        )
    return RedirectResponse("/forgot-password/sent", status_code=303)


@router.get("/forgot-password/sent", response_class=HTMLResponse)
def forgot_sent(request: Request, user: WebUser, mail: AccountMailDep) -> HTMLResponse:
    """What happens next, the same for every address."""
    minutes = int(mail.lifetime.total_seconds() // 60)
    return render(request, "account/forgot_sent.html", {"minutes": minutes}, user=user)


@router.get("/reset-password/{token}", response_class=HTMLResponse)
def reset_page(
    request: Request, token: str, user: WebUser, session: SessionDep, now: NowDep
) -> HTMLResponse:
    """The form to choose a new password, if the link still works."""
    account = passwords.check_reset_token(session, token, now=now)
    context = {"errors": {}, "token": token, "account": account.email}
    return render(request, "account/reset_password.html", context, user=user)


@router.post("/reset-password/{token}", response_model=None)
def reset_submit(
    *,
    request: Request,
    token: str,
    user: WebUser,
    session: SessionDep,
    now: NowDep,
    limiter: SignInLimiterDep,
    form: Annotated[ResetForm, Form()],
) -> Response:
    """Set the new password: the link is used up, the account is signed out everywhere, and
    its failed sign-in attempts are forgotten (a locked-out owner signs in at once)."""
    try:
        account = passwords.reset_password(
            session, token, password=form.password, confirmation=form.confirmation, now=now
        )
    except InvalidInputError as error:
        account = passwords.check_reset_token(session, token, now=now)
        errors = {issue.field: issue.reason for issue in error.issues}
        context = {"errors": errors, "token": token, "account": account.email}
        return render(
            request, "account/reset_password.html", context, user=user, status_code=error.status
        )
    limiter.forget_failures(email=account.email)
    return RedirectResponse("/reset-password-done", status_code=303)


@router.get("/reset-password-done", response_class=HTMLResponse)
def reset_done(request: Request, user: WebUser) -> HTMLResponse:
    """The password is set: sign in with it."""
    return render(request, "account/reset_done.html", {}, user=user)
