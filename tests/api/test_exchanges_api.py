"""The exchange API from enrolment to payment, the assignment and lump sums, and its errors.
Runs on SQLite and PostgreSQL."""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pypdf import PdfReader

from clusterbridge.api.state import AppState
from clusterbridge.db.models import ExchangeEvidence, User
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    UserRole,
)
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.exchanges import (
    MAX_TEXT,
    Enrolment,
    ExchangeNotifier,
    Proposal,
    create_partnership,
    decide_enrolment,
    enrol,
    propose_exchange,
)
from clusterbridge.services.mail import FileMailer
from tests.conftest import NOW, Clock
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

PDF = b"%PDF-1.4\n% an invoice\n"


@dataclass
class World:
    """Organisations, partnerships and each person's API headers."""

    munich: int
    porto: int
    alpine: int
    atlantic: int
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState) -> World:
    people = {
        "ada": ("ada@example.org", UserRole.ADMINISTRATOR),
        "vera": ("vera@munich.example", UserRole.ORGANISATION_MEMBER),
        "hugo": ("hugo@porto.example", UserRole.ORGANISATION_MEMBER),
        "paula": ("paula@alpine.example", UserRole.CLUSTER_MANAGER),
        "pedro": ("pedro@atlantic.example", UserRole.CLUSTER_MANAGER),
    }
    headers = {}
    with app_state.database.unit_of_work() as session:
        users = {}
        for key, (email, role) in people.items():
            users[key] = make_user(session, email=email, name=key.title(), role=role)
            _token, raw = create_api_token(session, users[key], name="test")
            headers[key] = {"Authorization": f"Bearer {raw}"}
        munich = make_organisation(session, name="Munich Cluster", country="DE")
        porto = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
        add_member(session, munich, users["vera"])
        add_member(session, porto, users["hugo"])
        alpine = create_partnership(
            session, users["ada"], name="Alpine CXC", country="AT", members=[users["paula"]]
        )
        atlantic = create_partnership(
            session, users["ada"], name="Atlantic CXC", country="PT", members=[users["pedro"]]
        )
        return World(munich.id, porto.id, alpine.id, atlantic.id, headers)


def _post(client: TestClient, world: World, who: str, url: str, body: object) -> dict[str, Any]:
    response = client.post(url, json=body, headers=world.headers[who])
    assert response.status_code in {200, 201}, response.text
    data: dict[str, Any] = response.json()
    return data


