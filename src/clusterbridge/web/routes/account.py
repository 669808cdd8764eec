"""Signing in and out, registering, and the account page with its API tokens."""

import hmac
import secrets
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterbridge.api.deps import (
    AccountMailDep,
    ClientAddressDep,
    NowDep,
    SessionDep,
    SignInLimiterDep,
)
from clusterbridge.db.models import User
from clusterbridge.db.repositories import users as user_repository
from clusterbridge.domain.enums import ClaimStatus, UserRole
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services import registry
from clusterbridge.services.accounts import users
from clusterbridge.services.accounts.limits import TooManyAttemptsError
from clusterbridge.services.accounts.registration import register
from clusterbridge.services.text import REQUIRED
from clusterbridge.web.auth import SignedInUser, WebUser, sign_in, sign_out
from clusterbridge.web.routing import safe_next, web_router
from clusterbridge.web.templating import render

router = web_router()

#: The session key of the "Create token" form's one-use key. A new token's secret is shown only
#: in the answer to that form, never kept in the session (its cookie is signed, not encrypted);
#: the key makes the form's second sending (a reload, a step back) create and show nothing.
CREATE_FORM_KEY = "token_form"
#: What the account page says when its token form was sent with a used key.
USED_FORM_NOTICE = (
    "This form was sent already, so no token was created now. Tokens are listed below; "
    "a token's secret is shown only once, when it is created."
)
#: What a refused sign-in says, beside the e-mail address (the first of the two fields).
WRONG_CREDENTIALS = "The e-mail address or the password is not right."
#: ... and how its summary names the field: either of the two may be wrong.
WRONG_CREDENTIALS_LABELS = {"email": "E-mail address or password"}
#: The roles a person may choose when registering, the form's first (and default) first; the
#: others are given by an administrator. Most people who register work for an organisation.
SELF_SERVICE_ROLES = (UserRole.ORGANISATION_MEMBER, UserRole.CLUSTER_MANAGER)
#: Who each of them is, in the registration form's words.
ROLE_WORDS = {
    UserRole.ORGANISATION_MEMBER: (
        "I work for a company, a research centre, a university or another organisation"
    ),
    UserRole.CLUSTER_MANAGER: "I run or work for a cluster organisation",
}


class SignInForm(BaseModel):
    email: str = ""
    password: str = ""
    next: str = "/"


class RegisterForm(BaseModel):
    name: str = ""
    email: str = ""
    password: str = ""
    role: str = UserRole.ORGANISATION_MEMBER.value


class TokenForm(BaseModel):
    name: str = ""
    form_key: str = ""


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, user: WebUser, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    context = {"form": SignInForm(next=next), "errors": {}}
    return render(request, "account/sign_in.html", context, user=user)


@router.post("/sign-in", response_model=None)
def sign_in_submit(
    *,
    request: Request,
    session: SessionDep,
    now: NowDep,
    limiter: SignInLimiterDep,
    address: ClientAddressDep,
    form: Annotated[SignInForm, Form()],
) -> Response:
    """Sign in, then go where the user was going. Too many failed attempts for the address
    typed or from this client answer 429, known account or not; a successful one counts for
    nothing. A field left empty is named and is no attempt (422)."""
    blank = {field: REQUIRED for field in ("email", "password") if not getattr(form, field).strip()}
    if blank:
        context = {"form": form, "errors": blank}
        return render(request, "account/sign_in.html", context, user=None, status_code=422)
    try:
        limiter.count_attempt(email=form.email, address=address)
    except TooManyAttemptsError as error:
        context = {"form": form, "errors": {"form": str(error)}}
        response = render(request, "account/sign_in.html", context, user=None, status_code=429)
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response
    user = users.authenticate(session, email=form.email, password=form.password)
    if user is None:
        # Which of the two is wrong is not told; the summary's link leads to the first.
        context = {
            "form": form,
            "errors": {"email": WRONG_CREDENTIALS},
            "summary_labels": WRONG_CREDENTIALS_LABELS,
        }
        return render(request, "account/sign_in.html", context, user=None, status_code=400)
    limiter.forgive_attempt(email=form.email, address=address)
    sign_in(request, session, user, now=now)
    return RedirectResponse(safe_next(form.next), status_code=303)


