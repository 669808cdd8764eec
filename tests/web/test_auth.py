"""Reading the signed-in user for pages made outside the routes (error pages)."""

import logging
from pathlib import Path

import pytest
from starlette.requests import Request

from clusterbridge.db.session import Database
from clusterbridge.web.auth import SESSION_KEY, find_web_user
from tests.conftest import NOW

pytestmark = [pytest.mark.integration]


def _request(session: dict[str, object] | None) -> Request:
    scope: dict[str, object] = {"type": "http", "method": "GET", "path": "/", "headers": []}
    if session is not None:
        scope["session"] = session
    return Request(scope)


def test_a_database_that_cannot_say_gives_no_user_and_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # An empty SQLite file: the sessions table is missing, as on a broken database.
    database = Database.connect(f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    with caplog.at_level(logging.ERROR, logger="clusterbridge.web.auth"):
        user = find_web_user(_request({SESSION_KEY: "a-key"}), database, now=NOW)
    database.dispose()

    assert user is None
    assert [record.getMessage() for record in caplog.records] == [
        "The signed-in user of an error page could not be read"
    ]


@pytest.mark.parametrize("session", [None, {}, {SESSION_KEY: 42}])
def test_no_session_key_gives_no_user_without_reading(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, session: dict[str, object] | None
) -> None:
    # Reading the empty database would fail, and say so in the log.
    database = Database.connect(f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    with caplog.at_level(logging.ERROR, logger="clusterbridge.web.auth"):
        user = find_web_user(_request(session), database, now=NOW)
    database.dispose()

    assert (user, caplog.records) == (None, [])