def test_exchange_through_the_api_from_enrolment_to_payment(
    client: TestClient, world: World, clock: Clock
) -> None:
    visitor = _post(
        client,
        world,
        "vera",
        "/api/exchanges/participants",
        {
            "organisation_id": world.munich,
            "partnership_id": world.alpine,
            "role": "visitor",
            "kind": "cluster_organisation",
            "motivation": "Learn.",
            "activity_types": ["networking"],
            "place": "Munich, DE",
        },
    )
    host = _post(
        client,
        world,
        "hugo",
        "/api/exchanges/participants",
        {
            "organisation_id": world.porto,
            "partnership_id": world.atlantic,
            "role": "host",
            "kind": "sme",
            "cluster_member": True,
            "motivation": "Show.",
            "activity_types": ["networking"],
            "place": "Porto, PT",
            "capacity": 3,
        },
    )
    _post(client, world, "paula", f"/api/exchanges/participants/{visitor['id']}/validate", {})
    validated = _post(
        client, world, "pedro", f"/api/exchanges/participants/{host['id']}/validate", {}
    )
    assert (validated["state"], validated["capacity"]) == ("validated", 3)

    # Set up a week before the stay; the rest happens after it, at the app's usual time.
    clock.now = datetime(2024, 10, 28, 9, 0, tzinfo=UTC)
    exchange = _post(
        client,
        world,
        "paula",
        "/api/exchanges",
        {
            "visitor_id": visitor["id"],
            "host_id": host["id"],
            "start": "2024-11-04",
            "end": "2024-11-08",
            "activity_type": "networking",
            "goals": "g",
            "objectives": "o",
            "agenda": "a",
        },
    )
    clock.now = NOW
    assert (exchange["working_days"], exchange["halved"], exchange["lump_sum_eur"]) == (
        5,
        False,
        "780.00",
    )
    assert exchange["state"] == "proposed"
    for who, party in (
        ("vera", "visitor"),
        ("hugo", "host"),
        ("paula", "visitor_partnership"),
        ("pedro", "host_partnership"),
    ):
        exchange = _post(
            client, world, who, f"/api/exchanges/{exchange['id']}/approve", {"party": party}
        )
    assert exchange["state"] == "confirmed"
    pdf = client.get(
        f"/api/exchanges/{exchange['id']}/commitment.pdf", headers=world.headers["hugo"]
    )
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Munich Cluster visits Porto Cluster" in text
    assert text.count("2024-12-01 09:00 UTC") == 5  # four approvals and the printing time
    assert "Host's partnership: Atlantic CXC" in text

    response = client.post(
        f"/api/exchanges/{exchange['id']}/report",
        data={"text": "Met six companies."},
        files=[("evidence", ("invoice.pdf", PDF, "application/pdf"))],
        headers=world.headers["vera"],
    )
    assert response.status_code == 200, response.text
    assert response.json()["evidence"][0]["size"] == len(PDF)
    file_id = response.json()["evidence"][0]["id"]
    download = client.get(
        f"/api/exchanges/{exchange['id']}/evidence/{file_id}", headers=world.headers["paula"]
    )
    assert (download.status_code, download.content) == (200, PDF)
    exchange = _post(client, world, "paula", f"/api/exchanges/{exchange['id']}/validate", {})
    # The app's clock reads 2024-12-01 09:00 UTC: due ten days later.
    assert exchange["payment_due"] == "2024-12-11"

    ahead = client.post(
        f"/api/exchanges/{exchange['id']}/payment",
        json={"paid_on": "2024-12-02", "amount_eur": "780", "reference": "SEPA 1"},
        headers=world.headers["paula"],
    )
    assert (ahead.status_code, ahead.json()["errors"]) == (
        422,
        [
            {
                "location": "",
                "field": "paid_on",
                "reason": "is in the future (today is 01 December 2024): record a payment once "
                "it is made",
            }
        ],
    )
    paid = _post(
        client,
        world,
        "paula",
        f"/api/exchanges/{exchange['id']}/payment",
        {"paid_on": "2024-12-01", "amount_eur": "780", "reference": "SEPA 1"},
    )
    assert (paid["state"], paid["paid_amount_eur"]) == ("paid", "780.00")
    board = client.get(
        f"/api/exchanges/partnerships/{world.alpine}/dashboard", headers=world.headers["paula"]
    ).json()
    assert (board["credited"], board["committed_eur"], board["paid_eur"]) == (1, "780.00", "780.00")


def test_the_reports_evidence_downloads_for_those_who_see_the_exchange_only(
    app_state: AppState, client: TestClient, world: World
) -> None:
    notifier = ExchangeNotifier(
        FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "http://x"
    )
    programme = load_programme()
    with app_state.database.unit_of_work() as session:
        admin = session.scalars(sa.select(User).where(User.email == "ada@example.org")).one()
        _token, raw = create_api_token(
            session, make_user(session, email="sam@elsewhere.example", name="Sam"), name="test"
        )
        sam = {"Authorization": f"Bearer {raw}"}

        def participant(organisation_id: int, partnership_id: int, role: ExchangeRole) -> int:
            form = Enrolment(
                organisation_id=organisation_id, partnership_id=partnership_id, role=role,
                kind=OrganisationKind.CLUSTER_ORGANISATION, cluster_member=None, motivation="m",
                activity_types=(ActivityType.NETWORKING,), preferred_countries=(),
                place="45.0,5.0",
            )  # fmt: skip
            enrolled = enrol(session, admin, form, programme=programme, notifier=notifier)
            decide_enrolment(
                session, admin, enrolled.id, approve=True, reason="", now=NOW,
                programme=programme, notifier=notifier,
            )  # fmt: skip
            return enrolled.id

        host = participant(world.porto, world.atlantic, ExchangeRole.HOST)
        berlin = make_organisation(session, name="Berlin Cluster", country="DE")
        files = []
        # The host takes one visitor at once: the second stays the week after.
        for organisation_id, content, monday in (
            (world.munich, PDF, 4),
            (berlin.id, b"%PDF-1.4\n% other", 11),
        ):
            visitor = participant(organisation_id, world.alpine, ExchangeRole.VISITOR)
            exchange = propose_exchange(
                session, admin,
                Proposal(
                    visitor, host, date(2024, 11, monday), date(2024, 11, monday + 4),
                    ActivityType.NETWORKING, "g", "o", "a",
                ),
                programme=programme, today=date(2024, 10, 28),
                notifier=notifier,
            )  # fmt: skip
            exchange.state = ExchangeState.REPORTED
            exchange.report = "Done."
            exchange.report_submitted_at = datetime(2024, 11, 15, tzinfo=UTC)
            evidence = ExchangeEvidence(
                file_name="Fahrkarte/../München.pdf", content_type="application/pdf",
                size=len(content), content=content, uploaded_at=datetime(2024, 11, 15, tzinfo=UTC),
            )  # fmt: skip
            exchange.evidence.append(evidence)
            session.flush()
            files.append((exchange.id, evidence.id))
    (exchange_id, own), (_other_exchange, others) = files
    url = f"/api/exchanges/{exchange_id}/evidence"

    downloads = [client.get(f"{url}/{own}", headers=world.headers[w]) for w in ("paula", "pedro")]
    stranger = client.get(f"{url}/{own}", headers=sam)
    mixed = client.get(f"{url}/{others}", headers=world.headers["paula"])
    unknown = client.get(f"{url}/{others + 1000}", headers=world.headers["paula"])

    for download in downloads:
        assert (download.status_code, download.content) == (200, PDF)
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["content-disposition"] == (
            'attachment; filename="Fahrkarte_.._Munchen.pdf"; '
            "filename*=UTF-8''Fahrkarte_.._M%C3%BCnchen.pdf"
        )
    assert [r.status_code for r in (stranger, mixed, unknown)] == [404, 404, 404]
    assert stranger.json() == mixed.json() == unknown.json()


