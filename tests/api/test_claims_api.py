"""The claim endpoints: asking to manage an organisation, the decisions, who may see and decide
what, and the statuses the OpenAPI schema declares."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token, find_active_user
from clusterbridge.services.mail import FileMailer, Mail
from clusterbridge.services.registry import ClaimNotifier, create_claim
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail
from tests.querycount import count_queries

pytestmark = [pytest.mark.integration, pytest.mark.db]

MESSAGE = "I am Rita, managing director of Tiny Robots."


@dataclass
class World:
    """The organisation's id and each person's API headers."""

    robots: int
    orphan: int
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState) -> World:
    """Tiny Robots GmbH with Mia as its member; Orphan Lab without members; Ada administers;
    Rita will ask; Sam is a stranger."""
    people = {
        "ada": ("ada@example.org", "Ada Admin", UserRole.ADMINISTRATOR),
        "mia": ("mia@robots.example", "Mia Member", UserRole.ORGANISATION_MEMBER),
        "rita": ("rita@robots.example", "Rita Requester", UserRole.ORGANISATION_MEMBER),
        "sam": ("sam@example.org", "Sam Stranger", UserRole.CLUSTER_MANAGER),
    }
    headers = {}
    with app_state.database.unit_of_work() as session:
        users = {}
        for key, (email, name, role) in people.items():
            users[key] = make_user(session, email=email, name=name, role=role)
            _token, raw = create_api_token(session, users[key], name="test")
            headers[key] = {"Authorization": f"Bearer {raw}"}
        robots = make_organisation(session, name="Tiny Robots GmbH", pic="999000002")
        orphan = make_organisation(session, name="Orphan Lab", country="PT", nuts=None)
        add_member(session, robots, users["mia"])
        return World(robots.id, orphan.id, headers)


def _ask(client: TestClient, world: World, who: str = "rita") -> dict[str, Any]:
    response = client.post(
        f"/api/organisations/{world.robots}/claims",
        json={"message": MESSAGE},
        headers=world.headers[who],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _edit(client: TestClient, world: World, who: str) -> int:
    response = client.patch(
        f"/api/organisations/{world.robots}", json={"city": "Munich"}, headers=world.headers[who]
    )
    return response.status_code


def test_ask_then_a_member_approves_and_the_requester_can_edit(
    client: TestClient, world: World, data_dir: Path
) -> None:
    before = _edit(client, world, "rita")

    claim = _ask(client, world)
    listed = client.get(
        f"/api/organisations/{world.robots}/claims",
        params={"status": "pending"},
        headers=world.headers["mia"],
    )
    approved = client.post(
        f"/api/organisations/claims/{claim['id']}/approve", headers=world.headers["mia"]
    )
    after = _edit(client, world, "rita")

    assert before == 403
    assert {key: claim[key] for key in ("organisation", "requester", "message", "status")} == {
        "organisation": {"id": world.robots, "name": "Tiny Robots GmbH"},
        "requester": {
            "id": claim["requester"]["id"],
            "name": "Rita Requester",
            "email": "rita@robots.example",
        },
        "message": MESSAGE,
        "status": "pending",
    }
    assert (claim["decided_at"], claim["decided_by"], claim["reason"]) == (None, None, "")
    assert [item["id"] for item in listed.json()] == [claim["id"]]
    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["decided_by"]["name"], body["decided_at"]) == (
        "approved",
        "Mia Member",
        "2024-12-01T09:00:00Z",
    )
    assert after == 200
    assert [(mail.to, mail.subject) for mail in read_mail(data_dir / "mail")] == [
        (("mia@robots.example",), "Rita Requester asks to manage Tiny Robots GmbH"),
        (("rita@robots.example",), "You now manage Tiny Robots GmbH"),
    ]


def test_refused_the_requester_still_cannot_edit_and_asks_again(
    client: TestClient, world: World, data_dir: Path
) -> None:
    claim = _ask(client, world)

    refused = client.post(
        f"/api/organisations/claims/{claim['id']}/refuse",
        json={"reason": "We do not know you."},
        headers=world.headers["mia"],
    )
    edit = _edit(client, world, "rita")
    again = _ask(client, world)
    mine = client.get("/api/organisations/claims", headers=world.headers["rita"])

    assert (refused.status_code, refused.json()["status"], refused.json()["reason"]) == (
        200,
        "refused",
        "We do not know you.",
    )
    assert edit == 403
    assert [(item["id"], item["status"]) for item in mine.json()] == [
        (again["id"], "pending"),
        (claim["id"], "refused"),
    ]
    refusal = next(m for m in read_mail(data_dir / "mail") if m.to == ("rita@robots.example",))
    assert refusal == Mail(
        ("rita@robots.example",),
        "Tiny Robots GmbH: your request was refused",
        "Hello Rita Requester,\n\n"
        "Your request to manage Tiny Robots GmbH was refused.\n\n"
        "The reason given:\n\nWe do not know you.\n\n"
        f"The organisation's page: http://127.0.0.1:8000/organisations/{world.robots}#claims\n",
    )


def test_a_second_open_claim_is_409(client: TestClient, world: World) -> None:
    _ask(client, world)

    again = client.post(
        f"/api/organisations/{world.robots}/claims",
        json={"message": "Me again."},
        headers=world.headers["rita"],
    )
    mine = client.get("/api/organisations/claims", headers=world.headers["rita"])

    assert (again.status_code, again.json()) == (
        409,
        {
            "message": "You already asked to manage Tiny Robots GmbH: wait for the answer",
            "errors": [],
        },
    )
    assert len(mine.json()) == 1


@pytest.mark.parametrize("who", ["mia", "ada"])
def test_who_can_edit_already_cannot_claim(client: TestClient, world: World, who: str) -> None:
    response = client.post(
        f"/api/organisations/{world.robots}/claims",
        json={"message": "Me."},
        headers=world.headers[who],
    )

    assert (response.status_code, response.json()["message"]) == (
        409,
        "You can already edit Tiny Robots GmbH: nothing to claim",
    )


def test_a_stranger_neither_sees_nor_decides_a_claim(client: TestClient, world: World) -> None:
    claim = _ask(client, world)
    sam = world.headers["sam"]

    seen = client.get(f"/api/organisations/claims/{claim['id']}", headers=sam)
    approved = client.post(f"/api/organisations/claims/{claim['id']}/approve", headers=sam)
    listed = client.get(f"/api/organisations/{world.robots}/claims", headers=sam)
    mine = client.get("/api/organisations/claims", headers=sam)

    assert (seen.status_code, seen.json()["message"]) == (404, f"There is no claim {claim['id']}")
    assert approved.status_code == 404
    assert (listed.status_code, listed.json()["message"]) == (
        403,
        "Only the organisation's members and administrators see its claims",
    )
    # The claim, its message and the requester's address appear nowhere in what Sam got.
    assert (mine.status_code, mine.json()) == (200, [])
    assert MESSAGE not in seen.text + approved.text + listed.text


def test_the_requester_sees_but_cannot_approve_their_own_claim(
    client: TestClient, world: World
) -> None:
    claim = _ask(client, world)

    seen = client.get(f"/api/organisations/claims/{claim['id']}", headers=world.headers["rita"])
    approved = client.post(
        f"/api/organisations/claims/{claim['id']}/approve", headers=world.headers["rita"]
    )
    listed = client.get(f"/api/organisations/{world.robots}/claims", headers=world.headers["rita"])

    assert (seen.status_code, seen.json()["message"]) == (200, MESSAGE)
    assert (approved.status_code, approved.json()["message"]) == (
        403,
        "You cannot decide on your own claim",
    )
    assert listed.status_code == 403
    assert _edit(client, world, "rita") == 403


def test_an_administrator_decides_and_a_decided_claim_is_409(
    client: TestClient, world: World
) -> None:
    claim = _ask(client, world)

    approved = client.post(
        f"/api/organisations/claims/{claim['id']}/approve", headers=world.headers["ada"]
    )
    again = client.post(
        f"/api/organisations/claims/{claim['id']}/refuse", headers=world.headers["mia"]
    )

    assert (approved.status_code, approved.json()["decided_by"]["name"]) == (200, "Ada Admin")
    assert (again.status_code, again.json()["message"]) == (409, "This claim is already approved")


def test_a_claim_on_an_organisation_without_members_goes_to_the_administrators(
    client: TestClient, world: World, data_dir: Path
) -> None:
    response = client.post(
        f"/api/organisations/{world.orphan}/claims",
        json={"message": "Lab manager."},
        headers=world.headers["rita"],
    )

    assert response.status_code == 201
    assert [(m.to, m.subject) for m in read_mail(data_dir / "mail")] == [
        (("ada@example.org",), "Rita Requester asks to manage Orphan Lab")
    ]


@pytest.mark.parametrize(
    ("path", "body", "status", "problem"),
    [
        (
            "/api/organisations/2147483647/claims",
            {"message": "Me."},
            404,
            "No organisation 2147483647",
        ),
        (
            "/api/organisations/{robots}/claims",
            {"message": "   "},
            422,
            (
                "message",
                "is required: say who you are and how you belong to the organisation",
            ),
        ),
        (
            "/api/organisations/{robots}/claims",
            {},
            422,
            ("message", "is required"),
        ),
    ],
)
def test_bad_claims_are_refused(
    client: TestClient,
    world: World,
    path: str,
    body: dict[str, str],
    status: int,
    problem: str | tuple[str, str],
) -> None:
    response = client.post(
        path.format(robots=world.robots), json=body, headers=world.headers["rita"]
    )

    assert response.status_code == status
    if isinstance(problem, str):
        assert response.json()["message"] == problem
    else:
        assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [problem]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/organisations/claims"),
        ("get", "/api/organisations/claims/1"),
        ("post", "/api/organisations/claims/1/approve"),
        ("post", "/api/organisations/claims/1/refuse"),
        ("post", "/api/organisations/1/claims"),
        ("get", "/api/organisations/1/claims"),
    ],
)
def test_claims_need_an_api_token(
    client: TestClient, clean_database: object, method: str, path: str
) -> None:
    response = client.request(method, path, json={"message": "Me."})

    assert (response.status_code, response.headers["www-authenticate"]) == (401, "Bearer")


def test_the_schema_declares_the_error_statuses(client: TestClient, clean_database: object) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]

    declared = {
        (method.upper(), path): sorted(operation["responses"])
        for path, operations in paths.items()
        if "claims" in path
        for method, operation in operations.items()
    }

    assert declared == {
        ("GET", "/organisations/claims"): ["200", "401"],
        ("GET", "/organisations/claims/{claim_id}"): ["200", "401", "404", "422"],
        ("POST", "/organisations/claims/{claim_id}/approve"): [
            "200",
            "401",
            "403",
            "404",
            "409",
            "422",
        ],
        ("POST", "/organisations/claims/{claim_id}/refuse"): [
            "200",
            "401",
            "403",
            "404",
            "409",
            "422",
        ],
        ("POST", "/organisations/{organisation_id}/claims"): ["201", "401", "404", "409", "422"],
        ("GET", "/organisations/{organisation_id}/claims"): ["200", "401", "403", "404", "422"],
    }
    conflict = paths["/organisations/{organisation_id}/claims"]["post"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorRead"
    }


def test_claim_lists_query_count_does_not_grow_with_claims(
    client: TestClient, world: World, app_state: AppState, tmp_path: Path
) -> None:
    """Rita's own claims, and Mia's list of Tiny Robots' claims, each with 1 and then 3."""
    notifier = ClaimNotifier(FileMailer(tmp_path, "x@example.org"), "http://testserver")
    for who in ("rita", "mia"):  # a token's first use records it, once under the fixed clock
        client.get("/api/organisations/claims", headers=world.headers[who])
    counts = []
    for first, last in ((0, 1), (1, 3)):
        with app_state.database.unit_of_work() as session:
            rita = find_active_user(session, "rita@robots.example")
            for number in range(first, last):
                company = make_organisation(session, name=f"Company {number}", nuts=None)
                create_claim(session, rita, company.id, message="Rita.", notifier=notifier)
                asker = make_user(session, email=f"asker{number}@example.org", name="Asker")
                create_claim(session, asker, world.robots, message="Me.", notifier=notifier)
        with count_queries(app_state.database.engine) as log:
            mine = client.get("/api/organisations/claims", headers=world.headers["rita"])
            theirs = client.get(
                f"/api/organisations/{world.robots}/claims", headers=world.headers["mia"]
            )
        assert (len(mine.json()), len(theirs.json())) == (last, last)
        counts.append(log.count)

    assert counts[0] == counts[1]
