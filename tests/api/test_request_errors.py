"""A request that is not what the endpoint reads: the field and the reason in words."""

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.routers import ROUTERS

pytestmark = pytest.mark.integration

CHECK = "/api/calls/SMP-COSME-2024-CLUSTER/check"


def test_a_body_that_is_not_json_says_where_it_stops(client: TestClient) -> None:
    response = client.post(
        CHECK,
        content=b'{"strand": "1",\n "partners": [}',
        headers={"Content-Type": "application/json"},
    )

    assert (response.status_code, response.json()["errors"]) == (
        422,
        [{"location": "body", "field": "body", "reason": "is not valid JSON (line 2, column 15)"}],
    )


def test_an_unknown_body_field_lists_the_accepted_ones(client: TestClient) -> None:
    response = client.post(
        CHECK, json={"strand": "1", "partners": [{"name": "A"}], "colour": "red"}
    )

    assert (response.status_code, response.json()["errors"]) == (
        422,
        [
            {
                "location": "body",
                "field": "colour",
                "reason": "is not a parameter of this endpoint; use one of: strand, "
                "duration_months, requested_grant_eur, partners",
            }
        ],
    )


def test_an_unknown_query_parameter_lists_the_accepted_ones(client: TestClient) -> None:
    response = client.get("/api/organisations?colour=red")

    assert (response.status_code, response.json()["errors"]) == (
        422,
        [
            {
                "location": "query",
                "field": "colour",
                "reason": "is not a parameter of this endpoint; use one of: text, countries, "
                "types, sme_profiles, ecosystems, categories, technologies, page, per_page, facets",
            }
        ],
    )


@pytest.mark.parametrize(
    ("address", "field", "accepted"),
    [
        ("/api/calls?limit=0", "limit", ", which takes none"),
        ("/api/jobs?limit=x", "limit", "; use one of: kind, state"),
        (
            "/api/exchanges/lump-sum?host_country=FR&visitor_place=Lyon&host_place=Paris"
            "&start=2025-03-01&end=2025-03-10&from_country=DE",
            "from_country",
            "; use one of: host_country, visitor_place, host_place, start, end",
        ),
        ("/api/organisations/1?page=2", "page", ", which takes none"),
    ],
)
def test_every_endpoint_refuses_a_query_parameter_it_does_not_read(
    client: TestClient, address: str, field: str, accepted: str
) -> None:
    response = client.get(address)

    assert (response.status_code, response.json()) == (
        422,
        {
            "message": "The request is not valid",
            "errors": [
                {
                    "location": "query",
                    "field": field,
                    "reason": f"is not a parameter of this endpoint{accepted}",
                }
            ],
        },
    )


def test_a_number_too_small_to_store_is_refused_by_every_endpoint_not_read_as_0(
    client: TestClient,
) -> None:
    body = '{"strand": "1", "requested_grant_eur": 1e-400, "partners": [{"name": "A"}]}'

    response = client.post(CHECK, content=body, headers={"Content-Type": "application/json"})
    routes = {type(route).__name__ for router in ROUTERS for route in router.routes}

    assert (response.status_code, response.json()["errors"]) == (
        422,
        [
            {
                "location": "body",
                "field": "body",
                "reason": '"1e-400" is too small to store: write 0 or a number with fewer '
                f"decimals (line 1, column {body.index('1e-400') + 1})",
            }
        ],
    )
    assert routes == {"ExactNumbersRoute"}