def test_validating_another_partnerships_participant_is_denied(
    client: TestClient, world: World
) -> None:
    visitor = _post(
        client,
        world,
        "vera",
        "/api/exchanges/participants",
        {
            "organisation_id": world.munich,
            "partnership_id": world.alpine,
            "role": "visitor",
            "kind": "cluster_organisation",
            "motivation": "Learn.",
            "activity_types": ["networking"],
            "place": "48.14,11.58",
        },
    )
    response = client.post(
        f"/api/exchanges/participants/{visitor['id']}/validate", headers=world.headers["pedro"]
    )

    assert response.status_code == 403
    assert response.json()["message"] == "Only the partnership's members may validate participants."


def test_match_and_lump_sum_endpoints(client: TestClient, world: World) -> None:
    problem = {
        "visitors": [{"id": "v1", "preferences": ["h1"]}],
        "hosts": [{"id": "h1", "capacity": 1, "preferences": ["v1"]}],
    }

    matched = _post(client, world, "vera", "/api/exchanges/match", problem)
    bad = client.post(
        "/api/exchanges/match",
        json={"visitors": [], "hosts": [{"id": "h1", "capacity": -1, "preferences": []}]},
        headers=world.headers["vera"],
    )
    lump = client.get(
        "/api/exchanges/lump-sum",
        params={
            "host_country": "PT",
            "visitor_place": "Vigo, ES",
            "host_place": "Porto, PT",
            "start": "2025-03-03",
            "end": "2025-03-07",
        },
        headers=world.headers["vera"],
    )

    assert matched == {"matches": [{"visitor": "v1", "host": "h1"}], "unmatched": []}
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"location": "hosts[0]", "field": "capacity", "reason": "-1 is below 0"}
    ]
    assert lump.status_code == 200
    assert (lump.json()["amount_eur"], lump.json()["halved"]) == (390, True)


