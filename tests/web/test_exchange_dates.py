"""Every exchange page writes its days in words ("04 November 2024"), as the rest of the app
does; only form inputs of type date and attributes keep ISO 8601. Runs on SQLite and
PostgreSQL."""

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Exchange
from clusterbridge.domain.enums import ExchangeState
from tests.exchange_world import World, add_exchange, make_world
from tests.web.helpers import signed_in_browsers

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def world(app_state: AppState) -> World:
    return make_world(app_state.database)


@pytest.fixture
def browser(app_state: AppState) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in browser per person."""
    yield from signed_in_browsers(app_state)


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _shown_text(html: str) -> str:
    """What a page shows in words: its text outside tags (attributes and input values are
    inside tags) and outside scripts."""
    return re.sub(r"<[^>]*>", " ", re.sub(r"<script.*?</script>", "", html, flags=re.S))


def test_exchange_pages_write_every_date_in_words(
    app_state: AppState, world: World, browser: Callable[[str], TestClient]
) -> None:
    ids = [
        add_exchange(
            app_state.database,
            visitor=f"Visitor {state}",
            host=f"Host {state}",
            visitors_partnership=world.alpine,
            hosts_partnership=world.atlantic,
            monday=4 + 7 * (n % 3),
            state=state,
        )
        for n, state in enumerate(
            (ExchangeState.PAID, ExchangeState.VALIDATED, ExchangeState.CANCELLED)
        )
    ]
    with app_state.database.unit_of_work() as session:
        participant = session.get_one(Exchange, ids[0]).visitor_id
    paula, cora = browser("paula@alpine.example"), browser("cora@sides.example")
    olga = browser("olga@commission.example")
    addresses = [
        (paula, f"/exchanges/partnerships/{world.alpine}"),
        (paula, "/exchanges/enrol"),
        (cora, "/exchanges"),
        (cora, f"/exchanges/participants/{participant}"),
        (olga, "/exchanges/all"),
        *[(paula, f"/exchanges/{i}") for i in ids],
    ]

    shown = {address: _shown_text(who.get(address).text) for who, address in addresses}

    assert {a: ISO_DATE.findall(text) for a, text in shown.items() if ISO_DATE.search(text)} == {}
    paid, due, cancelled = (shown[f"/exchanges/{i}"] for i in ids)
    assert re.findall(r"Paid EUR [\d,]+ on ([^.]+)\.", paid) == ["20 November 2024"]
    assert "Due by 25 November 2024." in due
    assert "Cancelled by the host on 15 November 2024: Closed." in cancelled
    assert "Approved by the visitor: 15 November 2024" in paid
    assert "Dates 04 November 2024 to 08 November 2024 (5 working days)" in " ".join(paid.split())
    # Form inputs of type date keep ISO, as browsers need.
    board = paula.get(f"/exchanges/partnerships/{world.alpine}").text
    assert re.findall(r'<input id="(start|end)" name="\1" type="date"', board) == ["start", "end"]
