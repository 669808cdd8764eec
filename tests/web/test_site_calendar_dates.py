"""Dates of stored moments on the pages are the site's calendar dates (ADR 0039), not their
UTC dates: a token created and an assessment taken at 22:30 UTC on 4 May 2026 (00:30 on
5 May in Brussels) are shown on 5 May."""

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.services import monitoring
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.monitoring import maturity_rules
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: Half past ten in the evening of 4 May 2026 in UTC: already 5 May in Brussels.
LATE_EVENING_UTC = datetime(2026, 5, 4, 22, 30, tzinfo=UTC)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_tokens_dates_are_the_sites(client: TestClient, clean_database: Database) -> None:
    with clean_database.unit_of_work() as session:
        tom = make_user(session, email="tom@tiny.example", name="Tom")
        token, _raw = create_api_token(session, tom, name="laptop")
        token.created_at = token.last_used_at = LATE_EVENING_UTC

    sign_in(client, "tom@tiny.example")
    page = _text(client.get("/account").text)

    row = re.search(r"laptop \S+… (.+) Revoke", page)
    assert row is not None
    assert row.group(1) == "05 May 2026 05 May 2026, 00:30"


def test_an_assessment_is_headed_by_the_sites_date(
    client: TestClient, clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        tom = make_user(session, email="tom@tiny.example", name="Tom")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, sme, tom)
        answers = {q.key: 1 for q in maturity_rules().questions}
        taken = monitoring.take_assessment(
            session, tom, sme.id, answers, now=LATE_EVENING_UTC, today=LATE_EVENING_UTC.date()
        )
        taken.taken_at = LATE_EVENING_UTC
        sme_id = sme.id

    sign_in(client, "tom@tiny.example")
    page = client.get(f"/organisations/{sme_id}/digital-maturity").text

    headings = re.findall(r'<th scope="col">(\d\d \w+ \d{4})</th>', page)
    assert headings == ["05 May 2026"]