def test_preferences_and_the_partnership_run_assignment(
    app_state: AppState, client: TestClient, world: World
) -> None:
    with app_state.database.unit_of_work() as session:
        berlin = make_organisation(session, name="Berlin Cluster", country="DE")
        vera = session.scalars(sa.select(User).where(User.email == "vera@munich.example")).one()
        add_member(session, berlin, vera)
        berlin_id = berlin.id
    ids = {}
    for key, who, organisation, partnership, role in (
        ("munich", "vera", world.munich, world.alpine, "visitor"),
        ("berlin", "vera", berlin_id, world.alpine, "visitor"),
        ("porto", "hugo", world.porto, world.atlantic, "host"),
    ):
        ids[key] = _post(
            client,
            world,
            who,
            "/api/exchanges/participants",
            {
                "organisation_id": organisation,
                "partnership_id": partnership,
                "role": role,
                "kind": "cluster_organisation",
                "motivation": "m",
                "activity_types": ["networking"],
                "place": "48.1,11.6" if role == "visitor" else "41.15,-8.61",
                "capacity": 1,
            },
        )["id"]
    for key, who in (("munich", "paula"), ("berlin", "paula"), ("porto", "pedro")):
        _post(client, world, who, f"/api/exchanges/participants/{ids[key]}/validate", {})
    for key, who, ranked in (
        ("munich", "vera", [ids["porto"]]),
        ("berlin", "vera", [ids["porto"]]),
        ("porto", "hugo", [ids["berlin"], ids["munich"]]),
    ):
        response = client.put(
            f"/api/exchanges/participants/{ids[key]}/preferences",
            json={"preferences": ranked},
            headers=world.headers[who],
        )
        assert response.status_code == 200, response.text

    bad = client.put(
        f"/api/exchanges/participants/{ids['munich']}/preferences",
        json={"preferences": [ids["berlin"], ids["porto"], ids["porto"]]},
        headers=world.headers["vera"],
    )
    run = client.post(
        f"/api/exchanges/partnerships/{world.alpine}/assignment", headers=world.headers["paula"]
    )
    denied = client.post(
        f"/api/exchanges/partnerships/{world.alpine}/assignment", headers=world.headers["pedro"]
    )

    assert bad.status_code == 422
    assert [e["location"] for e in bad.json()["errors"]] == ["preferences[0]", "preferences[2]"]
    assert run.json() == {
        "matches": [
            {
                "visitor": ids["berlin"],
                "visitor_name": "Berlin Cluster",
                "host": ids["porto"],
                "host_name": "Porto Cluster",
            }
        ],
        "unmatched": [ids["munich"]],
        "blocking_pairs": [],
    }
    assert denied.status_code == 403


def test_catalogue_lists_the_other_side_with_reasons_once_validated(
    client: TestClient, world: World
) -> None:
    visitor = _post(
        client,
        world,
        "vera",
        "/api/exchanges/participants",
        {
            "organisation_id": world.munich,
            "partnership_id": world.alpine,
            "role": "visitor",
            "kind": "cluster_organisation",
            "motivation": "Learn.",
            "activity_types": ["networking", "market_research"],
            "preferred_countries": ["Portugal"],
            "place": "Munich, DE",
        },
    )
    host = _post(
        client,
        world,
        "hugo",
        "/api/exchanges/participants",
        {
            "organisation_id": world.porto,
            "partnership_id": world.atlantic,
            "role": "host",
            "kind": "sme",
            "cluster_member": True,
            "motivation": "Show.",
            "activity_types": ["networking"],
            "place": "Porto, PT",
        },
    )
    url = f"/api/exchanges/participants/{visitor['id']}/catalogue"
    pending = client.get(url, headers=world.headers["vera"])
    _post(client, world, "paula", f"/api/exchanges/participants/{visitor['id']}/validate", {})
    _post(client, world, "pedro", f"/api/exchanges/participants/{host['id']}/validate", {})

    mine = client.get(url, headers=world.headers["vera"])
    stranger = client.get(url, headers=world.headers["hugo"])
    hosts_view = client.get(
        f"/api/exchanges/participants/{host['id']}/catalogue", headers=world.headers["pedro"]
    )

    assert pending.status_code == 409
    assert mine.status_code == 200
    body = mine.json()
    assert body["participant_id"] == visitor["id"]
    assert [
        (s["participant"]["organisation"], s["score"], s["band"], s["reasons"])
        for s in body["suggestions"]
    ] == [
        (
            "Porto Cluster",
            33,
            "weak",
            ["is in Portugal, a country you prefer", "shares your activities: networking"],
        )
    ]
    assert stranger.status_code == 403
    assert [
        (s["participant"]["id"], s["score"], s["reasons"]) for s in hosts_view.json()["suggestions"]
    ] == [
        (
            visitor["id"],
            23,
            ["prefers your country, Portugal", "shares your activities: networking"],
        )
    ]


