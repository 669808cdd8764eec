"""Cascade calls through the JSON API: an SME applies to a Eurocluster's open call with its own
organisation, is mailed a receipt, is selected, and an officer records its payments within the
amount awarded; nobody else records or sees them. Runs on SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import EvaluationPanel, ProposalDecision
from clusterbridge.domain.enums import ProposalOutcome, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.conftest import Clock
from tests.factories.calls import PDF_BYTES, SME_RULES
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail

pytestmark = [pytest.mark.integration, pytest.mark.db]

CALL: dict[str, Any] = {
    "identifier": "SME-OPEN-2025",
    "title": "Open call for SME green pilots",
    "summary": "Green pilots of SMEs.",
    "kind": "cascade",
    "rules": SME_RULES,
    "budget": 300_000,
    "deadline": "2025-03-03T17:00:00",
    "time_zone": "Europe/Brussels",
    "max_projects": 10,
    "max_grant": 60_000,
    "criteria": [{"id": "relevance", "max": 30, "threshold": 15}],
    "overall_threshold": 15,
    "tie_break": ["relevance"],
}
PUBLISHED = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
#: The clock when payments are recorded.
PAYING = datetime(2025, 8, 1, 9, 0, tzinfo=UTC)


@dataclass
class People:
    headers: dict[str, dict[str, str]]
    sme_id: int


@pytest.fixture
def people(app_state: AppState) -> People:
    roles = {"olga": UserRole.PROGRAMME_OFFICER, "sara": UserRole.ORGANISATION_MEMBER,
             "bruno": UserRole.ORGANISATION_MEMBER}  # fmt: skip
    headers = {}
    with app_state.database.unit_of_work() as session:
        users = {}
        for key, role in roles.items():
            users[key] = make_user(session, email=f"{key}@example.org", name=key, role=role)
            _token, raw = create_api_token(session, users[key], name="test")
            headers[key] = {"Authorization": f"Bearer {raw}"}
        sme = make_organisation(session, name="Solar Bits GmbH", type=None)
        sme.is_sme = True
        add_member(session, sme, users["sara"])
        sme_id = sme.id
    return People(headers, sme_id)


def _apply(client: TestClient, people: People) -> tuple[int, int]:
    olga, sara = people.headers["olga"], people.headers["sara"]
    call_id = client.post("/api/programme-calls", json=CALL, headers=olga).json()["id"]
    client.post(f"/api/programme-calls/{call_id}/publish", headers=olga)
    proposal_id = client.post("/api/proposals", json=_body(call_id, people), headers=sara).json()[
        "id"
    ]
    client.post(f"/api/proposals/{proposal_id}/documents",
                files={"documents": ("annex.pdf", PDF_BYTES, "application/pdf")}, headers=sara)  # fmt: skip
    return call_id, proposal_id


def _body(call_id: int, people: People, **changes: object) -> dict[str, object]:
    """An SME's application: ``organisation_id`` and no ``consortium_id`` at all."""
    return {"call_id": call_id, "organisation_id": people.sme_id, "acronym": "SUNPILOT",
            "title": "Solar panel recycling pilot", "requested_grant": 40_000,
            "duration_months": 9} | changes  # fmt: skip


def _select(app_state: AppState, call_id: int, proposal_id: int, *, published: bool = True) -> None:
    with app_state.database.unit_of_work() as session:
        session.add_all([
            EvaluationPanel(call_id=call_id, ranked_at=PUBLISHED,
                            published_at=PUBLISHED if published else None),
            ProposalDecision(proposal_id=proposal_id, outcome=ProposalOutcome.SELECTED,
                             reason="selected", rank=1, taken_order=1),
        ])  # fmt: skip


def test_an_sme_applies_and_is_mailed_a_receipt(
    client: TestClient, people: People, data_dir: Path
) -> None:
    _call_id, proposal_id = _apply(client, people)

    submitted = client.post(f"/api/proposals/{proposal_id}/submit", headers=people.headers["sara"])

    body = submitted.json()
    assert (submitted.status_code, body["organisation_id"], body["consortium_id"]) == (
        200, people.sme_id, None,
    )  # fmt: skip
    assert body["eligibility"]["verdict"] == "eligible"
    assert [(m.to, m.subject) for m in read_mail(data_dir / "mail")] == [
        (("sara@example.org",), "SME-OPEN-2025: SUNPILOT is submitted")
    ]


