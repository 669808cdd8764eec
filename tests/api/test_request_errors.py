"""A request that is not what the endpoint reads: the field and the reason in words."""

import pytest
from fastapi.testclient import TestClient

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