def test_requests_through_the_api_with_a_conflict_for_a_second_open_one(
    client: TestClient, world: World
) -> None:
    visitor = _post(
        client,
        world,
        "vera",
        "/api/exchanges/participants",
        {
            "organisation_id": world.munich,
            "partnership_id": world.alpine,
            "role": "visitor",
            "kind": "cluster_organisation",
            "motivation": "Learn.",
            "activity_types": ["networking"],
            "place": "Munich, DE",
        },
    )
    host = _post(
        client,
        world,
        "hugo",
        "/api/exchanges/participants",
        {
            "organisation_id": world.porto,
            "partnership_id": world.atlantic,
            "role": "host",
            "kind": "sme",
            "cluster_member": True,
            "motivation": "Show.",
            "activity_types": ["networking"],
            "place": "Porto, PT",
        },
    )
    _post(client, world, "paula", f"/api/exchanges/participants/{visitor['id']}/validate", {})
    _post(client, world, "pedro", f"/api/exchanges/participants/{host['id']}/validate", {})
    url = f"/api/exchanges/participants/{visitor['id']}/requests"
    body = {"host_id": host["id"], "message": "May we visit?"}

    asked = _post(client, world, "vera", url, body)
    again = client.post(url, json=body, headers=world.headers["vera"])
    stranger = client.post(
        f"/api/exchanges/requests/{asked['id']}/accept", json={}, headers=world.headers["vera"]
    )
    accepted = _post(
        client, world, "hugo", f"/api/exchanges/requests/{asked['id']}/accept", {"answer": "Yes"}
    )
    listed = client.get(
        f"/api/exchanges/participants/{host['id']}/requests", headers=world.headers["pedro"]
    )
    twice = client.post(
        f"/api/exchanges/requests/{asked['id']}/decline", json={}, headers=world.headers["hugo"]
    )
    missing = client.post(
        "/api/exchanges/requests/999999/decline", json={}, headers=world.headers["hugo"]
    )

    assert (asked["visitor"], asked["host"], asked["state"]) == (
        "Munich Cluster",
        "Porto Cluster",
        "open",
    )
    assert (again.status_code, again.json()) == (
        409,
        {
            "message": "Munich Cluster already asked Porto Cluster: wait for the answer.",
            "errors": [],
        },
    )
    assert stranger.status_code == 403
    assert (accepted["state"], accepted["answer"]) == ("accepted", "Yes")
    assert [(r["id"], r["state"]) for r in listed.json()] == [(asked["id"], "accepted")]
    assert (twice.status_code, missing.status_code) == (409, 404)
    page = client.get(
        f"/api/exchanges/partnerships/{world.alpine}", headers=world.headers["paula"]
    ).json()
    assert [(a["request"]["id"], a["counted"]) for a in page["accepted_requests"]] == [
        (asked["id"], True)
    ]
    assert (page["name"], page["pending"], page["exchanges"]) == ("Alpine CXC", [], [])
    assert [v["organisation"] for v in page["visitors"]] == ["Munich Cluster"]
    hidden = client.get(
        f"/api/exchanges/partnerships/{world.alpine}", headers=world.headers["hugo"]
    )
    assert hidden.status_code == 403


def test_cancel_through_the_api_then_the_visitor_takes_part_again(
    client: TestClient, world: World
) -> None:
    visitor = _post(
        client,
        world,
        "vera",
        "/api/exchanges/participants",
        {
            "organisation_id": world.munich,
            "partnership_id": world.alpine,
            "role": "visitor",
            "kind": "cluster_organisation",
            "motivation": "Learn.",
            "activity_types": ["networking"],
            "place": "Munich, DE",
        },
    )
    host = _post(
        client,
        world,
        "hugo",
        "/api/exchanges/participants",
        {
            "organisation_id": world.porto,
            "partnership_id": world.atlantic,
            "role": "host",
            "kind": "sme",
            "cluster_member": True,
            "motivation": "Show.",
            "activity_types": ["networking"],
            "place": "Porto, PT",
        },
    )
    _post(client, world, "paula", f"/api/exchanges/participants/{visitor['id']}/validate", {})
    _post(client, world, "pedro", f"/api/exchanges/participants/{host['id']}/validate", {})
    proposal = {
        "visitor_id": visitor["id"],
        "host_id": host["id"],
        "start": "2025-01-06",
        "end": "2025-01-10",
        "activity_type": "networking",
        "goals": "g",
        "objectives": "o",
        "agenda": "a",
    }
    exchange = _post(client, world, "paula", "/api/exchanges", proposal)
    url = f"/api/exchanges/{exchange['id']}/cancel"

    blank = client.post(url, json={"reason": " "}, headers=world.headers["hugo"])
    cancelled = _post(client, world, "hugo", url, {"reason": "Our lab is closed that week."})
    again = client.post(url, json={"reason": "Twice."}, headers=world.headers["vera"])
    second = _post(client, world, "paula", "/api/exchanges", proposal)

    assert blank.status_code == 422
    assert (cancelled["state"], cancelled["cancelled_by"], cancelled["cancel_reason"]) == (
        "cancelled",
        "the host",
        "Our lab is closed that week.",
    )
    assert cancelled["cancelled_at"] == "2024-12-01T09:00:00Z"
    assert again.status_code == 409
    assert (second["state"], second["visitor"]["id"]) == ("proposed", visitor["id"])
    board = client.get(
        f"/api/exchanges/partnerships/{world.alpine}/dashboard", headers=world.headers["paula"]
    ).json()
    assert (board["credited"], board["committed_eur"]) == (1, "780.00")
    assert board["by_state"] == {"cancelled": 1, "proposed": 1}
    page = client.get(
        f"/api/exchanges/partnerships/{world.alpine}", headers=world.headers["paula"]
    ).json()
    assert [(e["state"], e["cancelled_by"]) for e in page["exchanges"]] == [
        ("cancelled", "the host"),
        ("proposed", ""),
    ]