def test_every_answer_with_a_proposal_says_its_call_status_now(
    client: TestClient, people: People
) -> None:
    # The QA pass of 2026-12-07 (qa3): only GET said "open"; the answers of POST, PUT, the
    # documents, submit and withdraw had call_status and time_left null.
    sara = people.headers["sara"]
    olga = people.headers["olga"]
    call_id = client.post("/api/programme-calls", json=CALL, headers=olga).json()["id"]
    client.post(f"/api/programme-calls/{call_id}/publish", headers=olga)

    created = client.post("/api/proposals", json=_body(call_id, people), headers=sara).json()
    url = f"/api/proposals/{created['id']}"
    body = {key: value for key, value in _body(call_id, people).items() if key != "call_id"}
    changed = client.put(url, json=body | {"title": "Pilot"}, headers=sara).json()
    added = client.post(f"{url}/documents", headers=sara,
                        files={"documents": ("annex.pdf", PDF_BYTES, "application/pdf")}).json()  # fmt: skip
    submitted = client.post(f"{url}/submit", headers=sara).json()
    withdrawn = client.post(f"{url}/withdraw", headers=sara).json()

    answers = [created, changed, added, submitted, withdrawn]
    assert [(a["call_status"], a["time_left"]) for a in answers] == [
        ("open", "92 days 7 hours left")
    ] * 5


def test_an_application_over_the_maximum_per_sme_is_refused(
    client: TestClient, people: People
) -> None:
    call_id, _proposal_id = _apply(client, people)
    body = {"call_id": call_id, "consortium_id": None, "organisation_id": people.sme_id,
            "acronym": "SUN2", "title": "A second pilot", "requested_grant": 20_001,
            "duration_months": 6}  # fmt: skip

    response = client.post("/api/proposals", json=body, headers=people.headers["sara"])

    assert response.status_code == 422
    assert [(i["field"], i["reason"]) for i in response.json()["errors"]] == [
        ("requested_grant", "Solar Bits GmbH would ask EUR 60,001 of this call in all, more "
         "than its maximum of EUR 60,000 per SME (EUR 40,000 in its other applications)"),
    ]  # fmt: skip


def test_an_officer_records_payments_within_the_award(
    client: TestClient, people: People, app_state: AppState, clock: Clock
) -> None:
    call_id, proposal_id = _apply(client, people)
    client.post(f"/api/proposals/{proposal_id}/submit", headers=people.headers["sara"])
    _select(app_state, call_id, proposal_id)
    clock.now = PAYING
    url = f"/api/proposals/{proposal_id}/payments"
    olga = people.headers["olga"]

    first = client.post(url, json={"amount": "25000", "paid_on": "2025-06-01",
                                   "reference": "TR-1"}, headers=olga)  # fmt: skip
    too_much = client.post(url, json={"amount": "15000.01", "paid_on": "2025-07-01",
                                      "reference": "TR-2"}, headers=olga)  # fmt: skip
    by_sara = client.post(url, json={"amount": "1", "paid_on": "2025-07-01",
                                     "reference": "TR-3"}, headers=people.headers["sara"])  # fmt: skip
    listed = client.get(f"/api/evaluation/calls/{call_id}/payments", headers=olga).json()

    assert (first.status_code, too_much.status_code, by_sara.status_code) == (201, 422, 403)
    assert [(p["proposal_id"], Decimal(p["awarded"]), Decimal(p["paid"]), Decimal(p["left"]),
             [q["reference"] for q in p["payments"]]) for p in listed] == [
        (proposal_id, Decimal(40_000), Decimal(25_000), Decimal(15_000), ["TR-1"]),
    ]  # fmt: skip
    assert [q["reference"] for q in client.get(url, headers=people.headers["sara"]).json()] == [
        "TR-1"
    ]
    assert client.get(url, headers=people.headers["bruno"]).status_code == 404
    assert client.get(f"/api/evaluation/calls/{call_id}/payments",
                      headers=people.headers["bruno"]).status_code == 403  # fmt: skip


