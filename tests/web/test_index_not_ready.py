"""Before the shared matching index is first built, web processes answer "being built": a
panel that says so (a fragment htmx swaps in), 503 in the API; a build is asked for."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.matching.shared import SharedMatchIndex
from clusterbridge.web.app import create_app
from tests.conftest import NOW
from tests.factories.matching import make_matching_registry

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOT_READY = (
    "The partner-matching index is being built; suggestions will be available in a minute or "
    "two. Please try again shortly."
)


@pytest.fixture
def asked() -> list[int]:
    return []


@pytest.fixture
def not_ready_client(
    clean_database: Database, settings: Settings, tmp_path: Path, asked: list[int]
) -> Iterator[tuple[TestClient, int]]:
    with clean_database.unit_of_work() as session:
        steel = make_matching_registry(session)["steel"].id
    shared = SharedMatchIndex(tmp_path / "cache", request_build=lambda: asked.append(1))
    state = AppState(settings, clean_database, load_catalogue(), clock=lambda: NOW, matching=shared)
    with TestClient(create_app(state), base_url="http://testserver") as client:
        yield client, steel


def test_suggestions_say_the_index_is_being_built_and_ask_for_a_build(
    not_ready_client: tuple[TestClient, int], asked: list[int]
) -> None:
    client, steel = not_ready_client

    panel = client.get(f"/organisations/{steel}/suggestions", headers={"HX-Request": "true"})
    api = client.get(f"/api/organisations/{steel}/suggestions")

    assert panel.status_code == 200
    assert f'data-testid="index-not-ready">{NOT_READY}</p>' in panel.text
    assert 'data-testid="suggestion"' not in panel.text
    assert (api.status_code, api.headers["retry-after"]) == (503, "30")
    assert api.json() == {"message": NOT_READY, "errors": []}
    assert asked == [1]
