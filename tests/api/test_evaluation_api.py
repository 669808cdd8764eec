"""The evaluation API from the pool to the published selection, and who may read what: an
expert sees only their assignments and, before the consensus, only their own report; an
applicant only their own outcome, once published; anyone else gets 404. Runs on SQLite and
PostgreSQL."""

import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.models import Proposal
from clusterbridge.services.accounts.users import create_api_token
from tests.conftest import Clock
from tests.factories.evaluation import CLOSES_AT, POOL, make_call, make_small_evaluation
from tests.mailbox import read_mail

pytestmark = [pytest.mark.integration, pytest.mark.db]

CRITERIA = ("relevance", "impact")


@dataclass
class World:
    call: int
    proposals: dict[str, int]
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState, clock: Clock) -> World:
    """The call of ``make_small_evaluation`` (closed at the app's clock) and everyone's API
    headers."""
    clock.now = CLOSES_AT + timedelta(days=30)
    headers = {}
    with app_state.database.unit_of_work() as session:
        small = make_small_evaluation(session)
        for name, user in small.users.items():
            _token, raw = create_api_token(session, user, name="test")
            headers[name] = {"Authorization": f"Bearer {raw}"}
        return World(small.call_id, small.proposals, headers)


def _send(
    client: TestClient, world: World, who: str, method: str, url: str, body: object = None
) -> Any:
    response = client.request(method, f"/api/evaluation{url}", json=body,
                              headers=world.headers[who])  # fmt: skip
    assert response.status_code in {200, 201, 204}, response.text
    return response.json() if response.content else None


def _status(client: TestClient, world: World, who: str, url: str) -> int:
    return client.get(f"/api/evaluation{url}", headers=world.headers[who]).status_code


def _report(relevance: int, impact: int, comment: str) -> dict[str, Any]:
    return {
        "scores": {"relevance": relevance, "impact": impact},
        "comments": dict.fromkeys(CRITERIA, comment),
    }


def _build_pool(client: TestClient, world: World) -> None:
    for name, pic, expertise in POOL:
        body = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _send(client, world, "olga", "POST", "/experts", body)


