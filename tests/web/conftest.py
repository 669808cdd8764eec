"""Fixtures shared by the web pages' tests."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.app import create_app
from tests.factories.indicators import make_indicator_world

#: The clock of `late_client`: the end of 2026, when the indicator world's periods have begun.
LATE = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)


@pytest.fixture
def late_client(clean_database: Database, settings: Settings) -> Iterator[TestClient]:
    """A client whose clock is at the end of 2026 (`LATE`)."""
    state = AppState(settings, clean_database, load_catalogue(), clock=lambda: LATE)
    with TestClient(create_app(state), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def indicator_project(clean_database: Database) -> int:
    """The monitored project of the indicator world (`make_indicator_world`)."""
    with clean_database.unit_of_work() as session:
        return make_indicator_world(session).project.id
