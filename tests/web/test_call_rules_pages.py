"""The rule editor of a draft call in the web app, driven as a browser without JavaScript
would: the page's form posted back with a button; a rule added with its condition's fields,
a mistake named by its rule and field, the rule saved into the call file, moved and removed;
nobody but officers may open it."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import UserRole
from tests.conftest import app_for
from tests.factories.calls import call_draft, make_call
from tests.factories.users import make_user
from tests.web.form_fields import form_fields
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

PAGE = "/calls/RULES-2025/rules"


@pytest.fixture
def olga(app_state: AppState) -> Iterator[TestClient]:
    with app_state.database.unit_of_work() as session:
        officer = make_user(session, email="olga@example.org", name="Olga",
                            role=UserRole.PROGRAMME_OFFICER)  # fmt: skip
        make_user(session, email="anna@example.org", name="Anna")
        make_call(session, officer=officer, draft=call_draft(identifier="RULES-2025"))
    with TestClient(app_for(app_state), base_url="http://testserver") as client:
        sign_in(client, "olga@example.org")
        yield client


def _post(client: TestClient, fields: list[tuple[str, str]]) -> Any:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(PAGE, data=data, follow_redirects=False)


def _ids(html: str) -> list[str]:
    return [v for k, v in form_fields(html, PAGE) if k.startswith("rule-") and k.endswith("-id")]


def _press(client: TestClient, html: str, action: str, **changes: str) -> tuple[int, str]:
    """Post the page's form as shown, with ``changes``, pressing the button ``action``."""
    fields = [(k, changes.pop(k)) if k in changes else (k, v) for k, v in form_fields(html, PAGE)]
    response = _post(client, [*fields, *changes.items(), ("action", action)])
    return response.status_code, response.text


def test_an_officer_adds_a_rule_with_its_fields_saves_it_and_removes_it(
    olga: TestClient, app_state: AppState
) -> None:
    page = olga.get(PAGE).text
    assert page.count('data-testid="rule"') == 2

    status, added = _press(olga, page, "add", new_condition="grant_range")
    assert (status, added.count('data-testid="rule"')) == (200, 3)
    assert 'id="rule-3-p-max"' in added
    status, refused = _press(olga, added, "save", **{
        "rule-3-id": "grant", "rule-3-title": "A grant of at most EUR 400,000",
        "rule-3-p-max": "four hundred", "rule-3-document": "call",
        "rule-3-section": "Funding", "rule-3-quote": "at most EUR 400 000 per project",
    })  # fmt: skip
    assert status == 422
    assert ('data-testid="error-rule-3-p-max">rule 3 (grant), At most: &#34;four hundred&#34; '
            "is not an amount in euros, such as EUR 350,000</p>") in refused  # fmt: skip
    fields = [
        (k, "EUR 400,000" if k == "rule-3-p-max" else v) for k, v in form_fields(refused, PAGE)
    ]
    saved = _post(olga, [*fields, ("action", "save")])
    assert saved.headers["location"] == f"{PAGE}?saved=1"
    exported = olga.get("/calls/RULES-2025/file").text
    assert ('[[rules]]\nid = "grant"\ntitle = "A grant of at most EUR 400,000"\n'
            'condition = "grant_range"\nparams = { max = 400000 }\n') in exported  # fmt: skip

    page = olga.get(PAGE).text
    status, moved = _press(olga, page, "up-3")
    assert _ids(moved) == ["two-partners", "grant", "two-countries"]
    status, removed = _press(olga, moved, "remove-2")
    assert (status, _ids(removed)) == (200, ["two-partners", "two-countries"])
    _post(olga, [*form_fields(removed, PAGE), ("action", "save")])
    exported = olga.get("/calls/RULES-2025/file").text
    assert (exported.count("[[rules]]"), 'id = "grant"' in exported) == (2, False)


def test_only_officers_open_the_rule_editor(olga: TestClient, app_state: AppState) -> None:
    with TestClient(app_for(app_state), base_url="http://testserver") as anna:
        sign_in(anna, "anna@example.org")

        assert anna.get(PAGE).status_code == 403