def test_from_pool_to_published_selection(
    client: TestClient, world: World, settings: Settings
) -> None:
    _build_pool(client, world)
    panel = _send(client, world, "olga", "GET", f"/calls/{world.call}")
    assert [(c["kind"], c["reason"]) for c in panel["conflicts"]] == [
        ("same_organisation", "works for Acme GmbH, a member of the consortium")
    ]

    panel = _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",
                  {"per_proposal": 2, "max_load": 2})  # fmt: skip

    pairs = {(a["proposal_id"], a["expert"], a["fit"] > 0) for a in panel["assignments"]}
    alpha, beta = world.proposals["ALPHA"], world.proposals["BETA"]
    assert pairs == {(alpha, "Lea", True), (alpha, "Max", False),
                     (beta, "Max", True), (beta, "Kim", True)}  # fmt: skip
    for who, proposal, scores in [("lea", alpha, (25, 55)), ("max", alpha, (24, 50)),
                                  ("max", beta, (20, 60)), ("kim", beta, (22, 58))]:  # fmt: skip
        _send(client, world, who, "PUT", f"/proposals/{proposal}/report", _report(*scores, who))
    rapporteurs = {alpha: "Lea", beta: "Max"}
    for proposal, name in rapporteurs.items():
        chosen = next(a for a in panel["assignments"]
                      if a["proposal_id"] == proposal and a["expert"] == name)  # fmt: skip
        _send(client, world, "olga", "PUT", f"/proposals/{proposal}/rapporteur",
              {"assignment_id": chosen["id"]})  # fmt: skip
    _send(client, world, "lea", "PUT", f"/proposals/{alpha}/consensus", _report(25, 53, "Agreed"))
    _send(client, world, "max", "PUT", f"/proposals/{beta}/consensus", _report(21, 58, "Agreed"))

    ranked = _send(client, world, "olga", "POST", f"/calls/{world.call}/ranking")
    assert _send(client, world, "olga", "GET", f"/calls/{world.call}/ranking") == ranked
    pdf_list = client.get(f"/api/evaluation/calls/{world.call}/selection.pdf",
                          headers=world.headers["olga"])  # fmt: skip
    assert pdf_list.content[:5] == b"%PDF-"

    assert [(d["acronym"], d["outcome"], d["rank"], d["reason"]) for d in ranked["decisions"]] == [
        ("BETA", "selected", 1, "taken in rank order"),
        ("ALPHA", "selected", 2, "taken in rank order"),
    ]
    assert ranked["selected"] == [alpha, beta]
    assert _status(client, world, "alice", f"/proposals/{alpha}/summary") == 404
    assert _send(client, world, "alice", "GET", "/outcomes") == [
        {"proposal_id": alpha, "acronym": "ALPHA", "call": "EVAL-2026", "decision": None}
    ]
    _send(client, world, "olga", "POST", f"/calls/{world.call}/publication")
    letters = read_mail(settings.resolved_mail_dir())
    assert [(m.to, m.subject) for m in letters] == [
        (("alice@example.org",), "EVAL-2026: the outcome of ALPHA"),
        (("bob@example.org",), "EVAL-2026: the outcome of BETA"),
    ]
    assert letters[0].body == (
        "Hello Alice,\n\nThe evaluation of the call EVAL-2026 (Eurocluster test call) is "
        "complete.\n\nYour proposal ALPHA is selected for funding: a grant of EUR 2,000,000.\n"
        "Why: taken in "
        "rank order.\n\nThe evaluation summary report, with the experts' scores and "
        f"comments:\n{settings.public_url}/evaluation/proposals/{alpha}/summary.pdf\n"
    )
    summary = _send(client, world, "alice", "GET", f"/proposals/{alpha}/summary")
    assert (summary["scores"], summary["comments"]["impact"], summary["total"]) == (
        {"relevance": "25", "impact": "53"}, "Agreed", "78.00",
    )  # fmt: skip
    assert _status(client, world, "bob", f"/proposals/{alpha}/summary") == 404
    outcomes = _send(client, world, "alice", "GET", "/outcomes")
    assert [
        (o["acronym"], o["decision"]["outcome"], o["decision"]["reason"]) for o in outcomes
    ] == [("ALPHA", "selected", "taken in rank order")]
    assert _status(client, world, "bob", f"/proposals/{alpha}/summary.pdf") == 404
    pdf = client.get(f"/api/evaluation/proposals/{alpha}/summary.pdf",
                     headers=world.headers["alice"])  # fmt: skip
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "taken in rank order" in text
    workbook = client.get(f"/api/evaluation/calls/{world.call}/selection.xlsx",
                          headers=world.headers["olga"])  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = list(sheet.values)
    assert rows[1:] == [
        (1, "BETA", "BETA: a cluster partnership", "2", 2000000, 2000000, 79, "Selected", 2, None,
         "taken in rank order"),
        (2, "ALPHA", "ALPHA: a cluster partnership", "1", 2000000, 2000000, 78, "Selected", 1, None,
         "taken in rank order"),
    ]  # fmt: skip
    # Requested, Awarded and Total are numbers; the amounts are shown to the cent.
    assert [(c.data_type, c.number_format) for c in sheet[2][4:7]] == [
        ("n", "#,##0.00"), ("n", "#,##0.00"), ("n", "General"),
    ]  # fmt: skip
    assert _status(client, world, "alice", f"/calls/{world.call}/selection.xlsx") == 403


