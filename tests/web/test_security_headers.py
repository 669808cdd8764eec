"""Security headers: HSTS only when the cookies are HTTPS-only."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.app import create_app
from tests.conftest import NOW

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def secure_client(clean_database: Database, settings: Settings) -> Iterator[TestClient]:
    state = AppState(
        settings.model_copy(update={"secure_cookies": True}),
        clean_database,
        load_catalogue(),
        clock=lambda: NOW,
    )
    with TestClient(create_app(state), base_url="https://testserver") as test_client:
        yield test_client


def test_secure_cookies_bring_strict_transport_security(secure_client: TestClient) -> None:
    for path in ("/", "/sign-in", "/api/calls"):
        response = secure_client.get(path)

        assert response.headers["strict-transport-security"] == (
            "max-age=31536000; includeSubDomains"
        ), path


def test_plain_http_sends_no_strict_transport_security(client: TestClient) -> None:
    response = client.get("/")

    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers
