"""``/api/organisations/{id}/suggestions`` and ``/api/partners/suggestions``."""

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from tests.factories.matching import make_matching_registry

pytestmark = pytest.mark.integration


@pytest.fixture
def ids(app_state: AppState) -> dict[str, int]:
    with app_state.database.unit_of_work() as session:
        return {name: org.id for name, org in make_matching_registry(session).items()}


def test_organisation_suggestions_list_names_and_reasons(
    client: TestClient, ids: dict[str, int]
) -> None:
    response = client.get(f"/api/organisations/{ids['vision']}/suggestions?top=1")

    assert response.status_code == 200
    assert response.json() == {
        "suggestions": [
            {
                "id": "100000001",
                "organisation_id": ids["steel"],
                "name": "Steel Works",
                "country": "DE",
                "score": response.json()["suggestions"][0]["score"],
                "band": response.json()["suggestions"][0]["band"],
                "reasons": [
                    "needs Machine vision, which Vision AI offers",
                    "a traditional SME, a potential customer of Vision AI",
                    "in the same region as Vision AI: DE21 Oberbayern",
                ],
                "past_partner": False,
            }
        ],
        "note": None,
        "newcomers": [],
    }


def test_consortium_suggestions_skip_members_and_name_call_gains(
    client: TestClient, ids: dict[str, int]
) -> None:
    body = {
        "partners": [{"pic": "100000001"}, {"pic": "100000002"}],
        "idea": "hydrogen",
        "call_id": "SMP-COSME-2024-CLUSTER",
        "strand": "1",
        "top": 5,
    }

    response = client.post("/api/partners/suggestions", json=body)

    assert response.status_code == 200
    found = response.json()["suggestions"]
    # Bakery: a traditional SME, a potential customer of the tech-savvy Vision AI.
    assert [s["name"] for s in found] == ["Rzeszow Hydrogen Cluster", "Bakery"]
    assert found[0]["reasons"][0] == (
        "SMP-COSME-2024-CLUSTER: located in a less developed region (2021-2027): "
        "PL82 Podkarpackie (fail → pass)"
    )


def test_organisation_suggestions_keep_the_kind_sought(
    client: TestClient, ids: dict[str, int]
) -> None:
    url = f"/api/organisations/{ids['steel']}/suggestions"
    every = client.get(url)
    clusters = client.get(f"{url}?kind=cluster_organisation")
    new = client.get(f"{url}?kind=cluster_organisation&new_only=true")
    french = client.get(f"{url}?country=FR")

    # Alone and without a kind, Steel Works asks for its needs: Vision AI covers them. The
    # cluster, a past partner, is found when asked for, never as a new partner.
    assert [s["name"] for s in every.json()["suggestions"]] == ["Vision AI"]
    assert [(s["name"], s["past_partner"]) for s in clusters.json()["suggestions"]] == [
        ("Rzeszow Hydrogen Cluster", True)
    ]
    # An empty answer says why (the registry has the kind, or has none in France).
    assert new.json() == {
        "suggestions": [],
        "note": "No suggestions: the registry's cluster organisations (1) either worked with a "
        "member or have nothing in common with the search.",
        "newcomers": [],
    }
    assert french.json() == {
        "suggestions": [],
        "note": "No suggestions: none of the registry's organisations in FR (1) has anything in "
        "common with the search.",
        "newcomers": [],
    }
    assert every.json()["note"] is None


def test_consortium_suggestions_keep_the_kind_sought(
    client: TestClient, ids: dict[str, int]
) -> None:
    body = {"partners": [{"pic": "100000001"}, {"pic": "100000002"}], "idea": "hydrogen"}

    response = client.post("/api/partners/suggestions", json=body | {"kind": "traditional"})

    assert [s["name"] for s in response.json()["suggestions"]] == ["Bakery"]
    assert 0 <= response.json()["suggestions"][0]["score"] <= 100


NEWCOMER = {
    "id": "100000002",
    "name": "Vision AI",
    "country": "DE",
    "score": 71,
    "band": "strong",
    "reasons": [
        "declares Machine vision, which Steel Works needs (no projects yet)",
        "a tech-savvy SME, for Steel Works (a traditional SME)",
        "in the same region as Steel Works: DE21 Oberbayern",
    ],
    "past_partner": False,
}


def test_organisation_suggestions_list_newcomers_apart(
    client: TestClient, ids: dict[str, int]
) -> None:
    # Steel Works' past partner, the cluster, shares the idea's words through their project;
    # Vision AI, registered without projects, declares the machine vision Steel Works needs.
    url = f"/api/organisations/{ids['steel']}/suggestions?top=1&idea=green+steel+and+hydrogen"

    response = client.get(url)
    filtered = client.get(f"{url}&country=PL")

    assert response.status_code == 200
    assert [s["name"] for s in response.json()["suggestions"]] == ["Rzeszow Hydrogen Cluster"]
    assert response.json()["newcomers"] == [NEWCOMER | {"organisation_id": ids["vision"]}]
    # The question's filters hold for them too.
    assert filtered.json()["newcomers"] == []


def test_consortium_suggestions_list_newcomers_apart(
    client: TestClient, ids: dict[str, int]
) -> None:
    body = {"partners": [{"pic": "100000001"}], "idea": "green steel and hydrogen", "top": 1}

    response = client.post("/api/partners/suggestions", json=body)
    asked_for = client.post("/api/partners/suggestions", json=body | {"top": 2})

    assert response.status_code == 200
    assert [s["name"] for s in response.json()["suggestions"]] == ["Rzeszow Hydrogen Cluster"]
    assert response.json()["newcomers"] == [NEWCOMER | {"organisation_id": ids["vision"]}]
    # Never one of the suggestions too.
    assert [s["name"] for s in asked_for.json()["suggestions"]] == [
        "Rzeszow Hydrogen Cluster",
        "Vision AI",
    ]
    assert asked_for.json()["newcomers"] == []


def test_the_schema_documents_newcomers(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    listed = schema["components"]["schemas"]["SuggestionList"]["properties"]["newcomers"]

    assert listed["type"] == "array"
    suggestions = schema["components"]["schemas"]["SuggestionList"]["properties"]["suggestions"]
    assert listed["items"] == suggestions["items"]
    assert listed["description"].startswith("Registered here, no projects yet: at most 5 ")


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/organisations/999999/suggestions", 404, None),
        ("/api/organisations/{steel}/suggestions?top=0", 422, "top"),
        ("/api/organisations/{steel}/suggestions?call_id=NOPE", 404, None),
        ("/api/organisations/{steel}/suggestions?kind=sofa", 422, "kind"),
        ("/api/organisations/{steel}/suggestions?country=Atlantis", 422, "country"),
        ("/api/organisations/{steel}/suggestions?region_category=rich", 422, "region_category"),
        (
            "/api/organisations/{steel}/suggestions?call_id=SMP-COSME-2024-CLUSTER&strand=9",
            422,
            "strand",
        ),
    ],
)
def test_organisation_suggestions_refuse_bad_input(
    client: TestClient, ids: dict[str, int], url: str, status: int, field: str | None
) -> None:
    response = client.get(url.format(**ids))

    assert response.status_code == status
    fields = [error["field"] for error in response.json().get("errors", [])]
    assert fields == ([field] if field else [])


def test_consortium_suggestions_refuse_an_unknown_pic_alone(
    client: TestClient, ids: dict[str, int]
) -> None:
    response = client.post("/api/partners/suggestions", json={"partners": [{"pic": "123456789"}]})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "location": "partner 1",
            "field": "pic",
            "reason": "PIC 123456789 is not in the registry, so name and country are required",
        }
    ]
