"""The request body size limit: a body over it is answered 413 before anything parses it; files
(multipart) may be larger than JSON and forms. The defaults sit above the largest upload."""

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.services.evidence import EVIDENCE
from clusterbridge.services.jobs.submit import MAX_IMPORT_BYTES
from clusterbridge.services.selection.proposals import DOCUMENTS
from clusterbridge.web.body_limit import BodySizeLimit
from tests.conftest import app_for
from tests.factories.users import make_user
from tests.web.helpers import sign_in

pytestmark = pytest.mark.integration

MB = 1024 * 1024
DEFAULT_LIMIT = 5 * MB


async def _echo(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body and says how long it was."""
    body = await Request(scope, receive).body()
    await JSONResponse({"read": len(body)})(scope, receive, send)


@pytest.fixture
def small() -> TestClient:
    """The limit alone, over an app that reads bodies: 1000 bytes, 4000 with files."""
    return TestClient(BodySizeLimit(_echo, max_bytes=1000, max_upload_bytes=4000))


def test_a_big_json_body_to_the_api_is_refused_413_before_it_is_parsed(
    client: TestClient,
) -> None:
    body = b'{"name": "' + b"x" * (DEFAULT_LIMIT - 11) + b'"}'
    assert len(body) == DEFAULT_LIMIT + 1

    response = client.post(
        "/api/consortia", content=body, headers={"Content-Type": "application/json"}
    )

    assert (response.status_code, response.json()) == (
        413,
        {"message": "The request is too large: at most 5 MB without files", "errors": []},
    )


def test_a_json_body_at_the_limit_reaches_the_api(client: TestClient) -> None:
    body = b'{"name": "' + b"x" * (DEFAULT_LIMIT - 12) + b'"}'

    response = client.post(
        "/api/consortia", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 401  # read and answered by the API: no token


def _page(html: str) -> tuple[str, str, list[str], list[tuple[str, str]]]:
    """An error page as a reader sees it: its title, heading, notice lines and links after
    the notice (address, words)."""
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S)
    notice = re.search(r'<div class="notice error" role="alert">(.*?)</div>(.*)</main>', html, re.S)
    assert title is not None, html
    assert heading is not None, html
    assert notice is not None, html
    lines = [
        re.sub(r"<[^>]+>", "", line)
        for line in re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", notice.group(1), re.S)
    ]
    links = re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', notice.group(2))
    return title.group(1), heading.group(1), lines, links


def test_a_big_web_form_is_refused_413_with_the_sites_error_page(client: TestClient) -> None:
    response = client.post(
        "/sign-in",
        data={"email": "x" * DEFAULT_LIMIT},
        headers={"Referer": "http://testserver/sign-in?next=/consortia"},
    )

    assert (response.status_code, response.headers["content-type"]) == (
        413,
        "text/html; charset=utf-8",
    )
    assert response.headers["connection"] == "close"
    assert _page(response.text) == (
        "Too much to send · clusterbridge",
        "Too much to send",
        [
            "The request is too large: at most 5 MB without files.",
            "Shorten what you typed, then send the form again.",
        ],
        [
            ("/sign-in?next=/consortia", "Back to the page you came from"),
            ("/", "Back to the start page"),
        ],
    )


def test_big_files_sent_from_a_signed_in_page_get_the_error_page_with_the_users_menu(
    app_state: AppState,
) -> None:
    settings = app_state.settings.model_copy(update={"max_upload_request_bytes": 2 * MB})
    state = AppState(settings, app_state.database, app_state.catalogue, clock=app_state.clock)
    with state.database.unit_of_work() as session:
        make_user(session, email="maria@cluster.example", name="Maria Manager")
    files = {"file": ("orgs.csv", b"name\n" + b"x" * (2 * MB), "text/csv")}
    with TestClient(app_for(state), base_url="http://testserver") as client:
        sign_in(client, "maria@cluster.example")

        response = client.post(
            "/organisations/import", files=files, headers={"Referer": "https://elsewhere.example/x"}
        )

    assert response.status_code == 413
    assert _page(response.text)[1:] == (
        "Too much to send",
        [
            "The request is too large: at most 2 MB with files.",
            "Send smaller files, or fewer at once, and try again.",
        ],
        [("/", "Back to the start page")],
    )
    assert '<a href="/account">Maria Manager</a>' in response.text


@pytest.mark.parametrize(
    "referer", ["http://testserver//evil.example/x", "http://testserver/\\evil.example"]
)
def test_the_error_page_links_back_to_no_other_site(client: TestClient, referer: str) -> None:
    response = client.post(
        "/sign-in", data={"email": "x" * DEFAULT_LIMIT}, headers={"Referer": referer}
    )

    assert response.status_code == 413
    assert _page(response.text)[3] == [("/", "Back to the start page")]


def test_files_over_the_json_limit_reach_the_api(client: TestClient) -> None:
    files = {"file": ("orgs.csv", b"name\n" + b"x" * (6 * MB), "text/csv")}

    response = client.post("/api/organisations/import", files=files)

    assert response.status_code == 401


def test_a_body_over_the_limit_is_refused_by_its_length(small: TestClient) -> None:
    under = small.post("/anything", content=b"x" * 1000)
    over = small.post("/anything", content=b"x" * 1001)

    assert (under.status_code, under.json()) == (200, {"read": 1000})
    assert (over.status_code, over.text) == (
        413,
        "The request is too large: at most 1,000 bytes without files.\n",
    )


def test_files_have_their_own_limit(small: TestClient) -> None:
    under = small.post("/anything", files={"f": ("a.pdf", b"x" * 3000, "application/pdf")})
    over = small.post("/anything", files={"f": ("a.pdf", b"x" * 4000, "application/pdf")})

    assert under.status_code == 200
    assert (over.status_code, over.text) == (
        413,
        "The request is too large: at most 4,000 bytes with files.\n",
    )


def test_a_chunked_body_without_a_length_is_counted(small: TestClient) -> None:
    def chunks(count: int) -> Iterator[bytes]:
        for _ in range(count):
            yield b"x" * 300

    under = small.post("/anything", content=chunks(3))
    over = small.post("/anything", content=chunks(4))

    assert (under.status_code, under.json()) == (200, {"read": 900})
    assert over.status_code == 413


def test_an_api_refusal_is_json(small: TestClient) -> None:
    response = small.post("/api/x", content=b"x" * 1001)

    assert json.loads(response.text) == {
        "message": "The request is too large: at most 1,000 bytes without files",
        "errors": [],
    }


def test_the_default_limits_hold_the_largest_uploads() -> None:
    settings = Settings()

    largest_upload = max(
        DOCUMENTS.max_bytes * DOCUMENTS.max_files,
        EVIDENCE.max_bytes * EVIDENCE.max_files,
        MAX_IMPORT_BYTES,
    )
    assert settings.max_upload_request_bytes > largest_upload
    assert (settings.max_request_bytes, settings.max_upload_request_bytes) == (5 * MB, 110 * MB)
