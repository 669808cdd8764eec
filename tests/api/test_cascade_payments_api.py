"""Payments to the applications of a cascade call through the JSON API: the applicant reads
what is awarded, paid and left, with cancelled payments apart and never counted; a transfer's
reference is recorded once per call, whichever application it was booked to (a cancelled
payment's reference may be used again); and every error message reads as a sentence. The
call's list of proposals gives each selected application's funding too, reading the payments
of all of them in one query. Runs on SQLite and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import CascadePayment, EvaluationPanel, Proposal, ProposalDecision
from clusterbridge.domain.enums import ProposalOutcome, ProposalState, UserRole
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.web.app import create_app
from tests.api.test_cascade_api import CALL, PAYING, PUBLISHED
from tests.api.test_races import ROUNDS, _race
from tests.conftest import Clock
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.live import LiveServer

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: Cancelled on the clock of the payments.
CANCELLED_AT = "2025-08-01T09:00:00Z"


@pytest.fixture
def headers(app_state: AppState) -> dict[str, dict[str, str]]:
    """Olga (officer), Sara (of Solar Bits GmbH) and Tom (of Tidal Works SA), each with a
    token; the SMEs' ids under ``sme:<name>``."""
    found: dict[str, dict[str, str]] = {}
    with app_state.database.unit_of_work() as session:
        olga = make_user(session, email="olga@example.org", name="olga",
                         role=UserRole.PROGRAMME_OFFICER)  # fmt: skip
        _token, raw = create_api_token(session, olga, name="test")
        found["olga"] = {"Authorization": f"Bearer {raw}"}
        for key, sme_name in (("sara", "Solar Bits GmbH"), ("tom", "Tidal Works SA")):
            user = make_user(session, email=f"{key}@example.org", name=key,
                             role=UserRole.ORGANISATION_MEMBER)  # fmt: skip
            sme = make_organisation(session, name=sme_name, type=None)
            sme.is_sme = True
            add_member(session, sme, user)
            _token, raw = create_api_token(session, user, name="test")
            found[key] = {"Authorization": f"Bearer {raw}"}
            found[f"sme:{key}"] = {"id": str(sme.id)}
    return found


def _call(
    client: TestClient, headers: dict[str, dict[str, str]], identifier: str, **changes: str
) -> int:
    olga, body = headers["olga"], CALL | {"identifier": identifier} | changes
    call_id: int = client.post("/api/programme-calls", json=body, headers=olga).json()["id"]
    client.post(f"/api/programme-calls/{call_id}/publish", headers=olga)
    return call_id


def _apply(
    client: TestClient, headers: dict[str, dict[str, str]], call_id: int, who: str, acronym: str
) -> int:
    body = {"call_id": call_id, "organisation_id": int(headers[f"sme:{who}"]["id"]),
            "acronym": acronym, "title": f"{acronym} pilot", "requested_grant": 40_000,
            "duration_months": 9}  # fmt: skip
    proposal_id: int = client.post("/api/proposals", json=body, headers=headers[who]).json()["id"]
    client.post(f"/api/proposals/{proposal_id}/submit", headers=headers[who])
    return proposal_id


def _select_all(app_state: AppState, call_id: int, proposal_ids: list[int]) -> None:
    with app_state.database.unit_of_work() as session:
        session.add(EvaluationPanel(call_id=call_id, ranked_at=PUBLISHED, published_at=PUBLISHED))
        session.add_all(
            ProposalDecision(
                proposal_id=p,
                outcome=ProposalOutcome.SELECTED,
                reason="selected",
                rank=n,
                taken_order=n,
            )
            for n, p in enumerate(proposal_ids, start=1)
        )


def _pay(
    client: TestClient, headers: dict[str, dict[str, str]], proposal_id: int, **body: str
) -> Any:
    payment = {"amount": "4000", "paid_on": "2025-06-01", "reference": "TR-001"} | body
    return client.post(f"/api/proposals/{proposal_id}/payments", json=payment,
                       headers=headers["olga"])  # fmt: skip


