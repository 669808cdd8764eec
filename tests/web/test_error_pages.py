"""Typed addresses the routes refuse: a page in the app's words, never the validator's
("Input should be ..."), with a 4xx status; the JSON API keeps its own 422 bodies."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.session import Database
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
    assert "<h1>Not found</h1>" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=-1", "This page number does not exist: use 1 or more"),
        ("page=two", "This page number does not exist: use a whole number"),
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
        "Search: use at most 200 characters",
        "Page: use 1 or more",
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
                "reason": "Input should be greater than or equal to 1",
            }
        ],
    }