@router.post("/sign-out")
def sign_out_submit(request: Request, session: SessionDep) -> RedirectResponse:
    """Sign out: the session ends on the server, so a copy of the cookie no longer works."""
    sign_out(request, session)
    return RedirectResponse("/", status_code=303)


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, user: WebUser) -> HTMLResponse:
    """The registration form."""
    context = {
        "form": RegisterForm(), "roles": SELF_SERVICE_ROLES, "role_words": ROLE_WORDS, "errors": {},
    }  # fmt: skip
    return render(request, "account/register.html", context, user=user)


@router.post("/register", response_model=None)
def register_submit(
    request: Request,
    session: SessionDep,
    mail: AccountMailDep,
    form: Annotated[RegisterForm, Form()],
) -> Response:
    """Create an account and say to look for the welcome mail; the answer is the same for an
    address that already has an account (whose owner gets a mail instead). A bad field
    re-renders the form with every reason."""
    role = next((r for r in SELF_SERVICE_ROLES if r.value == form.role), None)
    if role is None:
        issues = users.check_account(
            session,
            email=form.email.strip().lower(),
            name=form.name,
            password=form.password,
            report_taken=False,
        )
        issues.append(InputIssue("", "role", "choose cluster manager or organisation member"))
        return _register_form(request, form, issues)
    try:
        register(session, mail, email=form.email, name=form.name, password=form.password, role=role)
    except InvalidInputError as error:
        return _register_form(request, form, list(error.issues))
    return RedirectResponse("/register/sent", status_code=303)


#: The registration form's fields, in its order (the order its summary lists them).
REGISTER_FIELDS = ("name", "email", "password", "role")


def _register_form(request: Request, form: RegisterForm, issues: list[InputIssue]) -> Response:
    """The form again with every reason (422), in the form's order."""
    found = {issue.field: issue.reason for issue in issues}
    errors = {field: found[field] for field in REGISTER_FIELDS if field in found}
    errors |= found
    context = {
        "form": form, "roles": SELF_SERVICE_ROLES, "role_words": ROLE_WORDS, "errors": errors,
    }  # fmt: skip
    return render(request, "account/register.html", context, user=None, status_code=422)


@router.get("/register/sent", response_class=HTMLResponse)
def register_sent(request: Request, user: WebUser) -> HTMLResponse:
    """After registering: look in the mailbox, then sign in."""
    return render(request, "account/register_sent.html", {}, user=user)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, user: SignedInUser, session: SessionDep) -> HTMLResponse:
    """The user's account and API tokens (never a token's secret: see `create_token`)."""
    return _account_page(request, session, user)


@router.get("/account/tokens")
def tokens_page() -> RedirectResponse:
    """The address of the token form's answer, typed in: the account page."""
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens")
def create_token(
    request: Request,
    user: SignedInUser,
    session: SessionDep,
    form: Annotated[TokenForm, Form()],
) -> HTMLResponse:
    """Create an API token and show its secret once, in this answer only: not stored by the
    browser (``no-store``), never in the session. The form's key is used up, so sending it
    again creates nothing and shows the tokens with a notice (409)."""
    expected = request.session.pop(CREATE_FORM_KEY, None)
    sent = form.form_key.encode()
    if not isinstance(expected, str) or not hmac.compare_digest(sent, expected.encode()):
        return _account_page(request, session, user, notice=USED_FORM_NOTICE, status_code=409)
    _token, raw = users.create_api_token(session, user, name=form.name or "API token")
    response = _account_page(request, session, user, new_token=raw)
    response.headers["Cache-Control"] = "no-store"
    return response


def _account_page(
    request: Request,
    session: Session,
    user: User,
    *,
    new_token: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The account page, its token form with the session's one-use key (made if missing)."""
    form_key = request.session.setdefault(CREATE_FORM_KEY, secrets.token_urlsafe(32))
    tokens = user_repository.list_tokens(session, user.id)
    context = {
        "tokens": tokens, "new_token": new_token, "notice": notice, "form_key": form_key,
        "organisations": registry.my_organisations(session, user),
        "asked": [
            claim for claim in registry.list_my_claims(session, user)
            if claim.status is ClaimStatus.PENDING
        ],
    }  # fmt: skip
    return render(request, "account/account.html", context, user=user, status_code=status_code)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    token_id: int, user: SignedInUser, session: SessionDep, now: NowDep
) -> RedirectResponse:
    """Revoke one of the user's tokens."""
    users.revoke_api_token(session, user, token_id, now=now)
    return RedirectResponse("/account", status_code=303)
