"""One catalogue everywhere (issue 18), on the web: the published call written in the app is
offered by the consortium form and the builder, a consortium for it has its verdict and its PDF
checklist; the draft is offered nowhere. The duration range the call states is one of its rules:
on its page, and in the panel (unknown without a duration)."""

import html
import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Consortium
from clusterbridge.domain.enums import Role, UserRole
from tests.conftest import NOW
from tests.factories.calls import call_draft, make_call
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.users import make_user
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

OWNER = "owner@cluster.example"
CALL_OPTIONS = re.compile(r'<select id="consortium-call".*?</select>', re.DOTALL)
BUILDER_OPTIONS = re.compile(r'<select id="builder-call".*?</select>', re.DOTALL)
OPTION_VALUE = re.compile(r'<option value="([^"]*)"')
RULE_TITLES = re.compile(r'<li class="rule" id="rule-([^"]+)">\s*<h3>([^<]*?) ?<', re.DOTALL)
FINDINGS = re.compile(r'data-rule="([^"]+)" data-status="([^"]+)"')
TAGS = re.compile(r"<[^>]+>")
FILES = [
    "SMP-COSME-2021-CLUSTER",
    "SMP-COSME-2024-CLUSTER",
    "cluster-excellence",
    "strategic-alliances-2020",
]


@pytest.fixture
def consortium_id(app_state: AppState) -> int:
    """The published call TEST-OPEN-2025 and the draft TEST-DRAFT-2025 of an officer; the
    owner's consortium for TEST-OPEN-2025, strand 1, with two partners (PL, FR) that are legal
    entities."""
    with app_state.database.unit_of_work() as session:
        officer = make_user(
            session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER
        )
        make_call(session, officer=officer, published_at=NOW)
        make_call(session, officer=officer, draft=call_draft(identifier="TEST-DRAFT-2025"))
        owner = make_user(session, email=OWNER, name="Olga Owner")
        consortium = make_consortium(
            session, owner=owner, call_id="TEST-OPEN-2025", strand="1", duration_months=24
        )
        for name, country, role in (
            ("Rzeszow", "PL", Role.COORDINATOR),
            ("Lyon", "FR", Role.BENEFICIARY),
        ):
            add_partner(session, consortium, name=name, country=country, role=role)
        for partner in consortium.partners:
            partner.legal_entity = True
        session.flush()
        return consortium.id


def _options(pattern: re.Pattern[str], html: str) -> list[str]:
    found = pattern.search(html)
    assert found is not None, html
    return [value for value in OPTION_VALUE.findall(found.group(0)) if value]


def _rule_item(rule: str, page: str) -> list[str]:
    """The texts of the call page's item of ``rule``, one per line."""
    found = re.search(rf'<li class="rule" id="rule-{rule}">(.*?)</li>', page, re.DOTALL)
    assert found is not None, page
    text = html.unescape(TAGS.sub("\n", found.group(1)))
    return [line.strip() for line in text.splitlines() if line.strip()]


def _finding_message(rule: str, page: str) -> str:
    found = re.search(rf'data-rule="{rule}".*?</p>\s*<p>([^<]*)</p>', page, re.DOTALL)
    assert found is not None, page
    return found.group(1)


def test_the_consortium_form_offers_the_published_call_not_the_draft(
    client: TestClient, consortium_id: int
) -> None:
    sign_in(client, OWNER)

    page = client.get("/consortia")

    assert _options(CALL_OPTIONS, page.text) == sorted([*FILES, "TEST-OPEN-2025"])


def test_the_builder_offers_the_published_call_not_the_draft(
    client: TestClient, consortium_id: int
) -> None:
    sign_in(client, OWNER)

    page = client.get("/builder")

    assert _options(BUILDER_OPTIONS, page.text) == sorted([*FILES, "TEST-OPEN-2025"])


def test_a_consortium_for_the_authored_call_has_its_verdict_and_checklist(
    client: TestClient, consortium_id: int
) -> None:
    sign_in(client, OWNER)

    page = client.get(f"/consortia/{consortium_id}")
    pdf = client.get(f"/consortia/{consortium_id}/checklist.pdf")

    assert re.findall(r'data-testid="verdict">([^<]+)<', page.text) == ["eligible"]
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF-")


def test_the_authored_calls_page_lists_the_duration_range_it_states_as_a_rule(
    client: TestClient, consortium_id: int
) -> None:
    page = client.get("/calls/TEST-OPEN-2025")

    assert RULE_TITLES.findall(page.text) == [
        ("two-partners", "At least two partners"),
        ("two-countries", "Partners from at least two countries"),
        ("stated-duration", "The project lasts 12–36 months"),
    ]
    assert _rule_item("stated-duration", page.text) == [
        "The project lasts 12–36 months",
        "The project's duration in months lies within the call's limits.",
        "“Duration: 12–36 months”",
        "TEST-OPEN-2025, Duration",
    ]


def test_the_panel_says_the_stated_duration_is_unknown_without_a_duration(
    client: TestClient, app_state: AppState, consortium_id: int
) -> None:
    with app_state.database.unit_of_work() as session:
        session.get_one(Consortium, consortium_id).duration_months = None
    sign_in(client, OWNER)

    page = client.get(f"/consortia/{consortium_id}")

    assert re.findall(r'data-testid="verdict">([^<]+)<', page.text) == ["incomplete"]
    assert FINDINGS.findall(page.text)[-1] == ("stated-duration", "unknown")
    assert _finding_message("stated-duration", page.text) == (
        "The project duration is not given; it must be between 12 and 36 months."
    )
