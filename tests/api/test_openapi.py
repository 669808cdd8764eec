"""The API schema tells the truth: which operations need a token, and which errors each answers
with which body."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.domain import analysis as domain_analysis
from clusterbridge.engines.matching.profile import MAX_TOP
from clusterbridge.services.consortia import consortia
from clusterbridge.services.exchanges import assignment, enrolment
from clusterbridge.services.monitoring import deliveries, service_catalogue, service_ratings
from clusterbridge.services.selection import call_drafts, experts, payments, proposals

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


def _field(schema: Any, model: str, name: str) -> Any:
    """A field of a component schema, looking through ``anyOf`` (an optional field)."""
    field = schema["components"]["schemas"][model]["properties"][name]
    return next((f for f in field.get("anyOf", []) if f.get("type") != "null"), field)


#: (component schema, field, "maxLength" or "maximum", the limit the service enforces).
SERVICE_LIMITS = [
    ("ProgrammeCallBody", "identifier", "maxLength", call_drafts.MAX_IDENTIFIER),
    ("ProgrammeCallBody", "title", "maxLength", call_drafts.MAX_TITLE),
    ("ProgrammeCallBody", "summary", "maxLength", call_drafts.MAX_SUMMARY),
    ("ProgrammeCallBody", "programme", "maxLength", call_drafts.MAX_TITLE),
    ("StrandBody", "id", "maxLength", call_drafts.MAX_STRAND_ID),
    ("ProposalCreate", "strand", "maxLength", call_drafts.MAX_STRAND_ID),
    ("StrandBody", "title", "maxLength", call_drafts.MAX_TITLE),
    ("ProposalCreate", "acronym", "maxLength", proposals.MAX_ACRONYM),
    ("ProposalCreate", "title", "maxLength", proposals.MAX_TITLE),
    ("ProposalCreate", "summary", "maxLength", proposals.MAX_SUMMARY),
    ("ProposalCreate", "duration_months", "maximum", proposals.MAX_DURATION_MONTHS),
    (
        "clusterbridge__api__schemas__selection__PaymentCreate",
        "reference",
        "maxLength",
        payments.MAX_REFERENCE,
    ),
    ("FindingWrite", "title", "maxLength", domain_analysis.MAX_TITLE),
    ("FindingWrite", "text", "maxLength", domain_analysis.MAX_TEXT),
    ("RecommendationWrite", "text", "maxLength", domain_analysis.MAX_TEXT),
    ("RecommendationWrite", "finding_ids", "maxItems", domain_analysis.MAX_LINKS),
    ("ExpertCreate", "expertise", "maxLength", experts.MAX_EXPERTISE),
    ("DeclarationWrite", "statement", "maxLength", experts.MAX_EXPERTISE),
    ("ServiceCreate", "name", "maxLength", service_catalogue.MAX_SERVICE_NAME),
    ("ServiceCreate", "description", "maxLength", service_catalogue.MAX_DESCRIPTION),
    ("DeliveryCreate", "delivered_by_person", "maxLength", deliveries.MAX_PERSON),
    ("DeliveryCreate", "follow_up", "maxLength", deliveries.MAX_FOLLOW_UP),
    ("DeliveryCreate", "participants", "maxItems", deliveries.MAX_PARTICIPANTS),
    ("ParticipantWrite", "name", "maxLength", deliveries.MAX_PERSON),
    ("RatingWrite", "comment", "maxLength", service_ratings.MAX_COMMENT),
    ("EnrolmentCreate", "capacity", "maximum", enrolment.MAX_CAPACITY),
    ("Preferences", "preferences", "maxItems", assignment.MAX_PREFERENCES),
    ("SuggestionQuestion", "top", "maximum", MAX_TOP),
    ("CheckRequest", "duration_months", "maximum", consortia.MAX_DURATION_MONTHS),
    ("CheckRequest", "requested_grant_eur", "maximum", consortia.MAX_GRANT_EUR),
]


def test_schema_limits_are_the_limits_the_services_enforce(schema: Any) -> None:
    published = [
        (model, name, key, _field(schema, model, name).get(key))
        for model, name, key, _limit in SERVICE_LIMITS
    ]

    assert published == SERVICE_LIMITS


def test_the_description_names_every_area_of_the_api(schema: Any) -> None:
    used = {tag for path in schema["paths"].values() for op in path.values() for tag in op["tags"]}
    described = re.findall(r"^- \*\*([^*]+)\*\*: ", schema["info"]["description"], re.M)

    assert sorted(described) == sorted(used)
    assert [tag["name"] for tag in schema["tags"]] == described
    assert (
        "- **analysis**: A project's findings, evidence and policy recommendations."
        in (schema["info"]["description"])
    )
