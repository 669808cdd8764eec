"""A conflict of interest the registry shows after an expert was assigned (their
organisation set to a partner of the proposal, their account made a user of one, a joint
project imported later) takes them off the proposal as a declared conflict does: their
report does not count and a new one is refused (409), they are no longer its rapporteur,
the officer sees why, and assigning again replaces only them. The joint projects' window
ends on the site's calendar date (ADR 0039). Runs on SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Participation, Project, Proposal, ProposalDocument
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.db.repositories import users as user_repository
from clusterbridge.services.accounts.users import create_api_token
from tests.conftest import Clock
from tests.factories.evaluation import CLOSES_AT, make_small_evaluation
from tests.factories.organisations import add_member, make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: Found in the registry: Max works for Acme, the partner of ALPHA.
WORKS_FOR_ACME = "works for Acme GmbH, a member of the consortium"
REFUSED = (
    "You have a conflict of interest with this proposal ({}): you are off its evaluation, "
    "your report is not taken, and the programme officer assigns another expert"
)


@dataclass
class World:
    call: int
    proposals: dict[str, int]
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState, clock: Clock) -> World:
    """``make_small_evaluation`` (closed at the app's clock), Gamma Oy (PIC 920000003) and
    everyone's API headers."""
    clock.now = CLOSES_AT + timedelta(days=30)
    headers = {}
    with app_state.database.unit_of_work() as session:
        small = make_small_evaluation(session)
        make_organisation(session, name="Gamma Oy", country="FI", pic="920000003")
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


def _report(relevance: int, impact: int, comment: str) -> dict[str, Any]:
    return {
        "scores": {"relevance": relevance, "impact": impact},
        "comments": {"relevance": comment, "impact": comment},
    }


def _pool(client: TestClient, world: World, *, max_pic: str = "") -> None:
    for name, pic, expertise in (
        ("kim", "920000001", "battery recycling data"),
        ("lea", "", "battery storage"),
        ("max", max_pic, "tourism data"),
    ):
        body = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _send(client, world, "olga", "POST", "/experts", body)


def _assign(client: TestClient, world: World, *, max_load: int = 2) -> dict[str, Any]:
    """ALPHA: Lea and Max (Kim works for Acme); BETA: Max and Kim."""
    return _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",  # type: ignore[no-any-return]
                 {"per_proposal": 2, "max_load": max_load})  # fmt: skip


def _off(panel: dict[str, Any], world: World) -> list[tuple[str, str, str | None]]:
    acronyms = {v: k for k, v in world.proposals.items()}
    return sorted((acronyms[a["proposal_id"]], a["expert"], a["off"]) for a in panel["assignments"])


def _assignment_id(panel: dict[str, Any], proposal: int, name: str) -> int:
    return next(a["id"] for a in panel["assignments"]
                if a["proposal_id"] == proposal and a["expert"] == name)  # type: ignore[no-any-return]  # fmt: skip