def test_a_payment_reference_is_booked_once_and_a_payment_can_be_cancelled(
    client: TestClient, people: People, app_state: AppState, clock: Clock
) -> None:
    call_id, proposal_id = _apply(client, people)
    client.post(f"/api/proposals/{proposal_id}/submit", headers=people.headers["sara"])
    _select(app_state, call_id, proposal_id)
    clock.now = PAYING
    url, olga = f"/api/proposals/{proposal_id}/payments", people.headers["olga"]
    body = {"amount": "4000", "paid_on": "2025-06-01", "reference": "PAY-3"}

    first = client.post(url, json=body, headers=olga)
    again = client.post(url, json=body, headers=olga)
    future = client.post(url, json=body | {"paid_on": "2031-01-01"}, headers=olga)
    early = client.post(url, json=body | {"paid_on": "1999-01-01"}, headers=olga)
    cancel = f"{url}/{first.json()['id']}/cancel"
    by_sara = client.post(cancel, json={"reason": "mine"}, headers=people.headers["sara"])
    cancelled = client.post(cancel, json={"reason": "Typed 4000 for 400"}, headers=olga)
    twice = client.post(cancel, json={"reason": "again"}, headers=olga)
    corrected = client.post(url, json=body | {"amount": "400"}, headers=olga)
    [listed] = client.get(f"/api/evaluation/calls/{call_id}/payments", headers=olga).json()

    assert (first.status_code, again.status_code) == (201, 409)
    assert again.json()["message"] == (
        "A payment with the reference PAY-3 is already recorded for SUNPILOT (EUR 4,000 paid "
        "on 01 June 2025): it is not recorded twice (cancel the first one to correct it)"
    )
    assert (future.status_code, future.json()["errors"]) == (422, [
        {"location": "", "field": "paid_on",
         "reason": "is in the future (today is 01 August 2025): record a payment once it is made"},
    ])  # fmt: skip
    assert (early.status_code, early.json()["errors"]) == (422, [
        {"location": "", "field": "paid_on", "reason": "is before the grant was awarded (the "
         "selection was published on 01 December 2024)"},
    ])  # fmt: skip
    assert by_sara.status_code == 403
    assert (cancelled.status_code, cancelled.json()["cancelled_by"],
            cancelled.json()["cancel_reason"], cancelled.json()["cancelled_at"]) == (
        200, "olga", "Typed 4000 for 400", "2025-08-01T09:00:00Z",
    )  # fmt: skip
    assert (twice.status_code, twice.json()["message"]) == (
        409,
        "The payment PAY-3 is cancelled already",
    )
    assert corrected.status_code == 201
    assert (listed["paid"], listed["left"]) == ("400.00", "39600.00")
    assert [(p["reference"], p["amount"], p["cancel_reason"]) for p in listed["payments"]] == [
        ("PAY-3", "4000.00", "Typed 4000 for 400"), ("PAY-3", "400.00", ""),
    ]  # fmt: skip


def test_a_call_whose_rules_cannot_be_met_is_not_published(
    client: TestClient, people: People
) -> None:
    olga = people.headers["olga"]
    rules = (
        SME_RULES
        + """
[[rules]]
id = "one-strand"
title = "The application addresses exactly one strand"
condition = "one_strand"
source = { document = "call", section = "Scope", quote = "one of the strands" }
"""
    )
    call_id = client.post("/api/programme-calls", json=CALL | {"rules": rules, "strands": []},
                          headers=olga).json()["id"]  # fmt: skip

    published = client.post(f"/api/programme-calls/{call_id}/publish", headers=olga)
    shown = client.get(f"/api/programme-calls/{call_id}", headers=olga).json()

    assert (published.status_code, published.json()["message"]) == (
        409, "The call cannot be published: no application could meet rule one-strand "
        "(one_strand): the call has no strands, so no proposal can address exactly one of them. "
        "Change the call first",
    )  # fmt: skip
    assert shown["status"] == "draft"


def test_a_programme_call_has_no_payments(client: TestClient, people: People) -> None:
    olga = people.headers["olga"]
    programme = CALL | {"identifier": "PROG-2025", "kind": "programme", "max_grant": None}
    call_id = client.post("/api/programme-calls", json=programme, headers=olga).json()["id"]

    listed = client.get(f"/api/evaluation/calls/{call_id}/payments", headers=olga)

    assert (listed.status_code, listed.json()["message"]) == (
        409,
        "Payments are recorded for the applications of cascade calls only",
    )


