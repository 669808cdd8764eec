"""Driving the web app as a browser would: CSRF tokens from pages, signing in."""

import re

from fastapi.testclient import TestClient

from tests.factories.users import PASSWORD

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client: TestClient, page: str = "/sign-in") -> str:
    """The CSRF token of the client's session, read from a form on ``page``."""
    match = CSRF_FIELD.search(client.get(page).text)
    assert match is not None, f"no CSRF field on {page}"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign ``client`` in through the sign-in form."""
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "next": "/", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
