"""Every exchange through the API for programme officers, read-only: the list filtered by
partnership and state, a page at a time, and each exchange; nobody else sees the list or
another party's exchange. Runs on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import User
from clusterbridge.domain.enums import ExchangeState, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.exchange_world import World, add_enrolments, make_world
from tests.factories.overseen_exchanges import add_overseen_exchange
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def world(app_state: AppState) -> World:
    return make_world(app_state.database)


def _headers(app_state: AppState, email: str) -> dict[str, str]:
    with app_state.database.unit_of_work() as session:
        user = session.scalars(sa.select(User).where(User.email == email)).one()
        _token, raw = create_api_token(session, user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def _names(body: dict[str, object]) -> list[str]:
    items = body["items"]
    assert isinstance(items, list)
    return [f"{e['visitor']['organisation']} visits {e['host']['organisation']}" for e in items]


def test_an_officer_lists_every_exchange_through_the_api(
    app_state: AppState, world: World, client: TestClient
) -> None:
    add_overseen_exchange(app_state.database, world, "Graz visits Braga")
    validated = add_overseen_exchange(
        app_state.database, world, "Aarhus visits Porto", state=ExchangeState.VALIDATED
    )
    add_overseen_exchange(app_state.database, world, "Odense visits Faro", monday=11)
    olga = _headers(app_state, "olga@commission.example")

    every = client.get("/api/exchanges", headers=olga).json()
    atlantic = client.get(f"/api/exchanges?partnership_id={world.atlantic}", headers=olga).json()
    nordic_proposed = client.get(
        f"/api/exchanges?partnership_id={world.nordic}&state=proposed", headers=olga
    ).json()
    second = client.get("/api/exchanges?per_page=2&page=2", headers=olga).json()
    one = client.get(f"/api/exchanges/{validated}", headers=olga)

    assert _names(every) == ["Graz visits Braga", "Aarhus visits Porto", "Odense visits Faro"]
    assert (every["total"], every["page"], every["per_page"], every["pages"]) == (3, 1, 20, 1)
    assert _names(atlantic) == ["Graz visits Braga", "Aarhus visits Porto"]
    assert _names(nordic_proposed) == ["Odense visits Faro"]
    assert (_names(second), second["total"], second["pages"]) == (["Odense visits Faro"], 3, 2)
    assert (one.status_code, one.json()["state"], one.json()["payment_due"]) == (
        200,
        "validated",
        "2024-11-25",
    )


def test_an_officer_reads_but_does_not_act_on_an_exchange(
    app_state: AppState, world: World, client: TestClient
) -> None:
    proposed = add_overseen_exchange(app_state.database, world, "Graz visits Braga")
    olga = _headers(app_state, "olga@commission.example")

    approve = client.post(
        f"/api/exchanges/{proposed}/approve", json={"party": "visitor"}, headers=olga
    )
    cancel = client.post(f"/api/exchanges/{proposed}/cancel", json={"reason": "No."}, headers=olga)
    pdf = client.get(f"/api/exchanges/{proposed}/commitment.pdf", headers=olga)

    assert (approve.status_code, cancel.status_code) == (403, 403)
    assert client.get(f"/api/exchanges/{proposed}", headers=olga).json()["approvals"] == {
        "visitor": None,
        "host": None,
        "visitor_partnership": None,
        "host_partnership": None,
    }
    assert (pdf.status_code, pdf.content[:4]) == (200, b"%PDF")


@pytest.mark.parametrize(
    "email", ["sam@elsewhere.example", "paula@alpine.example", "eve@events.example"]
)
def test_nobody_else_lists_the_exchanges_or_reads_anothers(
    app_state: AppState, world: World, client: TestClient, email: str
) -> None:
    others = add_overseen_exchange(app_state.database, world, "Aarhus visits Porto")
    headers = _headers(app_state, email)

    listing = client.get("/api/exchanges", headers=headers)
    one = client.get(f"/api/exchanges/{others}", headers=headers)

    assert (listing.status_code, one.status_code) == (403, 403)
    assert listing.json()["message"] == (
        "Only programme officers and administrators see every exchange."
    )
    assert "Aarhus" not in listing.text + one.text


def test_an_unknown_partnership_or_state_is_refused_with_its_field(
    app_state: AppState, world: World, client: TestClient
) -> None:
    with app_state.database.unit_of_work() as session:
        make_user(
            session, email="otto@commission.example", name="Otto", role=UserRole.PROGRAMME_OFFICER
        )
    otto = _headers(app_state, "otto@commission.example")

    unknown = client.get("/api/exchanges?partnership_id=999999", headers=otto)
    lost = client.get("/api/exchanges?state=lost", headers=otto)
    too_many = client.get("/api/exchanges?per_page=101", headers=otto)

    assert (unknown.status_code, unknown.json()) == (
        422,
        {
            "message": "The exchanges cannot be listed.",
            "errors": [
                {
                    "location": "",
                    "field": "partnership_id",
                    "reason": "there is no partnership 999999",
                }
            ],
        },
    )
    assert (lost.status_code, [e["field"] for e in lost.json()["errors"]]) == (422, ["state"])
    assert (too_many.status_code, [e["field"] for e in too_many.json()["errors"]]) == (
        422,
        ["per_page"],
    )


def test_an_officer_reads_a_partnership_and_its_participants_but_does_not_act(
    app_state: AppState, world: World, client: TestClient
) -> None:
    enrolled = add_enrolments(app_state.database, world)
    olga = _headers(app_state, "olga@commission.example")

    alpine = client.get(f"/api/exchanges/partnerships/{world.alpine}", headers=olga)
    board = client.get(f"/api/exchanges/partnerships/{world.alpine}/dashboard", headers=olga)
    requests = client.get(f"/api/exchanges/participants/{enrolled.braga}/requests", headers=olga)
    catalogue = client.get(f"/api/exchanges/participants/{enrolled.linz}/catalogue", headers=olga)
    attempts = [
        client.post(
            f"/api/exchanges/participants/{enrolled.salzburg}/validate", json={}, headers=olga
        ),
        client.post(f"/api/exchanges/partnerships/{world.alpine}/assignment", headers=olga),
        client.post(
            f"/api/exchanges/requests/{enrolled.request}/decline",
            json={"answer": ""},
            headers=olga,
        ),
    ]

    assert alpine.status_code == 200
    assert [p["organisation"] for p in alpine.json()["pending"]] == ["Salzburg"]
    assert [p["organisation"] for p in alpine.json()["visitors"]] == ["Linz"]
    assert (board.status_code, board.json()["partnership"]) == (200, "Alpine CXC")
    assert [(r["message"], r["state"]) for r in requests.json()] == [("May we come?", "open")]
    assert [s["participant"]["organisation"] for s in catalogue.json()["suggestions"]] == ["Braga"]
    assert [a.status_code for a in attempts] == [403, 403, 403]
    assert (
        client.get(f"/api/exchanges/partnerships/{world.alpine}", headers=olga).json()["pending"][
            0
        ]["state"]
        == "pending"
    )


def test_nobody_else_reads_anothers_partnership_through_the_api(
    app_state: AppState, world: World, client: TestClient
) -> None:
    enrolled = add_enrolments(app_state.database, world)
    paula = _headers(app_state, "paula@alpine.example")

    atlantic = client.get(f"/api/exchanges/partnerships/{world.atlantic}", headers=paula)
    board = client.get(f"/api/exchanges/partnerships/{world.atlantic}/dashboard", headers=paula)
    requests = client.get(f"/api/exchanges/participants/{enrolled.braga}/requests", headers=paula)

    assert (atlantic.status_code, board.status_code, requests.status_code) == (403, 403, 403)
    assert atlantic.json()["message"] == (
        "Only the partnership's members and programme officers may see this partnership's page."
    )
    assert requests.json()["message"] == (
        "Only the participant, its partnership and programme officers see its requests."
    )