def test_an_officer_awards_less_than_requested_before_publication(
    client: TestClient, people: People, app_state: AppState
) -> None:
    call_id, proposal_id = _apply(client, people)
    client.post(f"/api/proposals/{proposal_id}/submit", headers=people.headers["sara"])
    _select(app_state, call_id, proposal_id, published=False)
    url = f"/api/proposals/{proposal_id}/award"
    olga = people.headers["olga"]

    too_much = client.put(url, json={"awarded": "40000.01"}, headers=olga)
    by_sara = client.put(url, json={"awarded": "1"}, headers=people.headers["sara"])
    awarded = client.put(url, json={"awarded": "30000"}, headers=olga)
    listed = client.get(f"/api/evaluation/calls/{call_id}/ranking", headers=olga).json()

    assert (too_much.status_code, by_sara.status_code, awarded.status_code) == (422, 403, 200)
    assert [(i["field"], i["reason"]) for i in too_much.json()["errors"]] == [
        ("awarded", "is more than the EUR 40,000 requested"),
    ]
    assert {k: Decimal(v) for k, v in awarded.json().items()} == {
        "proposal_id": proposal_id, "requested": Decimal(40_000), "awarded": Decimal(30_000),
    }  # fmt: skip
    assert Decimal(listed["budget_used"]) == Decimal(30_000)
    assert [Decimal(d["awarded"]) for d in listed["decisions"]] == [Decimal(30_000)]


def test_amounts_read_with_two_decimals_everywhere(
    client: TestClient, people: People, app_state: AppState
) -> None:
    call_id, proposal_id = _apply(client, people)
    client.post(f"/api/proposals/{proposal_id}/submit", headers=people.headers["sara"])
    _select(app_state, call_id, proposal_id, published=False)
    olga = people.headers["olga"]

    awarded = client.put(f"/api/proposals/{proposal_id}/award", json={"awarded": "30000"},
                         headers=olga).json()  # fmt: skip
    proposal = client.get(f"/api/proposals/{proposal_id}", headers=olga).json()
    ranking = client.get(f"/api/evaluation/calls/{call_id}/ranking", headers=olga).json()

    assert (awarded["requested"], awarded["awarded"]) == ("40000.00", "30000.00")
    assert proposal["requested_grant"] == "40000.00"
    assert (ranking["budget_used"], [d["awarded"] for d in ranking["decisions"]]) == (
        "30000.00", ["30000.00"],
    )  # fmt: skip


@pytest.mark.parametrize(
    "applicant", [{}, {"consortium_id": 1}, {"consortium_id": None, "organisation_id": None}]
)
def test_an_application_names_exactly_one_of_its_sme_and_a_consortium(
    client: TestClient, people: People, applicant: dict[str, object]
) -> None:
    call_id, _proposal_id = _apply(client, people)
    body = {**_body(call_id, people, acronym="SUN2", requested_grant=10_000), **applicant}
    if not applicant:
        body.pop("organisation_id")

    response = client.post("/api/proposals", json=body, headers=people.headers["sara"])

    assert (response.status_code, [(i["field"], i["reason"]) for i in response.json()["errors"]]) == (
        422,
        [("organisation_id", "give exactly one of consortium_id (a consortium's proposal) and "
          "organisation_id (an SME's application to a cascade call)")],
    )  # fmt: skip


def test_an_application_without_consortium_id_is_taken(client: TestClient, people: People) -> None:
    _call_id, proposal_id = _apply(client, people)

    read = client.get(f"/api/proposals/{proposal_id}", headers=people.headers["sara"]).json()

    assert (read["organisation_id"], read["consortium_id"]) == (people.sme_id, None)


def test_the_selection_waits_for_the_deadline_and_then_closes_the_call(
    client: TestClient, people: People, app_state: AppState
) -> None:
    call_id, proposal_id = _apply(client, people)
    olga = people.headers["olga"]

    ranked = client.post(f"/api/evaluation/calls/{call_id}/ranking", headers=olga)
    published = client.post(f"/api/evaluation/calls/{call_id}/publication", headers=olga)
    _select(app_state, call_id, proposal_id)  # published while open, as before the fix
    late = client.post("/api/proposals", json=_body(call_id, people, acronym="LATE",
                       requested_grant=10_000), headers=people.headers["sara"])  # fmt: skip

    until = ("The call SME-OPEN-2025 takes proposals until its deadline, 03 March 2025 17:00 "
             "(Europe/Brussels)")  # fmt: skip
    assert [(r.status_code, r.json()["message"]) for r in (ranked, published, late)] == [
        (409, f"{until}: proposals are ranked after it"),
        (409, f"{until}: the selection is published after it"),
        (409, "The selection of call SME-OPEN-2025 is published: it takes no more proposals"),
    ]
