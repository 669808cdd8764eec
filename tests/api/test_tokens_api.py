"""API tokens: a request records the token's use without holding a write lock."""

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from clusterbridge.api.deps import CurrentUser, SessionDep
from clusterbridge.api.state import AppState
from clusterbridge.db.models import ApiToken
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.web.app import create_app
from tests.conftest import NOW
from tests.factories.events import make_person

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def raw_token(app_state: AppState) -> str:
    with app_state.database.unit_of_work() as session:
        user = make_person(
            session, email="tara@example.org", name="Tara", role=UserRole.CLUSTER_MANAGER
        )
        _token, raw = create_api_token(session, user, name="script")
    return raw


def _write_at_once(app_state: AppState) -> None:
    """Rename every token from another connection, waiting at most 0.2 s for a lock. The
    connection is then dropped, not pooled: its short wait would stay with it and make a later
    test's lock wait fail (a registration race on PostgreSQL did)."""
    with app_state.database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA busy_timeout = 200")
        else:
            connection.exec_driver_sql("SET lock_timeout = '200ms'")
        try:
            connection.execute(sa.update(ApiToken).values(name="renamed"))
            connection.commit()
        finally:
            connection.invalidate()


def _last_used(app_state: AppState) -> datetime | None:
    with app_state.database.unit_of_work() as session:
        return session.scalars(sa.select(ApiToken.last_used_at)).one()


@pytest.fixture
def slow_client(app_state: AppState) -> Iterator[TestClient]:
    """An app with one route that reads, then lets someone else write while it "computes"."""
    app = FastAPI()
    app.state.clusterbridge = app_state

    @app.get("/slow")
    def slow(user: CurrentUser, session: SessionDep) -> dict[str, object]:
        session.execute(sa.text("SELECT 1"))
        _write_at_once(app_state)
        return {"email": user.email, "last_used": str(_last_used(app_state))}

    with TestClient(app) as client:
        yield client


def test_a_request_with_a_token_holds_no_write_lock_while_it_works(
    slow_client: TestClient, raw_token: str
) -> None:
    response = slow_client.get("/slow", headers={"Authorization": f"Bearer {raw_token}"})

    assert response.status_code == 200
    assert response.json() == {"email": "tara@example.org", "last_used": str(NOW)}


def test_a_token_used_again_within_a_minute_writes_nothing(
    app_state: AppState, raw_token: str
) -> None:
    moments = [NOW, NOW + timedelta(seconds=59), NOW + timedelta(seconds=61)]
    now = [NOW]
    app = create_app(dataclasses.replace(app_state, clock=lambda: now[0]))

    recorded = []
    with TestClient(app, base_url="http://testserver") as client:
        for moment in moments:
            now[0] = moment
            response = client.get(
                "/api/consortia", headers={"Authorization": f"Bearer {raw_token}"}
            )
            recorded.append((response.status_code, _last_used(app_state)))

    assert recorded == [(200, NOW), (200, NOW), (200, NOW + timedelta(seconds=61))]
