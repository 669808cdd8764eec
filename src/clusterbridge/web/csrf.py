"""CSRF protection: a random token per session, required on every unsafe request.

Forms carry it in the hidden field ``csrf_token``; htmx sends it in the ``X-CSRF-Token`` header
(set once on ``<body hx-headers>``).
"""

import hmac
import secrets

from fastapi import Request

from clusterbridge.domain.errors import DomainError

SESSION_KEY = "csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfError(DomainError):
    """An unsafe request without the session's CSRF token."""

    status = 403


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token: str | None = request.session.get(SESSION_KEY)
    if token is None:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse (403) an unsafe request whose token is missing or is not the session's."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if sent is None:
        form = await request.form()  # cached by Starlette: routes can still read it
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    expected = request.session.get(SESSION_KEY)
    # As bytes: compare_digest refuses str with non-ASCII characters (a 500 instead of a 403).
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfError(
            "The form has expired or did not come from this site: reload the page and try again"
        )
