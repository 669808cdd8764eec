"""Authored calls and proposals through the JSON API: an officer writes and publishes a call,
it is in the catalogue with its rules and the checker works on it, its file round-trips, an
applicant submits a proposal with a document, and nobody else sees it. Runs on SQLite and
PostgreSQL."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import EvaluationPanel
from clusterbridge.domain.enums import UserRole
from clusterbridge.engines.selection.problem import MAX_POINTS
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.calls.files import NO_RULES
from clusterbridge.services.selection.call_drafts import MAX_EUROS, MAX_MONTHS, MAX_PROJECTS
from tests.factories.calls import PDF_BYTES, RULES
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

CALL: dict[str, Any] = {
    "identifier": "TEST-OPEN-2025",
    "title": "Open call for cluster partnerships",
    "summary": "Partnerships between clusters of two countries.",
    "rules": RULES,
    "budget": 1_000_000,
    "deadline": "2025-03-03T17:00:00",
    "time_zone": "Europe/Brussels",
    "max_projects": 3,
    "max_grant": 400_000,
    "strands": [{"id": "1", "title": "Green", "minimum": 1}, {"id": "2", "title": "Digital"}],
    "criteria": [{"id": "relevance", "max": 30, "threshold": 15}, {"id": "impact", "max": 20}],
    "overall_threshold": 30,
    "tie_break": ["uncovered_strand", "relevance"],
}


@dataclass
class People:
    headers: dict[str, dict[str, str]]
    consortium_id: int


@pytest.fixture
def people(app_state: AppState) -> People:
    roles = {
        "olga": UserRole.PROGRAMME_OFFICER,
        "anna": UserRole.CLUSTER_MANAGER,
        "bruno": UserRole.CLUSTER_MANAGER,
    }
    headers = {}
    with app_state.database.unit_of_work() as session:
        users = {}
        for key, role in roles.items():
            users[key] = make_user(session, email=f"{key}@example.org", name=key, role=role)
            _token, raw = create_api_token(session, users[key], name="test")
            headers[key] = {"Authorization": f"Bearer {raw}"}
        team = make_consortium(session, owner=users["anna"], call_id=None, strand=None)
        add_partner(session, team, name="Lyon Cluster", country="FR")
        add_partner(session, team, name="Turin Cluster", country="IT")
        consortium_id = team.id
    return People(headers, consortium_id)


def _published(client: TestClient, people: People) -> int:
    created = client.post("/api/programme-calls", json=CALL, headers=people.headers["olga"])
    call_id: int = created.json()["id"]
    client.post(f"/api/programme-calls/{call_id}/publish", headers=people.headers["olga"])
    return call_id


def test_an_officer_writes_and_publishes_a_call(client: TestClient, people: People) -> None:
    created = client.post("/api/programme-calls", json=CALL, headers=people.headers["olga"])
    call_id = created.json()["id"]
    hidden = client.get(f"/api/programme-calls/{call_id}")

    published = client.post(
        f"/api/programme-calls/{call_id}/publish", headers=people.headers["olga"]
    )

    assert (created.status_code, created.json()["status"]) == (201, "draft")
    assert hidden.status_code == 404
    assert published.status_code == 200
    assert (published.json()["status"], published.json()["closes_at"]) == (
        "open",
        "2025-03-03T16:00:00Z",
    )
    assert published.json()["selection"]["strand_minimum"] == {"1": 1}


def test_a_call_without_a_deadline_is_closed_once_its_selection_is_published(
    client: TestClient, people: People, app_state: AppState
) -> None:
    olga = people.headers["olga"]
    created = client.post("/api/programme-calls", json=CALL | {"deadline": None}, headers=olga)
    call_id = created.json()["id"]
    client.post(f"/api/programme-calls/{call_id}/publish", headers=olga)
    before = client.get(f"/api/programme-calls/{call_id}").json()["status"]
    with app_state.database.unit_of_work() as session:
        now = app_state.clock()
        session.add(EvaluationPanel(call_id=call_id, ranked_at=now, published_at=now))

    one = client.get(f"/api/programme-calls/{call_id}").json()
    listed = client.get("/api/programme-calls").json()
    page = client.get(f"/calls/{CALL['identifier']}").text

    assert before == "no_deadline"
    assert (one["status"], one["closes_at"]) == ("closed", None)
    assert [call["status"] for call in listed] == ["closed"]
    assert 'data-testid="call-status">Closed</span>' in page


def test_a_published_call_is_in_the_catalogue_and_the_checker_works_on_it(
    client: TestClient, people: People
) -> None:
    _published(client, people)
    partners = [
        {"name": "Lyon Cluster", "country": "FR", "role": "coordinator"},
        {"name": "Turin Cluster", "country": "IT", "role": "beneficiary"},
    ]

    listed = client.get("/api/calls").json()
    call = client.get("/api/calls/TEST-OPEN-2025").json()
    check = client.post(
        "/api/calls/TEST-OPEN-2025/check", json={"strand": "1", "partners": partners}
    ).json()

    assert "TEST-OPEN-2025" in [c["id"] for c in listed]
    assert (call["deadline"], call["status"]) == ("2025-03-03T17:00:00+01:00", "open")
    assert [r["id"] for r in call["rules"]] == ["two-partners", "two-countries"]
    assert check["verdict"] == "eligible"


def test_the_duration_range_a_published_call_states_is_a_rule_of_the_call_and_its_checker(
    client: TestClient, people: People
) -> None:
    olga = people.headers["olga"]
    ranged = CALL | {"duration_min_months": 12, "duration_max_months": 36}
    call_id = client.post("/api/programme-calls", json=ranged, headers=olga).json()["id"]
    client.post(f"/api/programme-calls/{call_id}/publish", headers=olga)
    body = {
        "strand": "1",
        "partners": [
            {"name": "Lyon Cluster", "country": "FR", "role": "coordinator"},
            {"name": "Turin Cluster", "country": "IT", "role": "beneficiary"},
        ],
    }

    call = client.get("/api/calls/TEST-OPEN-2025").json()
    checks = [
        client.post("/api/calls/TEST-OPEN-2025/check", json=body | months).json()
        for months in ({"duration_months": 48}, {"duration_months": 36}, {})
    ]

    assert call["rules"][-1] == {
        "id": "stated-duration",
        "title": "The project lasts 12–36 months",
        "condition": "duration",
        "description": "The project's duration in months lies within the call's limits.",
        "params": {"min": 12, "max": 36},
        "on_fail": "fail",
        "advice": "",
        "source": {
            "document": "TEST-OPEN-2025",
            "document_title": "TEST-OPEN-2025",
            "section": "Duration",
            "quote": "Duration: 12–36 months",
        },
    }
    assert [
        (c["verdict"], c["findings"][-1]["rule"], c["findings"][-1]["status"]) for c in checks
    ] == [
        ("ineligible", "stated-duration", "fail"),
        ("eligible", "stated-duration", "pass"),
        ("incomplete", "stated-duration", "unknown"),
    ]


def test_every_mistake_is_answered_with_its_field(client: TestClient, people: People) -> None:
    body = CALL | {"title": "", "budget": 0, "tie_break": ["quality"], "time_zone": "Mars"}

    response = client.post("/api/programme-calls", json=body, headers=people.headers["olga"])

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("title", "is required"),
        ("time_zone", '"Mars" is not a time zone such as Europe/Brussels'),
        ("budget", "must be more than 0"),
        ("tie_break", '"quality" is neither uncovered_strand nor a criterion'),
    ]


def test_only_officers_write_calls(client: TestClient, people: People) -> None:
    response = client.post("/api/programme-calls", json=CALL, headers=people.headers["anna"])

    assert response.status_code == 403


def test_the_exported_file_imports_as_a_new_draft(client: TestClient, people: People) -> None:
    call_id = _published(client, people)
    exported = client.get(f"/api/programme-calls/{call_id}/file")
    text = exported.text.replace('id = "TEST-OPEN-2025"', 'id = "TEST-COPY"', 1)

    imported = client.post(
        "/api/programme-calls/import",
        files={"file": ("TEST-COPY.toml", text.encode(), "application/toml")},
        headers=people.headers["olga"],
    )

    copy = imported.json()
    assert exported.headers["content-disposition"] == 'attachment; filename="TEST-OPEN-2025.toml"'
    assert imported.status_code == 201
    assert (copy["identifier"], copy["status"], copy["deadline"]) == (
        "TEST-COPY",
        "draft",
        "2025-03-03T17:00:00",
    )
    original = client.get(f"/api/programme-calls/{call_id}").json()
    assert {
        k: v for k, v in copy.items() if k not in {"id", "identifier", "status", "published_at"}
    } == {
        k: v for k, v in original.items() if k not in {"id", "identifier", "status", "published_at"}
    }


def test_an_applicant_submits_a_proposal_with_a_document(
    client: TestClient, people: People
) -> None:
    call_id = _published(client, people)
    anna = people.headers["anna"]
    body = {
        "call_id": call_id,
        "consortium_id": people.consortium_id,
        "acronym": "GREENLINK",
        "title": "Green links",
        "strand": "1",
        "requested_grant": 300_000,
        "duration_months": 24,
    }

    created = client.post("/api/proposals", json=body, headers=anna)
    proposal_id = created.json()["id"]
    uploaded = client.post(
        f"/api/proposals/{proposal_id}/documents",
        files={"documents": ("annex.pdf", PDF_BYTES, "application/pdf")},
        headers=anna,
    )
    submitted = client.post(f"/api/proposals/{proposal_id}/submit", headers=anna)

    proposal = submitted.json()
    assert created.status_code == 201
    assert [d["file_name"] for d in uploaded.json()["documents"]] == ["annex.pdf"]
    assert submitted.status_code == 200
    assert (proposal["state"], proposal["eligible"], proposal["submitted_at"]) == (
        "submitted",
        True,
        "2024-12-01T09:00:00Z",
    )
    assert proposal["eligibility"]["verdict"] == "eligible"
    assert [p["id"] for p in client.get("/api/proposals", headers=anna).json()] == [proposal_id]
    assert (created.json()["partners"], proposal["partners"]) == ([], SUBMITTED_PARTNERS)


#: The partners of the fixture's consortium as a submitted proposal shows them.
SUBMITTED_PARTNERS = [
    {"position": 1, "organisation_id": None, "name": "Lyon Cluster", "country": "FR", "pic": None,
     "role": "beneficiary"},
    {"position": 2, "organisation_id": None, "name": "Turin Cluster", "country": "IT", "pic": None,
     "role": "beneficiary"},
]  # fmt: skip


def test_a_submitted_proposal_keeps_its_partners_when_the_consortium_is_deleted(
    client: TestClient, people: People
) -> None:
    call_id = _published(client, people)
    anna = people.headers["anna"]
    body = {
        "call_id": call_id, "consortium_id": people.consortium_id, "acronym": "GREENLINK",
        "title": "Green links", "strand": "1", "requested_grant": 300_000, "duration_months": 24,
    }  # fmt: skip
    proposal_id = client.post("/api/proposals", json=body, headers=anna).json()["id"]
    client.post(
        f"/api/proposals/{proposal_id}/documents",
        files={"documents": ("annex.pdf", PDF_BYTES, "application/pdf")},
        headers=anna,
    )
    client.post(f"/api/proposals/{proposal_id}/submit", headers=anna)

    deleted = client.delete(f"/api/consortia/{people.consortium_id}", headers=anna)
    seen = client.get(f"/api/proposals/{proposal_id}", headers=people.headers["olga"]).json()
    listed = client.get(f"/api/programme-calls/{call_id}/proposals", headers=people.headers["olga"])

    assert deleted.status_code == 204
    assert (seen["consortium_id"], seen["partners"]) == (None, SUBMITTED_PARTNERS)
    assert [p["partners"] for p in listed.json()] == [SUBMITTED_PARTNERS]


def test_another_user_gets_404_and_an_officer_sees_the_proposal(
    client: TestClient, people: People
) -> None:
    call_id = _published(client, people)
    body = {
        "call_id": call_id,
        "consortium_id": people.consortium_id,
        "acronym": "GREENLINK",
        "title": "Green links",
        "strand": "1",
        "requested_grant": 300_000,
        "duration_months": 24,
    }
    proposal_id = client.post("/api/proposals", json=body, headers=people.headers["anna"]).json()[
        "id"
    ]
    bruno = people.headers["bruno"]

    answers = [
        client.get(f"/api/proposals/{proposal_id}", headers=bruno).status_code,
        client.post(f"/api/proposals/{proposal_id}/submit", headers=bruno).status_code,
        client.get(f"/api/programme-calls/{call_id}/proposals", headers=bruno).status_code,
    ]
    officer = client.get(
        f"/api/programme-calls/{call_id}/proposals", headers=people.headers["olga"]
    )

    assert answers == [404, 404, 403]
    assert client.get("/api/proposals", headers=bruno).json() == []
    assert [p["acronym"] for p in officer.json()] == ["GREENLINK"]


def test_a_proposal_over_the_maximum_grant_is_refused_with_its_field(
    client: TestClient, people: People
) -> None:
    call_id = _published(client, people)
    body = {
        "call_id": call_id,
        "consortium_id": people.consortium_id,
        "acronym": "BIG",
        "title": "Too big",
        "strand": "2",
        "requested_grant": 500_000,
        "duration_months": 24,
    }

    response = client.post("/api/proposals", json=body, headers=people.headers["anna"])

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "location": "",
            "field": "requested_grant",
            "reason": "is more than the call's maximum grant of EUR 400,000",
        }
    ]


def test_a_proposal_outside_the_calls_duration_is_refused_and_the_range_is_checked(
    client: TestClient, people: People
) -> None:
    olga, anna = people.headers["olga"], people.headers["anna"]
    ranged = CALL | {"duration_min_months": 12, "duration_max_months": 36}
    call_id = client.post("/api/programme-calls", json=ranged, headers=olga).json()["id"]
    client.post(f"/api/programme-calls/{call_id}/publish", headers=olga)
    body = {
        "call_id": call_id,
        "consortium_id": people.consortium_id,
        "acronym": "LONG",
        "title": "Too long",
        "strand": "1",
        "requested_grant": 300_000,
        "duration_months": 48,
    }

    refused = client.post("/api/proposals", json=body, headers=anna)
    proposal_id = client.post(
        "/api/proposals", json=body | {"duration_months": 36}, headers=anna
    ).json()["id"]
    client.post(
        f"/api/proposals/{proposal_id}/documents",
        files={"documents": ("annex.pdf", PDF_BYTES, "application/pdf")},
        headers=anna,
    )
    submitted = client.post(f"/api/proposals/{proposal_id}/submit", headers=anna).json()

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "location": "",
            "field": "duration_months",
            "reason": "must be between 12 and 36 months for this call",
        }
    ]
    assert [(f["rule"], f["status"]) for f in submitted["eligibility"]["findings"]] == [
        ("two-partners", "pass"),
        ("two-countries", "pass"),
        ("stated-duration", "pass"),
    ]


POINTS = int(MAX_POINTS)

#: (field as the API names it, the services' limit, the body with a value of that field)
AT_THE_LIMIT: list[tuple[str, int, Callable[[int], dict[str, Any]]]] = [
    ("budget", MAX_EUROS, lambda n: {"budget": n, "max_grant": 400_000}),
    ("max_grant", MAX_EUROS, lambda n: {"budget": MAX_EUROS, "max_grant": n}),
    ("max_projects", MAX_PROJECTS, lambda n: {"max_projects": n}),
    (
        "strands.0.minimum",
        MAX_PROJECTS,
        lambda n: {"max_projects": MAX_PROJECTS, "strands": [{"id": "1", "title": "Green", "minimum": n}]},
    ),
    ("duration_max_months", MAX_MONTHS, lambda n: {"duration_max_months": n}),
    ("criteria.0.max", POINTS, lambda n: {"criteria": [{"id": "relevance", "max": n}, {"id": "impact", "max": 20}]}),
    (
        "overall_threshold",
        POINTS,
        lambda n: {"criteria": [{"id": "relevance", "max": POINTS}, {"id": "impact", "max": 20}], "overall_threshold": n},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("field", "limit", "body"), AT_THE_LIMIT)
def test_a_number_is_refused_exactly_beyond_the_services_limit(
    client: TestClient,
    people: People,
    field: str,
    limit: int,
    body: Callable[[int], dict[str, Any]],
) -> None:
    headers = people.headers["olga"]

    accepted = client.post("/api/programme-calls", json=CALL | body(limit), headers=headers)
    beyond = CALL | body(limit + 1) | {"identifier": "TEST-BEYOND"}
    refused = client.post("/api/programme-calls", json=beyond, headers=headers)

    assert (accepted.status_code, accepted.json().get("errors")) == (201, None)
    assert (refused.status_code, refused.json()["errors"]) == (
        422,
        [
            {
                "location": "body",
                "field": field,
                "reason": f"must be at most {limit:,}",
            }
        ],
    )


def test_a_number_too_small_to_store_is_refused_not_read_as_0(
    client: TestClient, people: People
) -> None:
    body = json.dumps(CALL | {"overall_threshold": 0.5}).replace("0.5", "1e-400")
    headers = people.headers["olga"] | {"Content-Type": "application/json"}

    response = client.post("/api/programme-calls", content=body, headers=headers)

    column = body.index("1e-400") + 1
    assert (response.status_code, response.json()["errors"]) == (
        422,
        [
            {
                "location": "body",
                "field": "body",
                "reason": '"1e-400" is too small to store: write 0 or a number with fewer '
                f"decimals (line 1, column {column})",
            }
        ],
    )


@pytest.mark.parametrize(
    ("deadline", "reason"),
    [
        (
            "2027-01-15",
            "give the time too, such as 2027-01-15T17:00: a date alone would close the call at "
            "midnight, when that day starts",
        ),
        (
            "2027-03-28T02:30:00",
            "the deadline 2027-03-28 02:30 does not exist in Europe/Brussels: the clocks go "
            "forward that night; choose a time outside the skipped hour",
        ),
        (
            "2027-10-31T02:30:00",
            "the deadline 2027-10-31 02:30 happens twice in Europe/Brussels: the clocks go back "
            "that night; choose a time outside the repeated hour",
        ),
    ],
)
def test_a_deadline_that_names_no_single_moment_is_refused_once(
    client: TestClient, people: People, deadline: str, reason: str
) -> None:
    body = CALL | {"deadline": deadline, "time_zone": "Europe/Brussels"}

    response = client.post("/api/programme-calls", json=body, headers=people.headers["olga"])

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [("deadline", reason)]


def test_a_strand_id_used_twice_is_reported_under_strands(
    client: TestClient, people: People
) -> None:
    strands = [{"id": "1", "title": "Green"}, {"id": "1", "title": "Digital"}]

    response = client.post(
        "/api/programme-calls", json=CALL | {"strands": strands}, headers=people.headers["olga"]
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "", "field": "strands", "reason": 'id "1" is used twice'}
    ]


def test_a_call_without_rules_is_told_to_write_one(client: TestClient, people: People) -> None:
    rules = RULES.split("[[rules]]")[0]

    response = client.post(
        "/api/programme-calls", json=CALL | {"rules": rules}, headers=people.headers["olga"]
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "rules", "field": "rules", "reason": NO_RULES}
    ]


def test_a_strand_id_longer_than_a_proposal_keeps_is_refused_with_its_field(
    client: TestClient, people: People
) -> None:
    strands = [{"id": "g" * 41, "title": "Green"}, {"id": "d" * 40, "title": "Digital"}]

    response = client.post(
        "/api/programme-calls", json=CALL | {"strands": strands}, headers=people.headers["olga"]
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "location": "body",
            "field": "strands.0.id",
            "reason": "must be at most 40 characters, not 41",
        }
    ]


def test_a_call_for_smes_with_a_rule_no_sme_alone_passes_is_refused_with_its_rule(
    client: TestClient, people: People
) -> None:
    body = CALL | {"kind": "cascade", "strands": [], "tie_break": ["relevance"]}

    response = client.post("/api/programme-calls", json=body, headers=people.headers["olga"])

    assert response.status_code == 422
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [
        ('rules[1] (id "two-partners")', "rules"),
        ('rules[2] (id "two-countries")', "rules"),
    ]
    assert client.get("/api/programme-calls", headers=people.headers["olga"]).json() == []