def test_experts_see_only_their_assignments_and_own_reports(
    client: TestClient, world: World
) -> None:
    _build_pool(client, world)
    _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",
          {"per_proposal": 2, "max_load": 2})  # fmt: skip
    alpha, beta = world.proposals["ALPHA"], world.proposals["BETA"]
    _send(client, world, "lea", "PUT", f"/proposals/{alpha}/report", _report(25, 55, "Lea's"))
    _send(client, world, "max", "PUT", f"/proposals/{alpha}/report", _report(24, 50, "Max's"))

    seen = _send(client, world, "max", "GET", f"/proposals/{alpha}")

    assert [r["comments"]["relevance"] for r in seen["reports"]] == ["Max's"]
    assert _send(client, world, "lea", "GET", "/assignments") == [
        {"proposal_id": alpha, "acronym": "ALPHA", "call": "EVAL-2026", "submitted": True,
         "conflict_declared": False, "conflict_found": None}
    ]  # fmt: skip
    assert _status(client, world, "lea", f"/proposals/{beta}") == 404
    declared = client.post(f"/api/evaluation/proposals/{beta}/declarations",
                           json={"statement": "My sister works there"},
                           headers=world.headers["lea"])  # fmt: skip
    assert declared.status_code == 404
    _send(client, world, "max", "POST", f"/proposals/{beta}/declarations",
          {"statement": "My sister works there"})  # fmt: skip
    panel = _send(client, world, "olga", "GET", f"/calls/{world.call}")
    assert [(c["proposal_id"], c["kind"], c["reason"]) for c in panel["conflicts"]] == [
        (alpha, "same_organisation", "works for Acme GmbH, a member of the consortium"),
        (beta, "declared", "declared: My sister works there"),
    ]
    assert _status(client, world, "alice", f"/proposals/{alpha}") == 404
    assert _status(client, world, "lea", f"/calls/{world.call}") == 403
    officer_view = _send(client, world, "olga", "GET", f"/proposals/{alpha}")
    assert sorted(r["expert"] for r in officer_view["reports"]) == ["Lea", "Max"]


def test_infeasible_assignment_is_a_conflict_naming_the_proposal(
    client: TestClient, world: World
) -> None:
    _build_pool(client, world)

    response = client.put(f"/api/evaluation/calls/{world.call}/assignment",
                          json={"per_proposal": 3, "max_load": 2},
                          headers=world.headers["olga"])  # fmt: skip

    assert response.status_code == 409
    assert response.json()["message"] == (
        "No assignment covers every proposal: ALPHA: 3 evaluations are needed, and the experts "
        "without a conflict (Lea, Max) can give at most 2"
    )


def test_assignment_with_nothing_to_assign_is_a_conflict_saying_so(
    client: TestClient, world: World, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        empty = make_call(session, identifier="EMPTY-2026").id
    _build_pool(client, world)

    response = client.put(f"/api/evaluation/calls/{empty}/assignment",
                          json={"per_proposal": 50, "max_load": 2},
                          headers=world.headers["olga"])  # fmt: skip

    assert (response.status_code, response.json()["message"]) == (
        409,
        "There is nothing to assign: the call has no eligible submitted proposal",
    )


def test_the_pool_refuses_an_unknown_ecosystem_naming_it(client: TestClient, world: World) -> None:
    body = {"email": "kim@example.org", "expertise": "x", "ecosystems": ["made-up-ecosystem"]}

    response = client.post("/api/evaluation/experts", json=body, headers=world.headers["olga"])

    assert response.status_code == 422
    assert [(e["field"], e["reason"][:50]) for e in response.json()["errors"]] == [
        ("ecosystems", '"made-up-ecosystem" is not an industrial ecosystem'),
    ]


def test_bad_report_and_early_ranking_are_refused_with_reasons(
    client: TestClient, world: World
) -> None:
    _build_pool(client, world)
    _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",
          {"per_proposal": 2, "max_load": 2})  # fmt: skip
    alpha = world.proposals["ALPHA"]

    bad = client.put(f"/api/evaluation/proposals/{alpha}/report",
                     json={"scores": {"relevance": 31}, "comments": {"relevance": " "}},
                     headers=world.headers["lea"])  # fmt: skip
    early = client.post(f"/api/evaluation/calls/{world.call}/ranking",
                        headers=world.headers["olga"])  # fmt: skip

    assert bad.status_code == 422
    assert [(e["field"], e["reason"]) for e in bad.json()["errors"]] == [
        ("scores.relevance", "must be between 0 and 30, not 31"),
        ("comments.relevance", "is required"),
        ("scores.impact", "is required"),
        ("comments.impact", "is required"),
    ]
    assert (early.status_code, early.json()["message"]) == (
        409, "The consensus is not submitted yet for: ALPHA; BETA",
    )  # fmt: skip


