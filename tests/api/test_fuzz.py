"""Schemathesis fuzzes every API operation from its OpenAPI schema: no input may cause a 5xx.

Requests carry a valid API token, so the operations behind authentication are reached too.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from clusterbridge.api.state import AppState
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.web.app import create_app
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 40


@pytest.fixture
def api_token(app_state: AppState) -> str:
    with app_state.database.unit_of_work() as session:
        _token, raw = create_api_token(session, make_user(session), name="fuzz")
    return raw


def test_no_input_causes_a_server_error(app_state: AppState, api_token: str) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(app_state))
    headers = {"Authorization": f"Bearer {api_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        )
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        fuzz()

    assert len(operations) >= 3
