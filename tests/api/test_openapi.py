"""The API schema tells the truth: which operations need a token, and which errors each answers
with which body."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = [pytest.mark.integration, pytest.mark.db]

TOKEN = [{"HTTPBearer": []}]
OPTIONAL_TOKEN = [{}, {"HTTPBearer": []}]
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorRead"}}}


@pytest.fixture
def schema(client: TestClient) -> Any:
    return client.get("/api/openapi.json").json()


def test_public_operations_take_a_token_but_do_not_need_one(schema: Any) -> None:
    paths = schema["paths"]

    assert paths["/calls"]["get"]["security"] == OPTIONAL_TOKEN
    assert paths["/organisations"]["get"]["security"] == OPTIONAL_TOKEN
    assert paths["/organisations/{organisation_id}"]["get"]["security"] == OPTIONAL_TOKEN
    assert paths["/organisations"]["post"]["security"] == TOKEN
    assert paths["/consortia"]["get"]["security"] == TOKEN


def test_each_operation_lists_its_errors_with_the_error_body(schema: Any) -> None:
    answers = schema["paths"]["/consortia/{consortium_id}/partners/{partner_id}"]["patch"][
        "responses"
    ]

    assert sorted(answers) == ["200", "401", "403", "404", "409", "422"]
    assert {
        status: answers[status]["content"] for status in answers if status != "200"
    } == dict.fromkeys(("401", "403", "404", "409", "422"), ERROR_BODY)
    assert sorted(schema["paths"]["/calls"]["get"]["responses"]) == ["200", "401"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
