"""Every exchange page writes its days in words ("04 November 2024"), as the rest of the app
does; only form inputs of type date and attributes keep ISO 8601. An exchange set up before
then keeps its stored lump-sum reasons, shown with their days in words. Runs on SQLite and
PostgreSQL."""

import re
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Exchange, User
from clusterbridge.domain.enums import ExchangeState
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.exchanges.commitment import commitment_of
from clusterbridge.services.exchanges.workflow import load_exchange
from tests.conftest import NOW
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


#: The reasons of an exchange set up before days were written in words, as stored then.
OLD_REASONS = [
    "3 working days from 2024-10-31 to 2024-11-05 (public holidays not counted: 2024-11-01 "
    "All Saints' Day): at least 3.",
    "Distance 1503.2 km (great circle, rounded to 1 decimal): at least 200 km.",
    "Threshold for PT: EUR 1,100.",
]
#: The same reasons as the page, the API and the Commitment to Quality show them.
SHOWN_REASONS = [
    "3 working days from 31 October 2024 to 05 November 2024 (public holidays not counted: "
    "All Saints&#39; Day (01 November 2024)): at least 3.",
    "Distance 1503.2 km (great circle, rounded to 1 decimal): at least 200 km.",
    "Threshold for PT: EUR 1,100.",
]


def test_an_older_exchanges_stored_reasons_are_shown_with_their_days_in_words(
    app_state: AppState, world: World, browser: Callable[[str], TestClient], client: TestClient
) -> None:
    old = add_exchange(
        app_state.database,
        visitor="Graz",
        host="Braga",
        visitors_partnership=world.alpine,
        hosts_partnership=world.atlantic,
    )
    with app_state.database.unit_of_work() as session:
        session.get_one(Exchange, old).reasons = OLD_REASONS
        paula = session.scalars(sa.select(User).where(User.email == "paula@alpine.example")).one()
        _token, raw = create_api_token(session, paula, name="test")

    page = browser("paula@alpine.example").get(f"/exchanges/{old}").text
    api = client.get(f"/api/exchanges/{old}", headers={"Authorization": f"Bearer {raw}"})
    with app_state.database.unit_of_work() as session:
        commitment = commitment_of(load_exchange(session, old), now=NOW)
        stored = session.get_one(Exchange, old).reasons

    listed = page.split('data-testid="reasons">')[1].split("</ul>")[0]
    assert re.findall(r"<li>([^<]*)</li>", listed) == SHOWN_REASONS
    shown = [reason.replace("&#39;", "'") for reason in SHOWN_REASONS]
    assert api.json()["reasons"] == shown
    assert list(commitment.reasons) == shown
    # The stored record is left as it was written.
    assert stored == OLD_REASONS
