"""Driving the web app as a browser would: CSRF tokens from pages, signing in."""

import re
from collections.abc import Callable, Iterator

from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from tests.conftest import app_for
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


#: An uploaded file's name with accents, a dash and quotes, and the header that names it.
ODD_FILE_NAME = 'Évaluation – Ōsaka "final".pdf'
ODD_FILE_DISPOSITION = (
    'attachment; filename="Evaluation___Osaka__final_.pdf"; '
    "filename*=UTF-8''%C3%89valuation%20%E2%80%93%20%C5%8Csaka%20%22final%22.pdf"
)


def assert_served_under_its_owner_only(
    client: TestClient, address: str, *, own: int, others: int, content: bytes, message: str
) -> None:
    """File ``own`` (a PDF named ``ODD_FILE_NAME``) downloads under ``address``; file
    ``others``, of another owner the user also sees, is the same 404 page there as a file that
    does not exist, saying ``message``."""
    download = client.get(f"{address}/{own}")
    crossed = client.get(f"{address}/{others}")
    unknown = client.get(f"{address}/{others + 1000}")

    assert (download.status_code, download.content) == (200, content)
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == ODD_FILE_DISPOSITION
    assert (crossed.status_code, unknown.status_code) == (404, 404)
    assert crossed.text == unknown.text
    assert message in crossed.text


TOKEN_FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


def token_form(client: TestClient, name: str = "script") -> dict[str, str]:
    """The account page's "Create token" form, filled in with ``name``, as the page sends it."""
    page = client.get("/account").text
    match = TOKEN_FORM_KEY.search(page)
    assert match is not None, "no form key on /account"
    csrf = CSRF_FIELD.search(page)
    assert csrf is not None, "no CSRF field on /account"
    return {"name": name, "csrf_token": csrf.group(1), "form_key": match.group(1)}


def signed_in_browsers(
    app_state: AppState, address: Callable[[str], str] = str
) -> Iterator[Callable[[str], TestClient]]:
    """The body of a ``browser`` fixture: a signed-in browser per person (``address`` turns
    what a test names into the e-mail address), each closed when the test ends."""
    clients: list[TestClient] = []

    def open_as(person: str) -> TestClient:
        client = TestClient(app_for(app_state), base_url="http://testserver")
        client.__enter__()
        clients.append(client)
        sign_in(client, address(person))
        return client

    yield open_as
    for client in clients:
        client.__exit__(None, None, None)