def test_an_organisation_found_in_the_consortium_takes_the_expert_off(
    client: TestClient, world: World
) -> None:
    _pool(client, world)
    panel = _assign(client, world)
    alpha = world.proposals["ALPHA"]
    _send(client, world, "lea", "PUT", f"/proposals/{alpha}/report", _report(25, 55, "Lea's"))
    _send(client, world, "max", "PUT", f"/proposals/{alpha}/report", _report(24, 50, "Max's"))
    _send(client, world, "olga", "PUT", f"/proposals/{alpha}/rapporteur",
          {"assignment_id": _assignment_id(panel, alpha, "Max")})  # fmt: skip

    _pool(client, world, max_pic="920000001")  # the registry now says Max works for Acme

    panel = _send(client, world, "olga", "GET", f"/calls/{world.call}")
    assert _off(panel, world) == [
        ("ALPHA", "Lea", None), ("ALPHA", "Max", WORKS_FOR_ACME),
        ("BETA", "Kim", None), ("BETA", "Max", None)]  # fmt: skip
    report = client.put(f"/api/evaluation/proposals/{alpha}/report", json=_report(20, 40, "x"),
                        headers=world.headers["max"])  # fmt: skip
    assert (report.status_code, report.json()["message"]) == (409, REFUSED.format(WORKS_FOR_ACME))
    consensus = client.put(f"/api/evaluation/proposals/{alpha}/consensus",
                           json=_report(25, 53, "Agreed"), headers=world.headers["max"])  # fmt: skip
    assert (consensus.status_code, consensus.json()["message"]) == (
        409, REFUSED.format(WORKS_FOR_ACME))  # fmt: skip
    chosen = client.put(f"/api/evaluation/proposals/{alpha}/rapporteur",
                        json={"assignment_id": _assignment_id(panel, alpha, "Max")},
                        headers=world.headers["olga"])  # fmt: skip
    assert (chosen.status_code, chosen.json()["message"]) == (409, (
        f"Max has a conflict of interest with ALPHA ({WORKS_FOR_ACME}) and cannot be its "
        "rapporteur; choose another expert"))  # fmt: skip
    officer_view = _send(client, world, "olga", "GET", f"/proposals/{alpha}")
    assert [r["expert"] for r in officer_view["reports"]] == ["Lea"]
    assert officer_view["conflicts_found"] == [{"expert": "Max", "reason": WORKS_FOR_ACME}]
    max_view = _send(client, world, "max", "GET", f"/proposals/{alpha}")
    assert (max_view["rapporteur"], max_view["reports"], max_view["summary"]) == (False, [], "")
    mine = _send(client, world, "max", "GET", "/assignments")
    assert [(a["acronym"], a["conflict_declared"], a["conflict_found"]) for a in mine] == [
        ("ALPHA", False, WORKS_FOR_ACME), ("BETA", False, None)]  # fmt: skip


def test_assigning_again_replaces_only_the_expert_the_registry_shows_in_conflict(
    client: TestClient, world: World
) -> None:
    _pool(client, world)
    panel = _assign(client, world)
    alpha, beta = world.proposals["ALPHA"], world.proposals["BETA"]
    _send(client, world, "lea", "PUT", f"/proposals/{alpha}/report", _report(25, 55, "Lea's"))
    _send(client, world, "max", "PUT", f"/proposals/{alpha}/report", _report(24, 50, "Max's"))
    _send(client, world, "olga", "PUT", f"/proposals/{alpha}/rapporteur",
          {"assignment_id": _assignment_id(panel, alpha, "Max")})  # fmt: skip
    _pool(client, world, max_pic="920000001")
    _send(client, world, "olga", "POST", "/experts",
          {"email": "bob@example.org", "expertise": "battery"})  # fmt: skip

    panel = _send(client, world, "olga", "PUT", f"/calls/{world.call}/assignment",
                  {"per_proposal": 2, "max_load": 3})  # fmt: skip

    pairs = sorted((a["proposal_id"], a["expert"], a["submitted"], a["off"])
                   for a in panel["assignments"])  # fmt: skip
    assert pairs == [(alpha, "Bob", False, None), (alpha, "Lea", True, None),
                     (beta, "Kim", False, None), (beta, "Max", False, None)]  # fmt: skip
    officer_view = _send(client, world, "olga", "GET", f"/proposals/{alpha}")
    assert (officer_view["consensus"], officer_view["conflicts_found"]) == (None, [])


def test_a_user_of_a_partner_found_later_is_off_and_their_report_no_longer_counts(
    client: TestClient, world: World, app_state: AppState
) -> None:
    _pool(client, world)
    _assign(client, world)
    alpha = world.proposals["ALPHA"]
    _send(client, world, "lea", "PUT", f"/proposals/{alpha}/report", _report(25, 55, "Lea's"))

    with app_state.database.unit_of_work() as session:
        acme = organisation_repository.get_by_pic(session, "920000001")
        lea = user_repository.get_user_by_email(session, "lea@example.org")
        assert acme is not None
        assert lea is not None
        add_member(session, acme, lea)

    panel = _send(client, world, "olga", "GET", f"/calls/{world.call}")
    assert _off(panel, world) == [
        ("ALPHA", "Lea", "is a user of Acme GmbH, a member of the consortium"),
        ("ALPHA", "Max", None), ("BETA", "Kim", None), ("BETA", "Max", None)]  # fmt: skip
    officer_view = _send(client, world, "olga", "GET", f"/proposals/{alpha}")
    assert [(r["expert"], r["submitted_at"]) for r in officer_view["reports"]] == [("Max", None)]