def _assign(client: TestClient, world: World) -> dict[str, Any]:
    """The pool, then 2 experts per proposal: ALPHA Lea and Max, BETA Max and Kim."""
    _build_pool(client, world)
    return _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",  # type: ignore[no-any-return]
                 {"per_proposal": 2, "max_load": 2})  # fmt: skip


def _assignment_id(panel: dict[str, Any], proposal: int, name: str) -> int:
    return next(a["id"] for a in panel["assignments"]
                if a["proposal_id"] == proposal and a["expert"] == name)  # type: ignore[no-any-return]  # fmt: skip


def test_declared_conflict_takes_the_expert_off_the_proposal(
    client: TestClient, world: World
) -> None:
    panel = _assign(client, world)
    alpha = world.proposals["ALPHA"]
    _send(client, world, "lea", "PUT", f"/proposals/{alpha}/report", _report(25, 55, "Lea's"))
    _send(client, world, "max", "PUT", f"/proposals/{alpha}/report", _report(24, 50, "Max's"))

    _send(client, world, "max", "POST", f"/proposals/{alpha}/declarations",
          {"statement": "I advised the coordinator"})  # fmt: skip

    report = client.put(f"/api/evaluation/proposals/{alpha}/report", json=_report(20, 40, "x"),
                        headers=world.headers["max"])  # fmt: skip
    assert (report.status_code, report.json()["message"]) == (409, (
        "You declared a conflict of interest with this proposal: you are off its evaluation, "
        "your report is not taken, and the programme officer assigns another expert"))  # fmt: skip
    again = client.post(f"/api/evaluation/proposals/{alpha}/declarations",
                        json={"statement": "Something else"}, headers=world.headers["max"])  # fmt: skip
    assert (again.status_code, again.json()["message"]) == (409, (
        'You already declared a conflict of interest with ALPHA ("I advised the coordinator"); '
        "it is kept as it was"))  # fmt: skip
    chosen = client.put(f"/api/evaluation/proposals/{alpha}/rapporteur",
                        json={"assignment_id": _assignment_id(panel, alpha, "Max")},
                        headers=world.headers["olga"])  # fmt: skip
    assert (chosen.status_code, chosen.json()["message"]) == (409, (
        "Max declared a conflict of interest with ALPHA and cannot be its rapporteur; "
        "choose another expert"))  # fmt: skip
    officer_view = _send(client, world, "olga", "GET", f"/proposals/{alpha}")
    assert [r["expert"] for r in officer_view["reports"]] == ["Lea"]
    assert [(d["expert"], d["statement"]) for d in officer_view["declarations"]] == [
        ("Max", "I advised the coordinator")
    ]
    mine = _send(client, world, "max", "GET", "/assignments")
    assert [(a["acronym"], a["submitted"], a["conflict_declared"]) for a in mine] == [
        ("ALPHA", False, True), ("BETA", False, False)]  # fmt: skip
    expert_view = _send(client, world, "max", "GET", f"/proposals/{alpha}")
    assert (expert_view["conflict_declared"], expert_view["summary"], expert_view["partners"],
            expert_view["reports"]) == (True, "", [], [])  # fmt: skip


def test_assigning_again_replaces_only_the_expert_with_a_declared_conflict(
    client: TestClient, world: World
) -> None:
    panel = _assign(client, world)
    alpha, beta = world.proposals["ALPHA"], world.proposals["BETA"]
    _send(client, world, "lea", "PUT", f"/proposals/{alpha}/report", _report(25, 55, "Lea's"))
    _send(client, world, "max", "PUT", f"/proposals/{alpha}/report", _report(24, 50, "Max's"))
    _send(client, world, "max", "POST", f"/proposals/{alpha}/declarations",
          {"statement": "I advised the coordinator"})  # fmt: skip
    _send(client, world, "olga", "PUT", f"/proposals/{alpha}/rapporteur",
          {"assignment_id": _assignment_id(panel, alpha, "Lea")})  # fmt: skip
    seen = _send(client, world, "lea", "GET", f"/proposals/{alpha}")
    assert (seen["rapporteur"], [r["expert"] for r in seen["reports"]]) == (True, ["Lea"])

    nobody = client.put(f"/api/evaluation/calls/{world.call}/assignment",
                        json={"per_proposal": 2, "max_load": 3}, headers=world.headers["olga"])  # fmt: skip
    assert (nobody.status_code, nobody.json()["message"]) == (409, (
        "Nobody can replace Max on ALPHA: every other expert has a conflict of interest with "
        "it, is on it already or evaluates 3 proposals"))  # fmt: skip
    _send(client, world, "olga", "POST", "/experts",
          {"email": "bob@example.org", "expertise": "battery"})  # fmt: skip

    panel = _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",
                  {"per_proposal": 2, "max_load": 3})  # fmt: skip

    pairs = sorted((a["proposal_id"], a["expert"], a["submitted"]) for a in panel["assignments"])
    assert pairs == [(alpha, "Bob", False), (alpha, "Lea", True),
                     (beta, "Kim", False), (beta, "Max", False)]  # fmt: skip
    consensus = client.put(f"/api/evaluation/proposals/{alpha}/consensus",
                           json=_report(25, 53, "Agreed"), headers=world.headers["lea"])  # fmt: skip
    assert (consensus.status_code, consensus.json()["message"]) == (
        409, "Not every individual report is in yet: Bob")  # fmt: skip


