"""The call catalogue's three states on the pages: open, closed, and deadline not stated."""

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.app import create_app
from clusterbridge.web.templating import duration_range

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: After SMP-COSME-2024-CLUSTER closed (5 February 2025, 17:00 CET).
LATER = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
CARDS = re.compile(r'data-testid="(open|undated)-calls">(.*?)</ul>', re.S)
STATUSES = re.compile(r'href="/calls/([^"]+)">.*?data-testid="call-status">([^<]+)<', re.S)


def _call_cards(html: str) -> dict[str, list[str]]:
    return {
        kind: re.findall(r'<a href="/calls/([^"]+)">', cards) for kind, cards in CARDS.findall(html)
    }


@pytest.fixture
def later_client(clean_database: Database, settings: Settings) -> Iterator[TestClient]:
    state = AppState(settings, clean_database, load_catalogue(), clock=lambda: LATER)
    with TestClient(create_app(state)) as client:
        yield client


def test_home_page_tells_open_calls_from_those_without_a_deadline(client: TestClient) -> None:
    page = client.get("/")

    assert _call_cards(page.text) == {
        "open": ["SMP-COSME-2024-CLUSTER"],
        "undated": ["SMP-COSME-2021-CLUSTER", "cluster-excellence"],
    }
    assert "Calls you can still apply to" not in page.text


def test_home_page_says_when_no_call_is_open(later_client: TestClient) -> None:
    page = later_client.get("/")

    assert _call_cards(page.text) == {"undated": ["SMP-COSME-2021-CLUSTER", "cluster-excellence"]}
    assert (
        '<p data-testid="no-open-calls">No call in the catalogue is open now (2 closed).'
        in page.text
    )


def test_call_list_names_each_of_the_three_states(client: TestClient) -> None:
    page = client.get("/calls")

    assert STATUSES.findall(page.text) == [
        ("SMP-COSME-2021-CLUSTER", "Deadline not stated"),
        ("SMP-COSME-2024-CLUSTER", "Open"),
        ("cluster-excellence", "Deadline not stated"),
        ("strategic-alliances-2020", "Closed"),
    ]


@pytest.mark.parametrize(
    ("call_id", "status", "duration"),
    [
        ("SMP-COSME-2024-CLUSTER", "Open", "up to 36 months"),
        ("cluster-excellence", "Deadline not stated", "20–24 months"),
        ("strategic-alliances-2020", "Closed", "24 months (indicative)"),
    ],
)
def test_call_page_shows_its_state_and_duration_in_words(
    client: TestClient, call_id: str, status: str, duration: str
) -> None:
    page = client.get(f"/calls/{call_id}")

    assert re.findall(r'data-testid="call-status">([^<]+)<', page.text) == [status]
    assert re.findall(r'data-testid="call-duration">([^<]+)<', page.text) == [duration]
    assert "?" not in re.findall(r'data-testid="call-duration">([^<]+)<', page.text)[0]
    assert "(seed " not in page.text


@pytest.mark.parametrize(
    ("low", "high", "indicative", "words"),
    [
        (None, 36, None, "up to 36 months"),
        (12, None, None, "at least 12 months"),
        (20, 24, None, "20–24 months"),
        (24, 24, None, "24 months"),
        (None, None, 24, "24 months (indicative)"),
        (None, None, None, "—"),
    ],
)
def test_duration_range_never_shows_a_question_mark(
    low: int | None, high: int | None, indicative: int | None, words: str
) -> None:
    call = replace(
        load_catalogue().get("SMP-COSME-2024-CLUSTER"),
        duration_min_months=low,
        duration_max_months=high,
        duration_indicative_months=indicative,
    )

    assert duration_range(call) == words