def _joint_project(app_state: AppState, *, ended: date) -> None:
    """HYDRA, with Gamma Oy (Max's organisation) and Acme GmbH (ALPHA's partner), imported
    into the registry after the assignment."""
    with app_state.database.unit_of_work() as session:
        gamma = organisation_repository.get_by_pic(session, "920000003")
        acme = organisation_repository.get_by_pic(session, "920000001")
        project = Project(grant_id="301", acronym="HYDRA", title="HYDRA", participations=[],
                          start_date=date(2021, 1, 1), end_date=ended)  # fmt: skip
        session.add(project)
        session.flush()
        session.add_all(
            Participation(project=project, organisation=o, role="participant")
            for o in (gamma, acme)
        )


def test_a_joint_project_imported_later_takes_the_expert_off_within_the_local_window(
    client: TestClient, world: World, app_state: AppState, clock: Clock
) -> None:
    _pool(client, world, max_pic="920000003")
    _assign(client, world)
    _joint_project(app_state, ended=date(2023, 5, 4))
    reason = (
        "their organisation worked with Acme GmbH, a member of the consortium, in the project "
        "HYDRA (2021-01-01 to 2023-05-04)"
    )

    clock.now = datetime(2026, 5, 4, 21, 30, tzinfo=UTC)  # 23:30 in Brussels, 4 May
    on_the_4th = _send(client, world, "olga", "GET", f"/calls/{world.call}")
    clock.now = datetime(2026, 5, 4, 22, 30, tzinfo=UTC)  # 00:30 in Brussels, 5 May
    on_the_5th = _send(client, world, "olga", "GET", f"/calls/{world.call}")

    assert _off(on_the_4th, world) == [
        ("ALPHA", "Lea", None), ("ALPHA", "Max", reason),
        ("BETA", "Kim", None), ("BETA", "Max", None)]  # fmt: skip
    assert _off(on_the_5th, world) == [
        ("ALPHA", "Lea", None), ("ALPHA", "Max", None),
        ("BETA", "Kim", None), ("BETA", "Max", None)]  # fmt: skip
    assert on_the_5th["conflicts"] == [
        c for c in on_the_4th["conflicts"] if c["kind"] != "joint_project"
    ]


def test_an_expert_off_by_a_conflict_found_in_the_registry_no_longer_reads_the_proposal(
    client: TestClient, world: World, app_state: AppState
) -> None:
    # The QA pass of 2026-12-07: only a declared conflict closed GET /api/proposals/{id}.
    _pool(client, world)
    _assign(client, world)
    alpha = world.proposals["ALPHA"]
    with app_state.database.unit_of_work() as session:
        proposal = session.get(Proposal, alpha)
        assert proposal is not None
        added = ProposalDocument(proposal=proposal, file_name="workplan.pdf",
                                 content_type="application/pdf", size=9, uploaded_at=CLOSES_AT,
                                 content=b"%PDF-1.4\n")  # fmt: skip
        session.add(added)
        session.flush()
        document = f"/api/proposals/{alpha}/documents/{added.id}"
    before = client.get(f"/api/proposals/{alpha}", headers=world.headers["max"])
    before_file = client.get(document, headers=world.headers["max"])

    _pool(client, world, max_pic="920000001")  # the registry now says Max works for Acme

    after = client.get(f"/api/proposals/{alpha}", headers=world.headers["max"])
    after_file = client.get(document, headers=world.headers["max"])
    assert (before.status_code, before.json()["acronym"], before_file.content) == (
        200, "ALPHA", b"%PDF-1.4\n",
    )  # fmt: skip
    assert [(r.status_code, r.json()) for r in (after, after_file)] == [
        (404, {"message": f"There is no proposal {alpha}", "errors": []})
    ] * 2
    lea = client.get(f"/api/proposals/{alpha}", headers=world.headers["lea"])
    assert (lea.status_code, lea.json()["acronym"]) == (200, "ALPHA")
    beta = client.get(f"/api/proposals/{world.proposals['BETA']}", headers=world.headers["max"])
    assert (beta.status_code, beta.json()["acronym"]) == (200, "BETA")
