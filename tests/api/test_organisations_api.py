"""The organisation API: search with facets, one record, create and change, access."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.schemas.organisations import page_of
from clusterbridge.api.state import AppState
from clusterbridge.db.models import OrganisationTechnology
from clusterbridge.domain.enums import (
    OrgType,
    SmeProfile,
    TechnologyDirection,
    UserRole,
    ValueOrigin,
)
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.registry import (
    OrganisationFilters,
    get_organisation_by_pic,
    search_organisations,
)
from clusterbridge.services.registry.cordis import import_cordis
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.querycount import count_queries
from tests.services.registry.cordis_fixture import ORGANISATIONS, write_cordis

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _headers(
    app_state: AppState, email: str, role: UserRole = UserRole.CLUSTER_MANAGER
) -> dict[str, str]:
    with app_state.database.unit_of_work() as session:
        _token, raw = create_api_token(
            session, make_user(session, email=email, role=role), name="test"
        )
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def cordis(app_state: AppState, tmp_path: Path) -> AppState:
    with app_state.database.unit_of_work() as session:
        import_cordis(session, write_cordis(tmp_path / "cordis"))
    return app_state


def test_search_returns_ranked_items_total_and_facets(client: TestClient, cordis: AppState) -> None:
    response = client.get("/api/organisations", params={"text": "hydrogen", "types": "sme"})

    assert response.status_code == 200
    body = response.json()
    assert [item["name"] for item in body["items"]] == ["Tiny Robots GmbH"]
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (1, 1, 20, 1)
    assert body["facets"]["types"] == [
        {"value": "cluster_organisation", "count": 1, "selected": False},
        {"value": "sme", "count": 1, "selected": True},
    ]
    assert body["facets"]["countries"] == [{"value": "DE", "count": 1, "selected": False}]


def test_search_by_pic_returns_that_organisation_alone(
    client: TestClient, cordis: AppState
) -> None:
    response = client.get("/api/organisations", params={"text": " 999000002 "})

    body = response.json()
    assert [(item["pic"], item["name"]) for item in body["items"]] == [
        ("999000002", "Tiny Robots GmbH")
    ]
    assert body["total"] == 1


def test_search_without_facets(client: TestClient, cordis: AppState) -> None:
    response = client.get(
        "/api/organisations", params={"countries": ["Greece", "AT"], "facets": "false"}
    )

    assert response.json()["facets"] is None
    assert sorted(item["country"] for item in response.json()["items"]) == ["AT", "EL"]


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        (
            {"types": "spaceship"},
            "types",
            '"spaceship" is not a type of organisation; use one of cluster_organisation, '
            "cluster_network, business_network, sme, large_enterprise, technology_centre, "
            "research_organisation, university, public_body, other, natural_person",
        ),
        ({"page": "100000000000000000000"}, "page", "must be at most 10,000"),
        ({"per_page": "101"}, "per_page", "must be at most 100"),
        (
            {"countries": "Atlantis"},
            "countries",
            '"Atlantis" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK',
        ),
        (
            {"countries": "ZZ"},
            "countries",
            '"ZZ" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK',
        ),
    ],
)
def test_search_bad_parameters_are_422(
    client: TestClient, clean_database: object, params: dict[str, str], field: str, reason: str
) -> None:
    response = client.get("/api/organisations", params=params)

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [(field, reason)]


def test_search_names_every_bad_filter_at_once_as_the_web_page_does(
    client: TestClient, clean_database: object
) -> None:
    # The schema refused the type alone, in its own words ("types.0: must be one of ..."),
    # and the search never saw the country.
    params = {"types": "spaceship", "sme_profiles": "hipster", "countries": "ZZ"}

    response = client.get("/api/organisations", params=params)

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        (
            "countries",
            '"ZZ" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK',
        ),
        (
            "types",
            '"spaceship" is not a type of organisation; use one of cluster_organisation, '
            "cluster_network, business_network, sme, large_enterprise, technology_centre, "
            "research_organisation, university, public_body, other, natural_person",
        ),
        ("sme_profiles", '"hipster" is not an SME profile; use one of traditional, tech_savvy'),
    ]


def test_the_schema_still_lists_the_values_of_the_search_filters(client: TestClient) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/organisations"]["get"]

    items = {p["name"]: p["schema"].get("items", {}) for p in operation["parameters"]}

    assert items["types"]["enum"] == [member.value for member in OrgType]
    assert items["sme_profiles"]["enum"] == ["traditional", "tech_savvy"]
    assert items["categories"]["enum"] == ["less_developed", "transition", "more_developed"]


def test_read_organisation_has_projects(client: TestClient, cordis: AppState) -> None:
    found = client.get("/api/organisations", params={"text": "Tiny Robots"}).json()["items"][0]

    body = client.get(f"/api/organisations/{found['id']}").json()

    assert [(p["acronym"], p["role"], p["url"]) for p in body["projects"]] == [
        ("ROBOWELD", "coordinator", "https://cordis.europa.eu/project/id/101000002"),
        ("H2VALLEY", "participant", "https://cordis.europa.eu/project/id/101000001"),
    ]
    assert (body["type"], body["is_sme"], body["source"]) == ("sme", True, "cordis")


def test_read_unknown_organisation_is_404(client: TestClient, clean_database: object) -> None:
    response = client.get("/api/organisations/2147483647")

    assert (response.status_code, response.json()["message"]) == (404, "No organisation 2147483647")


def test_create_then_update_as_member(client: TestClient, app_state: AppState) -> None:
    headers = _headers(app_state, "maria@cluster.example")
    body = {
        "name": "Sofia Robotics",
        "country": "BG",
        "nuts": "BG411",
        "technologies_offered": ["AI"],
        "ecosystems": ["digital"],
    }

    created = client.post("/api/organisations", json=body, headers=headers)
    organisation_id = created.json()["id"]
    updated = client.patch(
        f"/api/organisations/{organisation_id}",
        json={"city": "Sofia", "ecosystems": []},
        headers=headers,
    )

    assert created.status_code == 201
    assert created.json()["technologies"] == [
        {
            "direction": "offered",
            "label": "AI",
            "code": "ati-ai",
            "origin": "declared",
            "evidence": None,
        }
    ]
    assert created.json()["category_2021_2027"] == "transition"
    assert updated.status_code == 200
    assert (updated.json()["city"], updated.json()["ecosystems"], updated.json()["nuts"]) == (
        "Sofia",
        [],
        "BG411",
    )


def test_create_reports_every_bad_field(client: TestClient, app_state: AppState) -> None:
    headers = _headers(app_state, "maria@cluster.example")

    response = client.post(
        "/api/organisations",
        json={"name": "X", "country": "BG", "nuts": "DE212", "pic": "12", "email": "nope"},
        headers=headers,
    )

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("pic", '"12" is not a PIC: a PIC has exactly 9 digits'),
        ("email", '"nope" is not an e-mail address'),
        ("nuts", "DE212 is in DE, not in BG"),
    ]


def test_a_website_given_as_a_bare_domain_is_stored_with_https_and_garbage_is_422(
    client: TestClient, app_state: AppState
) -> None:
    # "samco.ie" was refused: "is not a web address starting with http:// or https://".
    headers = _headers(app_state, "maria@cluster.example")
    body = {"name": "Samco", "country": "IE"}

    bare = client.post("/api/organisations", json=body | {"website": "samco.ie"}, headers=headers)
    www = client.post(
        "/api/organisations", json=body | {"name": "W", "website": "www.samco.ie"}, headers=headers
    )
    garbage = client.post(
        "/api/organisations", json=body | {"name": "G", "website": "samco"}, headers=headers
    )

    assert (bare.status_code, bare.json()["website"]) == (201, "https://samco.ie")
    assert (www.status_code, www.json()["website"]) == (201, "https://www.samco.ie")
    assert garbage.status_code == 422
    assert [(e["field"], e["reason"]) for e in garbage.json()["errors"]] == [
        (
            "website",
            '"samco" is not a website; give an http(s) address or a domain like example.org',
        )
    ]


@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_and_a_blank_name_read_the_same(
    client: TestClient, app_state: AppState, blank: str
) -> None:
    # An empty name said "must not be empty" (the schema's words), one of spaces "is required".
    headers = _headers(app_state, "maria@cluster.example")

    response = client.post(
        "/api/organisations", json={"name": blank, "country": blank}, headers=headers
    )

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("name", "is required"),
        ("country", "is required"),
    ]


def test_create_needs_a_token(client: TestClient, clean_database: object) -> None:
    response = client.post("/api/organisations", json={"name": "X", "country": "DE"})

    assert response.status_code == 401


def test_update_someone_elses_organisation_is_403(client: TestClient, app_state: AppState) -> None:
    with app_state.database.unit_of_work() as session:
        organisation_id = make_organisation(session, name="Not Yours").id
    headers = _headers(app_state, "eve@example.org", UserRole.ORGANISATION_MEMBER)

    response = client.patch(
        f"/api/organisations/{organisation_id}", json={"name": "Mine"}, headers=headers
    )

    assert response.status_code == 403
    assert client.get(f"/api/organisations/{organisation_id}").json()["name"] == "Not Yours"


def test_update_by_administrator_is_allowed(client: TestClient, app_state: AppState) -> None:
    with app_state.database.unit_of_work() as session:
        organisation_id = make_organisation(session, name="Anyone's").id
    headers = _headers(app_state, "admin@example.org", UserRole.ADMINISTRATOR)

    response = client.patch(
        f"/api/organisations/{organisation_id}", json={"name": "Renamed"}, headers=headers
    )

    assert (response.status_code, response.json()["name"]) == (200, "Renamed")


def test_control_characters_are_refused(client: TestClient, app_state: AppState) -> None:
    headers = _headers(app_state, "maria@cluster.example")

    response = client.post(
        "/api/organisations", json={"name": "Nul\u0000Org", "country": "DE"}, headers=headers
    )

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("name", "must not contain control characters")
    ]


@pytest.mark.parametrize("params", [{}, {"text": "cluster"}])
def test_search_query_count_does_not_grow_with_items(
    client: TestClient, app_state: AppState, params: dict[str, str]
) -> None:
    counts = []
    for first, last in ((0, 1), (1, 3)):
        with app_state.database.unit_of_work() as session:
            for number in range(first, last):
                make_organisation(session, name=f"Cluster {number}")
        with count_queries(app_state.database.engine) as log:
            body = client.get("/api/organisations", params=params).json()
        assert body["total"] == last
        counts.append(log.count)

    # The search version, the page, the grouped facet counts, the ecosystem and technology counts.
    assert counts == [5, 5]


def test_search_by_technology_offered_shows_the_evidence(
    client: TestClient, cordis: AppState
) -> None:
    response = client.get(
        "/api/organisations",
        params={"technologies": "ati-robotics", "sme_profiles": "tech_savvy"},
    )

    body = response.json()
    assert response.status_code == 200
    assert [(item["name"], item["evidence"]) for item in body["items"]] == [
        (
            "Tiny Robots GmbH",
            [
                "the name says technology ('robots'); projects about advanced technology: "
                "2 projects, e.g. H2VALLEY, ROBOWELD",
                "robotics: 1 project, ROBOWELD",
            ],
        )
    ]
    assert body["facets"]["technologies"] == [
        {"value": "ati-robotics", "count": 1, "selected": True},
        {"value": "nzia-05", "count": 1, "selected": False},
    ]


def test_search_by_an_unknown_technology_is_422(client: TestClient, cordis: AppState) -> None:
    response = client.get("/api/organisations", params={"technologies": "robots"})

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("technologies", '"robots" is not a technology code; use a code such as ati-robotics')
    ]


def test_search_by_a_critical_raw_material_its_facet_offers(
    client: TestClient, app_state: AppState
) -> None:
    # The facets count "crm-lithium" (a raw material read from projects); asking for it was
    # refused as "not a technology code".
    with app_state.database.unit_of_work() as session:
        miner = make_organisation(session, name="Lithium Miners")
        make_organisation(session, name="Lithium Traders")
        session.add(
            OrganisationTechnology(
                organisation_id=miner.id,
                direction=TechnologyDirection.OFFERED,
                label="Lithium",
                code="crm-lithium",
                origin=ValueOrigin.DERIVED,
            )
        )

    response = client.get("/api/organisations", params={"technologies": "crm-lithium"})

    body = response.json()
    assert response.status_code == 200
    assert [item["name"] for item in body["items"]] == ["Lithium Miners"]
    assert body["facets"]["technologies"] == [
        {"value": "crm-lithium", "count": 1, "selected": True}
    ]


def test_members_confirm_derived_values_and_strangers_may_not(
    client: TestClient, cordis: AppState
) -> None:
    with cordis.database.unit_of_work() as session:
        robots = get_organisation_by_pic(session, "999000002").id
    url = f"/api/organisations/{robots}/confirm"

    refused = client.post(url, json={"field": "ecosystems"}, headers=_headers(cordis, "x@a.eu"))
    admin = _headers(cordis, "admin@a.eu", UserRole.ADMINISTRATOR)
    confirmed = client.post(url, json={"field": "ecosystems"}, headers=admin)
    unknown = client.post(url, json={"field": "name"}, headers=admin)

    assert refused.status_code == 403
    assert confirmed.status_code == 200
    assert confirmed.json()["ecosystem_origins"] == [
        {"slug": "renewable-energy", "origin": "declared", "evidence": None}
    ]
    assert confirmed.json()["declared_fields"] == ["ecosystems"]
    assert unknown.status_code == 422


def test_search_body_is_the_documented_page_byte_for_byte(
    client: TestClient, cordis: AppState
) -> None:
    # The route serialises the search's dataclasses directly (page_json), not OrganisationPage.
    response = client.get(
        "/api/organisations",
        params={"technologies": "ati-robotics", "sme_profiles": "tech_savvy", "countries": "DE"},
    )

    filters = OrganisationFilters(
        countries=("DE",), sme_profiles=(SmeProfile.TECH_SAVVY,), technologies=("ati-robotics",)
    )
    with cordis.database.unit_of_work() as session:
        documented = page_of(search_organisations(session, filters)).model_dump_json()
    assert response.headers["content-type"] == "application/json"
    assert response.content == documented.encode()
    assert response.json()["items"][0]["evidence"][1] == "robotics: 1 project, ROBOWELD"


def test_a_technology_centre_derived_from_its_name_says_why_until_confirmed(
    client: TestClient, app_state: AppState, tmp_path: Path
) -> None:
    sintef = ("999000012", "SINTEF AS", "SINTEF", "REC", "False", "False", "NO", "NO060")
    with app_state.database.unit_of_work() as session:
        import_cordis(session, write_cordis(tmp_path, organisations=[*ORGANISATIONS, sintef]))
        found = get_organisation_by_pic(session, "999000012").id
    admin = _headers(app_state, "admin@a.eu", UserRole.ADMINISTRATOR)

    read = client.get(f"/api/organisations/{found}").json()
    confirmed = client.post(
        f"/api/organisations/{found}/confirm", json={"field": "type"}, headers=admin
    ).json()

    assert (read["type"], read["type_evidence"]) == (
        "technology_centre",
        "derived: the name is that of a research and technology organisation ('sintef'); "
        "CORDIS: research organisation",
    )
    assert (confirmed["type"], confirmed["type_evidence"], confirmed["declared_fields"]) == (
        "technology_centre",
        None,
        ["type"],
    )