def test_an_assigned_expert_reads_the_proposal_they_evaluate_and_nobody_else_does(
    client: TestClient, world: World
) -> None:
    _assign(client, world)
    alpha, beta = world.proposals["ALPHA"], world.proposals["BETA"]

    seen = _send(client, world, "lea", "GET", f"/proposals/{alpha}")
    proposal = client.get(f"/api/proposals/{alpha}", headers=world.headers["lea"])

    assert (seen["summary"], seen["strand"], seen["duration_months"], seen["documents"]) == (
        "battery recycling", "1", 24, [])  # fmt: skip
    assert [(p["name"], p["pic"]) for p in seen["partners"]] == [("Acme GmbH", "920000001")]
    assert (proposal.status_code, proposal.json()["summary"]) == (200, "battery recycling")
    assert client.get(f"/api/proposals/{beta}", headers=world.headers["lea"]).status_code == 404
    assert client.get(f"/api/proposals/{alpha}", headers=world.headers["kim"]).status_code == 404
    assert client.get(f"/api/proposals/{alpha}", headers=world.headers["bob"]).status_code == 404
    _send(client, world, "lea", "POST", f"/proposals/{alpha}/declarations",
          {"statement": "I advised the coordinator"})  # fmt: skip
    assert client.get(f"/api/proposals/{alpha}", headers=world.headers["lea"]).status_code == 404


def test_a_report_with_an_unknown_criterion_is_refused_naming_it(
    client: TestClient, world: World
) -> None:
    _assign(client, world)
    alpha = world.proposals["ALPHA"]
    body = _report(25, 55, "Lea's")
    body["scores"]["bogus"] = 3

    response = client.put(f"/api/evaluation/proposals/{alpha}/report", json=body,
                          headers=world.headers["lea"])  # fmt: skip

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("scores.bogus", "not a criterion of the call; its criteria are relevance, impact")
    ]
    assert _send(client, world, "lea", "GET", f"/proposals/{alpha}")["mine"]["scores"] is None


def test_a_consensus_from_an_expert_who_is_not_the_rapporteur_is_forbidden(
    client: TestClient, world: World
) -> None:
    panel = _assign(client, world)
    alpha = world.proposals["ALPHA"]
    for who in ("lea", "max"):
        _send(client, world, who, "PUT", f"/proposals/{alpha}/report", _report(25, 55, who))
    _send(client, world, "olga", "PUT", f"/proposals/{alpha}/rapporteur",
          {"assignment_id": _assignment_id(panel, alpha, "Lea")})  # fmt: skip

    response = client.put(f"/api/evaluation/proposals/{alpha}/consensus",
                          json=_report(25, 53, "Agreed"), headers=world.headers["max"])  # fmt: skip

    assert (response.status_code, response.json()["message"]) == (403, (
        "Only the proposal's rapporteur, whom the programme officer chooses among its experts, "
        "submits the consensus; you are not its rapporteur"))  # fmt: skip