def _validated_pair(client: TestClient, world: World) -> tuple[int, int]:
    """Munich enrolled as a visitor of Alpine, Porto as a host of Atlantic, both validated."""
    visitor = _post(
        client, world, "vera", "/api/exchanges/participants",
        {"organisation_id": world.munich, "partnership_id": world.alpine, "role": "visitor",
         "kind": "cluster_organisation", "motivation": "Learn.",
         "activity_types": ["networking"], "place": "Munich, DE"},
    )  # fmt: skip
    host = _post(
        client, world, "hugo", "/api/exchanges/participants",
        {"organisation_id": world.porto, "partnership_id": world.atlantic, "role": "host",
         "kind": "sme", "cluster_member": True, "motivation": "Show.",
         "activity_types": ["networking"], "place": "Porto, PT"},
    )  # fmt: skip
    _post(client, world, "paula", f"/api/exchanges/participants/{visitor['id']}/validate", {})
    _post(client, world, "pedro", f"/api/exchanges/participants/{host['id']}/validate", {})
    return visitor["id"], host["id"]


def test_a_new_exchange_in_the_past_too_long_or_with_an_unknown_host_is_refused(
    client: TestClient, world: World
) -> None:
    visitor, host = _validated_pair(client, world)
    proposal = {
        "visitor_id": visitor, "host_id": host, "start": "2025-01-06", "end": "2025-01-10",
        "activity_type": "networking", "goals": "g", "objectives": "o", "agenda": "a",
    }  # fmt: skip

    answers = [
        client.post("/api/exchanges", json=proposal | changes, headers=world.headers["paula"])
        for changes in (
            {"start": "2024-11-30", "end": "2024-12-06"},
            {"end": "2026-01-07"},
            {"host_id": 2_000_000_000},
            {"end": "2025-02-06"},
        )
    ]
    board = client.get(
        f"/api/exchanges/partnerships/{world.alpine}/dashboard", headers=world.headers["paula"]
    ).json()

    assert [(a.status_code, a.json()) for a in answers] == [
        (422, {"message": "The exchange cannot be set up.", "errors": [
            {"location": "", "field": "start",
             "reason": "is in the past: start on 01 December 2024 or later"}]}),
        (422, {"message": "The exchange cannot be set up.", "errors": [
            {"location": "", "field": "end", "reason": "the stay spans more than 366 days"}]}),
        (422, {"message": "The exchange cannot be set up.", "errors": [
            {"location": "", "field": "host", "reason": "is not enrolled in the programme"}]}),
        (422, {"message": "The exchange cannot be set up.", "errors": [
            {"location": "", "field": "end",
             "reason": "the stay is longer than one month: it must end by 05 February 2025"}]}),
    ]  # fmt: skip
    assert board["credited"] == 0


def test_an_enrolment_text_up_to_the_shared_limit_is_kept_whole(
    client: TestClient, world: World
) -> None:
    body = {
        "organisation_id": world.munich, "partnership_id": world.alpine, "role": "visitor",
        "kind": "cluster_organisation", "activity_types": ["networking"], "place": "Munich, DE",
    }  # fmt: skip

    over = client.post(
        "/api/exchanges/participants",
        json=body | {"motivation": "m" * (MAX_TEXT + 1)},
        headers=world.headers["vera"],
    )
    kept = client.post(
        "/api/exchanges/participants",
        json=body | {"motivation": "m" * MAX_TEXT},
        headers=world.headers["vera"],
    )

    assert over.status_code == 422
    assert kept.status_code == 201, kept.text