def test_the_applicant_reads_cancelled_payments_apart_and_the_totals_without_them(
    client: TestClient, headers: dict[str, dict[str, str]], app_state: AppState, clock: Clock
) -> None:
    call_id = _call(client, headers, "SME-OPEN-2025")
    sunpilot = _apply(client, headers, call_id, "sara", "SUNPILOT")
    _select_all(app_state, call_id, [sunpilot])
    clock.now = PAYING
    wrong = _pay(client, headers, sunpilot, amount="14000", reference="TR-001").json()
    client.post(f"/api/proposals/{sunpilot}/payments/{wrong['id']}/cancel",
                json={"reason": "Typed 14000 for 4000"}, headers=headers["olga"])  # fmt: skip
    _pay(client, headers, sunpilot, amount="4000", reference="TR-001")
    _pay(client, headers, sunpilot, amount="6000", paid_on="2025-07-01", reference="TR-002")

    read = client.get(f"/api/proposals/{sunpilot}", headers=headers["sara"])

    funding = read.json()["funding"]
    assert (read.status_code, funding["awarded"], funding["paid"], funding["left"]) == (
        200, "40000.00", "10000.00", "30000.00",
    )  # fmt: skip
    assert [(p["reference"], p["amount"], p["cancelled_at"]) for p in funding["received"]] == [
        ("TR-001", "4000.00", None), ("TR-002", "6000.00", None),
    ]  # fmt: skip
    assert [
        (p["reference"], p["amount"], p["cancelled_at"], p["cancelled_by"], p["cancel_reason"])
        for p in funding["cancelled"]
    ] == [("TR-001", "14000.00", CANCELLED_AT, "olga", "Typed 14000 for 4000")]
    assert client.get(f"/api/proposals/{sunpilot}", headers=headers["tom"]).status_code == 404


