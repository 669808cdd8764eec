"""Fixtures for every test that touches the database.

The schema is built by the real migrations. The default is a temporary SQLite file; set
``CLUSTERBRIDGE_TEST_DATABASE_URL`` to a throwaway PostgreSQL database to run the same tests
there (``make test-pg`` creates and drops one per pytest-xdist worker: a ``{worker}`` in the URL
stands for the worker's name, ``gw0`` when the run has no workers).
"""

import os
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.routing import Mount

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db import migrate
from clusterbridge.db.base import Base
from clusterbridge.db.session import Database
from clusterbridge.services.accounts import users
from clusterbridge.services.calls.catalogue import Catalogue, load_catalogue
from clusterbridge.web.app import create_app

TEST_DATABASE_URL = os.environ.get("CLUSTERBRIDGE_TEST_DATABASE_URL", "").replace(
    "{worker}", os.environ.get("PYTEST_XDIST_WORKER", "gw0")
)
#: Real argon2 at its lowest cost for the accounts tests make and sign in with: at the
#: production cost (0.13 s a hash on these machines) hashing took minutes of the suite. Hashes
#: carry their own parameters, so verifying one made at another cost still works.
users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

#: The clock of apps under test: SMP-COSME-2024-CLUSTER is open, its deadline 2025-01-29.
NOW = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)


class UnexpectedMailError(AssertionError):
    """A test tried to reach an SMTP server."""


@pytest.fixture(autouse=True)
def no_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens an SMTP connection: mail goes to files unless a test sets up
    its own fake server."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise UnexpectedMailError("a test tried to send mail over SMTP")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    monkeypatch.setattr(smtplib, "SMTP_SSL", refuse)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of the test database: PostgreSQL when configured, else a fresh SQLite file."""
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _commit_without_waiting_for_the_disk(connection: Any, _record: Any) -> None:
    # The SQLite side of the PostgreSQL leg's ``synchronous_commit = off`` (scripts/test_pg.py):
    # a commit to the throwaway file need not wait for the disk, which took 6 ms a commit.
    connection.execute("PRAGMA synchronous = OFF")


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    """The test database, migrated to the head revision once per run."""
    db = Database.connect(database_url)
    if db.engine.dialect.name == "sqlite":
        sa.event.listen(db.engine, "connect", _commit_without_waiting_for_the_disk)
    migrate.downgrade(db.engine, "base") if migrate.current_revision(db.engine) else None
    migrate.upgrade(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included (savepoints)."""
    with database.engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as db_session:
            yield db_session
        transaction.rollback()


@pytest.fixture
def clean_database(database: Database) -> Iterator[Database]:
    """The test database, for code that opens its own sessions (the app, the CLI); every row
    is deleted after the test."""
    yield database
    with database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data directory for the settings, so no test touches the user's own."""
    folder = tmp_path / "data"
    monkeypatch.setenv("CLUSTERBRIDGE_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    """Settings for an app under test: its own data directory and a fixed secret key."""
    return Settings(data_dir=data_dir, secret_key="test-secret-key-" + "x" * 32)


@dataclass
class Clock:
    """The clock of an app under test: it reads ``now``, ``NOW`` until a test moves it (an
    exchange set up before its stay, reported after it)."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The clock of ``app_state``, at ``NOW``."""
    return Clock()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The shipped calls, read once per run: a catalogue is immutable (frozen dataclasses and
    tuples), and a running app shares one between all its requests too."""
    return load_catalogue()


@pytest.fixture
def app_state(
    clean_database: Database, settings: Settings, clock: Clock, catalogue: Catalogue
) -> AppState:
    """The state of an app on the test database, with the shipped calls and a fixed clock."""
    return AppState(settings, clean_database, catalogue, clock=clock)


#: The apps built so far in this process, by the settings they were built with.
_APPS: dict[str, FastAPI] = {}


def app_for(state: AppState) -> FastAPI:
    """The app (``create_app``) serving ``state``: built once per process for each settings
    (the data directory aside), then pointed at each test's state.

    FastAPI prepares a route's handler when an app first routes a request past it, about
    0.15 s for the routes of one app: half the time of a web or API test when every test built
    its own app. What an app keeps besides is its middleware's settings (the session key, HTTPS
    cookies), which are in the cache key, and its state (``app.state.clusterbridge``, on the app
    and on the API it mounts), which is set here on every call. Everything a request changes
    (rows, sign-in counts, jobs, the matching index) lives in the state, which is each test's own.
    One state at a time: a test that serves two states at once builds the other app itself.
    """
    settings = state.settings
    key = settings.resolved_secret_key() + settings.model_dump_json(exclude={"data_dir"})
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(state)
    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            route.app.state.clusterbridge = state
    app.state.clusterbridge = state
    return app


@pytest.fixture
def client(app_state: AppState) -> Iterator[TestClient]:
    """An HTTP client of the whole app (web pages and ``/api``), without a signed-in user."""
    with TestClient(app_for(app_state), base_url="http://testserver") as test_client:
        yield test_client


DATABASE_FIXTURES = frozenset({"database", "session", "clean_database", "app_state", "client"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the database ``db``, so that the PostgreSQL leg runs it too."""
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
