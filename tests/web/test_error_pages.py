"""Typed addresses the routes refuse: a page in the app's words, never the validator's
("Input should be ..."), with a 4xx status; the JSON API keeps its own 422 bodies."""

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.db.models import WebSession
from clusterbridge.db.session import Database
from clusterbridge.web.app import SESSION_COOKIE
from clusterbridge.web.errors import error_heading
from tests.factories.users import make_user
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def manager(clean_database: Database) -> str:
    with clean_database.unit_of_work() as session:
        return make_user(session).email


def _notice(html: str) -> list[str]:
    """The error notice's lines: its message, then each detail."""
    found = re.search(r'<div class="notice error" role="alert">(.*?)</div>', html, re.S)
    assert found is not None
    return [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in
            re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", found.group(1), re.S)]  # fmt: skip


def _menu(html: str) -> list[str]:
    """The navigation's links and buttons, as the reader sees them."""
    found = re.search(r"<nav\b.*?</nav>", html, re.S)
    assert found is not None
    entries = re.findall(r"<(?:a|button)\b[^>]*>(.*?)</(?:a|button)>", found.group(0), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", entry).split()) for entry in entries]


SIGNED_IN_MENU = [
    "clusterbridge", "Calls", "Organisations", "Consortia", "Builder", "Events", "Exchanges", "Proposals",
    "Evaluation", "Projects", "Maria Manager", "Sign out",
]  # fmt: skip
SIGNED_OUT_MENU = [
    "clusterbridge", "Calls", "Organisations", "Consortia", "Builder", "Events", "Exchanges", "Sign in", "Register",
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "status"),
    [("/no-such-page", 404), ("/consortia/999999", 404), ("/organisations?page=0", 422)],
)
def test_an_error_page_shows_the_signed_in_users_menu(
    client: TestClient, manager: str, path: str, status: int
) -> None:
    sign_in(client, manager)

    response = client.get(path)

    assert response.status_code == status
    assert _menu(response.text) == SIGNED_IN_MENU


def _heading_and_title(html: str) -> tuple[list[str], list[str]]:
    return re.findall(r"<h1>([^<]*)</h1>", html), re.findall(r"<title>([^<]*)</title>", html)


@pytest.mark.parametrize(
    ("method", "path", "heading"),
    [
        ("GET", "/no-such-page", "Page not found"),
        ("GET", "/organisations?page=0", "There is a problem with what was sent"),
        ("GET", "/organisations/import", "You cannot open this page"),
        ("POST", "/organisations/new", "You cannot do this"),
    ],
)
def test_an_error_pages_heading_and_title_say_what_happened(
    client: TestClient, manager: str, method: str, path: str, heading: str
) -> None:
    # Every error page was headed "Something is not right" but a 404's and a 413's.
    sign_in(client, manager)

    response = client.request(method, path)

    assert _heading_and_title(response.text) == ([heading], [f"{heading} · clusterbridge"])


@pytest.mark.parametrize(
    ("status", "method", "heading"),
    [
        (400, "POST", "This request cannot be done"),
        (403, "HEAD", "You cannot open this page"),
        (409, "POST", "This cannot be done now"),
        (410, "GET", "This is no longer available"),
        (418, "GET", "This request cannot be done"),
        (429, "POST", "Too many attempts"),
        (500, "GET", "Something went wrong on our side"),
        (502, "GET", "Something went wrong on our side"),
        (503, "GET", "Not ready yet"),
    ],
)
def test_an_error_heading_names_each_status(status: int, method: str, heading: str) -> None:
    assert error_heading(status, method) == heading


def test_an_error_page_of_an_ended_session_shows_the_signed_out_menu(
    client: TestClient, manager: str, clean_database: Database
) -> None:
    sign_in(client, manager)
    with clean_database.unit_of_work() as session:
        session.execute(sa.delete(WebSession))

    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert _menu(response.text) == SIGNED_OUT_MENU


def test_an_error_page_with_a_forged_session_cookie_shows_the_signed_out_menu(
    client: TestClient,
) -> None:
    client.cookies.set(SESSION_COOKIE, "not-a-signed-cookie")

    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert _menu(response.text) == SIGNED_OUT_MENU


@pytest.mark.parametrize(
    "path", ["/evaluation/calls/QA-CALL-1", "/consortia/not-a-number", "/consortia/0"]
)
def test_a_path_id_that_is_no_id_is_a_plain_not_found_page(
    client: TestClient, manager: str, path: str
) -> None:
    sign_in(client, manager)

    response = client.get(path)

    assert (response.status_code, response.headers["content-type"]) == (
        404,
        "text/html; charset=utf-8",
    )
    assert _notice(response.text) == ["No such page."]
    assert "<h1>Page not found</h1>" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=-1", "This page number does not exist: the page must be at least 1"),
        ("page=two", "This page number does not exist: the page must be a whole number"),
    ],
)
def test_a_page_number_that_does_not_exist_is_told_in_the_apps_words(
    client: TestClient, manager: str, query: str, message: str
) -> None:
    sign_in(client, manager)

    response = client.get(f"/organisations?{query}")

    assert response.status_code == 422
    assert _notice(response.text) == [message]


def test_other_refused_query_fields_are_named_by_their_label(
    client: TestClient, manager: str
) -> None:
    sign_in(client, manager)

    response = client.get("/organisations?q=" + "x" * 201 + "&page=0")

    assert response.status_code == 422
    assert _notice(response.text) == [
        "The address is not valid.",
        "Search: must be at most 200 characters, not 201",
        "Page: must be at least 1",
    ]


def test_the_api_keeps_its_validation_body(client: TestClient) -> None:
    response = client.get("/api/organisations?page=-1")

    assert response.status_code == 422
    assert response.json() == {
        "message": "The request is not valid",
        "errors": [
            {
                "location": "query",
                "field": "page",
                "reason": "must be at least 1",
            }
        ],
    }
