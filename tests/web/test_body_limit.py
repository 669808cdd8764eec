"""The request body size limit: a body over it is answered 413 before anything parses it; files
(multipart) may be larger than JSON and forms. The defaults sit above the largest upload."""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from clusterbridge.config import Settings
from clusterbridge.services.evidence import EVIDENCE
from clusterbridge.services.jobs.submit import MAX_IMPORT_BYTES
from clusterbridge.services.selection.proposals import DOCUMENTS
from clusterbridge.web.body_limit import BodySizeLimit

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


def test_a_big_web_form_is_refused_413_as_text(client: TestClient) -> None:
    response = client.post("/sign-in", data={"email": "x" * DEFAULT_LIMIT})

    assert (response.status_code, response.text) == (
        413,
        "The request is too large: at most 5 MB without files.\n",
    )


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