def test_an_application_not_paid_yet_reads_no_funding_before_publication(
    client: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    call_id = _call(client, headers, "SME-OPEN-2025")
    sunpilot = _apply(client, headers, call_id, "sara", "SUNPILOT")

    read = client.get(f"/api/proposals/{sunpilot}", headers=headers["sara"]).json()

    assert read["funding"] is None


def test_a_reference_is_recorded_once_per_call_whichever_application_it_pays(
    client: TestClient, headers: dict[str, dict[str, str]], app_state: AppState, clock: Clock
) -> None:
    call_id = _call(client, headers, "SME-OPEN-2025")
    sunpilot = _apply(client, headers, call_id, "sara", "SUNPILOT")
    tidal = _apply(client, headers, call_id, "tom", "TIDAL")
    _select_all(app_state, call_id, [sunpilot, tidal])
    other_call = _call(client, headers, "SME-OPEN-2026")
    elsewhere = _apply(client, headers, other_call, "tom", "TIDAL2")
    _select_all(app_state, other_call, [elsewhere])
    clock.now = PAYING

    first = _pay(client, headers, sunpilot, reference="TR-001")
    to_tidal = _pay(client, headers, tidal, reference="tr-001")
    in_other_call = _pay(client, headers, elsewhere, reference="TR-001")
    client.post(f"/api/proposals/{sunpilot}/payments/{first.json()['id']}/cancel",
                json={"reason": "Booked to the wrong SME"}, headers=headers["olga"])  # fmt: skip
    after_cancel = _pay(client, headers, tidal, reference="TR-001")

    assert (first.status_code, to_tidal.status_code) == (201, 409)
    assert to_tidal.json() == {
        "message": "The reference TR-001 is already used by a payment to SUNPILOT (application "
        f"{sunpilot}, EUR 4,000 paid on 01 June 2025) in this call: a transfer's reference "
        "names one transfer, recorded once per call (cancel that payment first if it was "
        "booked to the wrong application)",
        "errors": [],
    }
    assert (in_other_call.status_code, after_cancel.status_code) == (201, 201)
    listed = client.get(f"/api/evaluation/calls/{call_id}/payments", headers=headers["olga"])
    assert [(p["acronym"], [(q["reference"], q["cancel_reason"]) for q in p["payments"]])
            for p in listed.json()] == [
        ("SUNPILOT", [("TR-001", "Booked to the wrong SME")]), ("TIDAL", [("TR-001", "")]),
    ]  # fmt: skip


def test_no_error_message_ends_with_a_colon(
    client: TestClient, headers: dict[str, dict[str, str]], app_state: AppState, clock: Clock
) -> None:
    # The QA pass of 2026-12-07: "The payment cannot be cancelled:" -- a title written for
    # a list of problems that follows, which the API gives in "errors" instead.
    olga = headers["olga"]
    call_id = _call(client, headers, "SME-OPEN-2025")
    sunpilot = _apply(client, headers, call_id, "sara", "SUNPILOT")
    _select_all(app_state, call_id, [sunpilot])
    open_call = _call(client, headers, "SME-OPEN-2026", deadline="2026-03-03T17:00:00")
    clock.now = PAYING
    payment = _pay(client, headers, sunpilot).json()
    url = f"/api/proposals/{sunpilot}"

    answers = [
        client.post(f"{url}/payments/{payment['id']}/cancel", json={"reason": " "}, headers=olga),
        _pay(client, headers, sunpilot, reference=" ", paid_on="2031-01-01"),
        _pay(client, headers, sunpilot, amount="36000.01", reference="TR-9"),
        _pay(client, headers, sunpilot),
        client.put(f"{url}/award", json={"awarded": "1"}, headers=olga),
        client.post("/api/proposals", headers=headers["sara"],
                    json={"call_id": open_call, "organisation_id": 999_999, "acronym": "",
                          "title": "", "requested_grant": 1, "duration_months": 1}),
        client.post("/api/programme-calls", json=CALL | {"title": ""}, headers=olga),
        client.get(f"{url}/payments", headers=headers["tom"]),
        client.post(f"{url}/payments", json={"amount": "x"}, headers=olga),
    ]  # fmt: skip

    assert [a.status_code for a in answers] == [422, 422, 422, 409, 409, 422, 422, 404, 422]
    assert [a.json()["message"] for a in answers if a.json()["message"].endswith(":")] == []
    assert [a.json()["message"] for a in answers] == [
        "The payment cannot be cancelled.",
        "The payment cannot be recorded.",
        "The payment cannot be recorded.",
        "A payment with the reference TR-001 is already recorded for SUNPILOT (EUR 4,000 paid "
        "on 01 June 2025): it is not recorded twice (cancel the first one to correct it)",
        "The selection is published: the grants awarded can no longer change",
        "The proposal cannot be saved.",
        "The call cannot be saved.",
        f"There is no proposal {sunpilot}",
        "The request is not valid",
    ]
    assert answers[0].json()["errors"] == [{"location": "", "field": "reason",
                                            "reason": "is required (why the payment is cancelled)"}]  # fmt: skip


@pytest.mark.slow
def test_one_reference_booked_to_two_applications_at_once_is_recorded_once(
    client: TestClient, headers: dict[str, dict[str, str]], app_state: AppState, clock: Clock
) -> None:
    call_id = _call(client, headers, "SME-OPEN-2025")
    sunpilot = _apply(client, headers, call_id, "sara", "SUNPILOT")
    tidal = _apply(client, headers, call_id, "tom", "TIDAL")
    _select_all(app_state, call_id, [sunpilot, tidal])
    clock.now = PAYING

    with LiveServer(create_app(app_state)) as server:
        for number in range(ROUNDS):
            body = {"amount": "100", "paid_on": "2025-06-01", "reference": f"RACE-{number}"}
            statuses = _race(server, [
                ("POST", f"/api/proposals/{p}/payments", headers["olga"], body)
                for p in (sunpilot, tidal)
            ])  # fmt: skip

            assert sorted(statuses) == [201, 409], statuses
    with app_state.database.unit_of_work() as session:
        references = session.scalars(sa.select(CascadePayment.reference)).all()
    assert sorted(references) == sorted(f"RACE-{n}" for n in range(ROUNDS))


def _application(app_state: AppState, call_id: int, acronym: str) -> int:
    """A submitted application of an SME of its own (one application per SME and call)."""
    with app_state.database.unit_of_work() as session:
        sme = make_organisation(session, name=f"{acronym.title()} SARL", type=None)
        sme.is_sme = True
        proposal = Proposal(call_id=call_id, organisation=sme, acronym=acronym,
                            title=f"{acronym} pilot", summary="", requested_grant=Decimal(40_000),
                            duration_months=9, state=ProposalState.SUBMITTED, submitted_at=PUBLISHED,
                            eligibility={"verdict": "eligible"}, eligible=True)  # fmt: skip
        session.add(proposal)
        session.flush()
        return proposal.id


def _statements(app_state: AppState) -> Iterator[list[str]]:
    """The SQL statements run while the block runs."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = app_state.database.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_calls_list_of_proposals_gives_each_selected_applications_funding(
    client: TestClient, headers: dict[str, dict[str, str]], app_state: AppState, clock: Clock
) -> None:
    call_id = _call(client, headers, "SME-OPEN-2025")
    sunpilot = _apply(client, headers, call_id, "sara", "SUNPILOT")
    tidal = _apply(client, headers, call_id, "tom", "TIDAL")
    left_out = _application(app_state, call_id, "LATE")
    _select_all(app_state, call_id, [sunpilot, tidal])
    with app_state.database.unit_of_work() as session:
        session.add(ProposalDecision(proposal_id=left_out, outcome=ProposalOutcome.OUT,
                                     reason="below the threshold"))  # fmt: skip
    clock.now = PAYING
    wrong = _pay(client, headers, sunpilot, amount="14000", reference="TR-001").json()
    client.post(f"/api/proposals/{sunpilot}/payments/{wrong['id']}/cancel",
                json={"reason": "Typed 14000 for 4000"}, headers=headers["olga"])  # fmt: skip
    _pay(client, headers, sunpilot, amount="4000", reference="TR-001")
    _pay(client, headers, sunpilot, amount="6000", paid_on="2025-07-01", reference="TR-002")
    _pay(client, headers, tidal, amount="1500.50", reference="TR-003")

    listed = client.get(f"/api/programme-calls/{call_id}/proposals", headers=headers["olga"])

    assert listed.status_code == 200
    funding = {p["acronym"]: p["funding"] for p in listed.json()}
    assert list(funding) == ["LATE", "TIDAL", "SUNPILOT"]
    assert funding["LATE"] is None
    assert {
        acronym: (f["awarded"], f["paid"], f["left"],
                  [(p["reference"], p["amount"]) for p in f["received"]],
                  [(p["reference"], p["amount"], p["cancelled_by"], p["cancel_reason"])
                   for p in f["cancelled"]])
        for acronym, f in funding.items() if f is not None
    } == {
        "SUNPILOT": ("40000.00", "10000.00", "30000.00",
                     [("TR-001", "4000.00"), ("TR-002", "6000.00")],
                     [("TR-001", "14000.00", "olga", "Typed 14000 for 4000")]),
        "TIDAL": ("40000.00", "1500.50", "38499.50", [("TR-003", "1500.50")], []),
    }  # fmt: skip
    # The same as one proposal's read gives.
    read = client.get(f"/api/proposals/{sunpilot}", headers=headers["olga"]).json()
    assert funding["SUNPILOT"] == read["funding"]


def test_the_calls_list_reads_the_payments_of_all_its_applications_in_one_query(
    client: TestClient, headers: dict[str, dict[str, str]], app_state: AppState, clock: Clock
) -> None:
    call_id = _call(client, headers, "SME-OPEN-2025")
    first = [_application(app_state, call_id, f"SUN{n}") for n in range(2)]
    _select_all(app_state, call_id, first)
    clock.now = PAYING
    for n, proposal_id in enumerate(first):
        _pay(client, headers, proposal_id, reference=f"TR-{n}")
    url = f"/api/programme-calls/{call_id}/proposals"
    with contextmanager(_statements)(app_state) as two:
        assert client.get(url, headers=headers["olga"]).status_code == 200

    with app_state.database.unit_of_work() as session:
        session.execute(sa.delete(ProposalDecision))
        session.execute(sa.delete(EvaluationPanel))
    more = [_application(app_state, call_id, f"TIDAL{n}") for n in range(3)]
    _select_all(app_state, call_id, first + more)
    clock.now = PAYING
    for n, proposal_id in enumerate(more):
        _pay(client, headers, proposal_id, reference=f"TR-{n + 2}")
    with contextmanager(_statements)(app_state) as five:
        listed = client.get(url, headers=headers["olga"]).json()

    assert sum(p["funding"] is not None for p in listed) == 5
    assert len(five) == len(two)
    assert len([s for s in five if "FROM cascade_payment" in s]) == 1


def test_the_schema_documents_the_funding_of_the_calls_list(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()

    funding = schema["components"]["schemas"]["ProposalRead"]["properties"]["funding"]
    listing = schema["paths"]["/programme-calls/{call_id}/proposals"]["get"]
    assert funding["anyOf"] == [{"$ref": "#/components/schemas/ProposalFundingRead"},
                                {"type": "null"}]  # fmt: skip
    assert "GET /programme-calls/{id}/proposals (officers)" in funding["description"]
    assert "has its ``funding``" in " ".join(listing["description"].split())