def test_a_consensus_with_a_score_out_of_range_is_refused_as_the_consensus(
    client: TestClient, world: World
) -> None:
    panel = _assign(client, world)
    alpha = world.proposals["ALPHA"]
    for who in ("lea", "max"):
        _send(client, world, who, "PUT", f"/proposals/{alpha}/report", _report(25, 55, who))
    _send(client, world, "olga", "PUT", f"/proposals/{alpha}/rapporteur",
          {"assignment_id": _assignment_id(panel, alpha, "Lea")})  # fmt: skip

    response = client.put(f"/api/evaluation/proposals/{alpha}/consensus",
                          json=_report(31, -1, "Agreed"), headers=world.headers["lea"])  # fmt: skip

    assert response.status_code == 422
    assert response.json() == {
        "message": "The consensus is not complete.",
        "errors": [
            {
                "location": "",
                "field": "scores.relevance",
                "reason": "must be between 0 and 30, not 31",
            },
            {
                "location": "",
                "field": "scores.impact",
                "reason": "must be between 0 and 70, not -1",
            },
        ],
    }


def _evaluate_all(client: TestClient, world: World) -> None:
    """One expert per proposal (ALPHA Lea, BETA Max), each report, rapporteur and consensus."""
    _build_pool(client, world)
    panel = _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",
                  {"per_proposal": 1, "max_load": 2})  # fmt: skip
    for a in panel["assignments"]:
        who, url = a["expert"].lower(), f"/proposals/{a['proposal_id']}"
        _send(client, world, who, "PUT", f"{url}/report", _report(25, 55, who))
        _send(client, world, "olga", "PUT", f"{url}/rapporteur", {"assignment_id": a["id"]})
        _send(client, world, who, "PUT", f"{url}/consensus", _report(25, 55, "Agreed"))


def test_withdrawing_after_the_deadline_says_so_even_once_published(
    client: TestClient, world: World
) -> None:
    alpha = world.proposals["ALPHA"]
    _evaluate_all(client, world)
    before = client.post(f"/api/proposals/{alpha}/withdraw", headers=world.headers["alice"])
    _send(client, world, "olga", "POST", f"/calls/{world.call}/ranking")
    _send(client, world, "olga", "POST", f"/calls/{world.call}/publication")

    after = client.post(f"/api/proposals/{alpha}/withdraw", headers=world.headers["alice"])

    message = (
        "A submitted proposal cannot be withdrawn after the deadline, 31 March 2026 17:00 "
        "(Europe/Brussels)"
    )
    assert (before.status_code, before.json()["message"]) == (409, message)
    assert (after.status_code, after.json()["message"]) == (409, message)


def test_a_proposal_reads_its_call_status_now_and_its_published_outcome(
    client: TestClient, world: World, app_state: AppState
) -> None:
    alpha = world.proposals["ALPHA"]
    frozen_call = {"id": "EVAL-2026", "status": "open", "time_left": "10 minutes left"}
    with app_state.database.unit_of_work() as session:
        proposal = session.get(Proposal, alpha)
        assert proposal is not None
        proposal.eligibility = {"verdict": "eligible", "call": frozen_call}
    _evaluate_all(client, world)
    _send(client, world, "olga", "POST", f"/calls/{world.call}/ranking")
    closed = client.get(f"/api/proposals/{alpha}", headers=world.headers["alice"]).json()
    _send(client, world, "olga", "POST", f"/calls/{world.call}/publication")

    published = client.get(f"/api/proposals/{alpha}", headers=world.headers["alice"]).json()
    listed = client.get("/api/proposals", headers=world.headers["alice"]).json()

    assert (closed["call_status"], closed["time_left"], closed["outcome"]) == (
        "closed", "closed 30 days ago", None)  # fmt: skip
    assert closed["eligibility"]["call"] == {
        "id": "EVAL-2026", "status": "closed", "time_left": "closed 30 days ago"}  # fmt: skip
    assert (published["call_status"], published["eligibility"]["call"]["status"]) == (
        "published", "published")  # fmt: skip
    assert published["outcome"] == {
        "outcome": "selected", "reason": "taken in rank order", "rank": 1,
        "reserve_position": None, "awarded": "2000000.00"}  # fmt: skip
    assert [(p["acronym"], p["outcome"]["outcome"]) for p in listed] == [("ALPHA", "selected")]
