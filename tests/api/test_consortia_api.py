"""The consortium endpoints of the JSON API: bodies, validation, eligibility, access, queries."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import ConsortiumPartner
from clusterbridge.db.repositories.consortia import get_consortium
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import OrgType, SmeProfile, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.consortia import add_member, add_partner, make_consortium
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.querycount import count_queries

pytestmark = [pytest.mark.integration, pytest.mark.db]

CALL = "SMP-COSME-2024-CLUSTER"


def _headers(
    app_state: AppState, email: str, role: UserRole = UserRole.CLUSTER_MANAGER
) -> dict[str, str]:
    with app_state.database.unit_of_work() as session:
        user = make_user(
            session, email=email, name=email.split("@", maxsplit=1)[0].title(), role=role
        )
        _token, raw = create_api_token(session, user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def _organisations(app_state: AppState) -> dict[str, int]:
    with app_state.database.unit_of_work() as session:
        orgs = [
            make_organisation(session, name="Munich Cluster", country="DE", nuts="DE212"),
            make_organisation(
                session, name="Rzeszow Cluster", country="PL", nuts="PL823", eccp_registered=None
            ),
            make_organisation(session, name="Barcelona Cluster", country="ES", nuts="ES511"),
        ]
        return {org.name: org.id for org in orgs}


@pytest.fixture
def owner(app_state: AppState) -> dict[str, str]:
    return _headers(app_state, "owner@cluster.example")


@pytest.fixture
def other(app_state: AppState) -> dict[str, str]:
    return _headers(app_state, "other@cluster.example")


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post(
        "/api/consortia", json={"name": "Isar Eurocluster", **body}, headers=headers
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_and_a_blank_consortium_name_read_the_same(
    client: TestClient, owner: dict[str, str], blank: str
) -> None:
    # An empty name said "must not be empty", as did the service for one of spaces: every other
    # required text "is required".
    response = client.post("/api/consortia", json={"name": blank, "call_id": CALL}, headers=owner)

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("name", "is required")
    ]


def test_create_and_read_a_consortium(client: TestClient, owner: dict[str, str]) -> None:
    created = _create(client, owner, call_id=CALL, strand="1", duration_months=36)

    read = client.get(f"/api/consortia/{created['id']}", headers=owner).json()

    assert read == created
    assert {
        k: read[k]
        for k in (
            "name",
            "call_id",
            "strand",
            "duration_months",
            "requested_grant_eur",
            "shared",
            "can_edit",
            "verdict",
            "partners",
        )
    } == {
        "name": "Isar Eurocluster",
        "call_id": CALL,
        "strand": "1",
        "duration_months": 36,
        "requested_grant_eur": None,
        "shared": False,
        "can_edit": True,
        "verdict": "ineligible",
        "partners": [],
    }
    assert read["members"] == [{"user_id": read["owner_id"], "name": "Owner", "can_edit": True}]


def test_an_unknown_strand_is_named(client: TestClient, owner: dict[str, str]) -> None:
    response = client.post(
        "/api/consortia", json={"name": "X", "call_id": CALL, "strand": "3"}, headers=owner
    )

    assert response.status_code == 422
    assert response.json() == {
        "message": "The consortium cannot be saved",
        "errors": [
            {
                "location": "",
                "field": "strand",
                "reason": f'"3" is not a strand of {CALL}; strands: 1, 2',
            }
        ],
    }


def test_a_bad_payload_names_the_field(client: TestClient, owner: dict[str, str]) -> None:
    response = client.post(
        "/api/consortia", json={"name": "X", "duration_months": 0}, headers=owner
    )

    assert response.status_code == 422
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [
        ("body", "duration_months")
    ]


def test_patch_with_a_null_name_is_refused(client: TestClient, owner: dict[str, str]) -> None:
    created = _create(client, owner)

    response = client.patch(f"/api/consortia/{created['id']}", json={"name": None}, headers=owner)

    assert response.status_code == 422
    assert response.json()["errors"][0]["reason"] == "name cannot be null"


def test_partners_step_by_step_make_the_consortium_eligible(
    client: TestClient, app_state: AppState, owner: dict[str, str]
) -> None:
    orgs = _organisations(app_state)
    consortium = _create(client, owner, call_id=CALL, strand="1", duration_months=36)
    base = f"/api/consortia/{consortium['id']}"
    verdicts = []

    for name, role in [
        ("Munich Cluster", "coordinator"),
        ("Rzeszow Cluster", "beneficiary"),
        ("Barcelona Cluster", "beneficiary"),
    ]:
        added = client.post(
            f"{base}/partners", json={"organisation_id": orgs[name], "role": role}, headers=owner
        )
        assert added.status_code == 201, added.text
        verdicts.append(client.get(base, headers=owner).json()["verdict"])
    rzeszow = client.get(base, headers=owner).json()["partners"][1]
    patched = client.patch(
        f"{base}/partners/{rzeszow['id']}", json={"eccp_registered": True}, headers=owner
    )
    report = client.get(f"{base}/eligibility", headers=owner).json()

    assert verdicts == ["ineligible", "ineligible", "eligible"]
    assert patched.json()["overrides"] == ["eccp_registered"]
    assert report["verdict"] == "eligible"
    assert [f["status"] for f in report["findings"]] == ["pass"] * 9
    assert report["consortium"]["partners"][1]["name"] == "Rzeszow Cluster"


def test_typed_partner_errors_name_each_field(client: TestClient, owner: dict[str, str]) -> None:
    consortium = _create(client, owner)

    response = client.post(
        f"/api/consortia/{consortium['id']}/partners",
        json={"name": "Atlantis Cluster", "country": "Atlantis", "nuts": "XX999"},
        headers=owner,
    )

    assert response.status_code == 422
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [
        ("partner 1", "country"),
        ("partner 1", "nuts"),
    ]


def test_a_registry_non_sme_with_a_recorded_sme_profile_is_added_as_recorded(
    client: TestClient, app_state: AppState, owner: dict[str, str]
) -> None:
    with app_state.database.unit_of_work() as session:
        organisation_id = make_organisation(
            session,
            name="AIDIMME",
            country="ES",
            nuts="ES523",
            type=OrgType.RESEARCH_ORGANISATION,
            sme_profile=SmeProfile.TECH_SAVVY,
        ).id
    consortium = _create(client, owner)

    response = client.post(
        f"/api/consortia/{consortium['id']}/partners",
        json={"organisation_id": organisation_id, "role": "beneficiary"},
        headers=owner,
    )

    assert response.status_code == 201, response.text
    partner = response.json()
    assert (partner["type"], partner["sme_profile"], partner["role"], partner["overrides"]) == (
        "research_organisation",
        "tech_savvy",
        "beneficiary",
        [],
    )


def test_a_typed_partner_without_any_value_names_the_required_fields(
    client: TestClient, owner: dict[str, str]
) -> None:
    consortium = _create(client, owner)

    response = client.post(f"/api/consortia/{consortium['id']}/partners", json={}, headers=owner)

    assert response.status_code == 422
    assert [(e["location"], e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("partner 1", "name", "is required"),
        ("partner 1", "country", "is required"),
    ]


def test_the_share_rule_of_a_consortium_without_partners_is_unknown(
    client: TestClient, owner: dict[str, str]
) -> None:
    consortium = _create(client, owner, call_id=CALL, strand="1", duration_months=36)

    report = client.get(f"/api/consortia/{consortium['id']}/eligibility", headers=owner).json()

    share = next(f for f in report["findings"] if f["rule"] == "half-eccp-registered")
    assert (share["status"], share["message"], share["partners"]) == (
        "unknown",
        "The consortium has no applicants to check.",
        [],
    )
    assert report["verdict"] == "ineligible"


def test_remove_a_partner(client: TestClient, owner: dict[str, str]) -> None:
    consortium = _create(client, owner)
    base = f"/api/consortia/{consortium['id']}/partners"
    partner = client.post(
        base, json={"name": "Lyon Cluster", "country": "FR"}, headers=owner
    ).json()

    deleted = client.delete(f"{base}/{partner['id']}", headers=owner)
    again = client.delete(f"{base}/{partner['id']}", headers=owner)

    assert deleted.status_code == 204
    assert again.status_code == 404
    assert again.json()["message"] == f"This consortium has no partner {partner['id']}"


def test_eligibility_without_a_call_is_a_conflict(
    client: TestClient, owner: dict[str, str]
) -> None:
    consortium = _create(client, owner)

    response = client.get(f"/api/consortia/{consortium['id']}/eligibility", headers=owner)

    assert response.status_code == 409
    assert response.json() == {
        "message": "Choose a call to check the consortium against its rules.",
        "errors": [],
    }


def test_without_a_token_the_consortia_are_closed(client: TestClient) -> None:
    response = client.get("/api/consortia")

    assert response.status_code == 401


# ---------------------------------------------------------------------------------- access


def test_someone_elses_consortium_is_not_found_and_not_listed(
    client: TestClient, owner: dict[str, str], other: dict[str, str]
) -> None:
    secret = _create(client, owner, name="Secret Hydrogen Alliance")
    base = f"/api/consortia/{secret['id']}"

    listed = client.get("/api/consortia", headers=other)
    responses = [
        client.get(base, headers=other),
        client.patch(base, json={"name": "Mine now"}, headers=other),
        client.delete(base, headers=other),
        client.post(f"{base}/partners", json={"name": "Spy", "country": "DE"}, headers=other),
        client.get(f"{base}/eligibility", headers=other),
    ]

    assert listed.json() == []
    assert "Secret Hydrogen Alliance" not in listed.text
    assert [r.status_code for r in responses] == [404] * 5
    assert {r.json()["message"] for r in responses} == {f"There is no consortium {secret['id']}"}
    assert client.get(base, headers=owner).json()["name"] == "Secret Hydrogen Alliance"


def test_a_shared_consortium_is_readable_but_not_writable(
    client: TestClient, owner: dict[str, str], other: dict[str, str]
) -> None:
    shared = _create(client, owner, name="Open Alliance")
    client.patch(f"/api/consortia/{shared['id']}", json={"shared": True}, headers=owner)

    read = client.get(f"/api/consortia/{shared['id']}", headers=other)
    write = client.patch(f"/api/consortia/{shared['id']}", json={"name": "Taken"}, headers=other)

    assert (read.status_code, read.json()["name"], read.json()["can_edit"]) == (
        200,
        "Open Alliance",
        False,
    )
    assert write.status_code == 403
    assert write.json()["message"] == "You may see this consortium but not change it"


def test_an_editing_member_may_change_but_not_share(
    client: TestClient, app_state: AppState, owner: dict[str, str], other: dict[str, str]
) -> None:
    created = _create(client, owner)
    with app_state.database.unit_of_work() as session:
        consortium = get_consortium(session, created["id"])
        member = get_user_by_email(session, "other@cluster.example")
        assert consortium is not None
        assert member is not None
        add_member(session, consortium, member, can_edit=True)

    renamed = client.patch(
        f"/api/consortia/{created['id']}", json={"name": "Renamed"}, headers=other
    )
    shared = client.patch(f"/api/consortia/{created['id']}", json={"shared": True}, headers=other)

    assert (renamed.status_code, renamed.json()["name"]) == (200, "Renamed")
    assert shared.status_code == 403
    assert shared.json()["message"] == "Only the owner of this consortium may do this"


def test_officers_read_everything_and_administrators_change_it(
    client: TestClient, app_state: AppState, owner: dict[str, str]
) -> None:
    created = _create(client, owner, name="Secret Hydrogen Alliance")
    officer = _headers(app_state, "officer@ec.example", UserRole.PROGRAMME_OFFICER)
    admin = _headers(app_state, "admin@ec.example", UserRole.ADMINISTRATOR)
    base = f"/api/consortia/{created['id']}"

    officer_list = client.get("/api/consortia", headers=officer).json()
    officer_write = client.patch(base, json={"name": "X"}, headers=officer)
    admin_write = client.patch(base, json={"name": "Fixed by admin"}, headers=admin)

    assert [c["name"] for c in officer_list] == ["Secret Hydrogen Alliance"]
    assert officer_write.status_code == 403
    assert admin_write.json()["name"] == "Fixed by admin"


# ----------------------------------------------------------------------------- query count


def _list_queries(
    client: TestClient, app_state: AppState, headers: dict[str, str], count: int
) -> int:
    with app_state.database.unit_of_work() as session:
        user = get_user_by_email(session, "owner@cluster.example")
        assert user is not None
        for number in range(count):
            consortium = make_consortium(session, owner=user, name=f"Consortium {number}")
            add_partner(session, consortium, name=f"Typed {number}", country="FR")
            org = make_organisation(session, name=f"Org {number}", pic=f"99999900{number}")
            consortium.partners.append(ConsortiumPartner(position=2, organisation=org))
            session.flush()
    with count_queries(app_state.database.engine) as log:
        response = client.get("/api/consortia", headers=headers)
    assert len(response.json()) == count
    return log.count


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_needs_the_same_number_of_queries_for_1_and_3_consortia(
    client: TestClient, app_state: AppState, owner: dict[str, str], count: int
) -> None:
    queries = _list_queries(client, app_state, owner, count)

    # The token and its use are handled in a short transaction of their own, and the request's
    # session then reads the user once, and the published calls written in the app once.
    assert queries == 9
