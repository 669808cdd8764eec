"""The outcome ledger's endpoints: a follow-up link's question and answer without a token of
one's own (422 naming the field, then 201, then 404 once used), three answers at once with
the same link record one outcome, and an organisation's outcomes for its members only."""

import http.client
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import ConsortiumPartner, Outcome
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.mail import build_mailer, pending_mail
from clusterbridge.services.monitoring import FollowUpMail, send_follow_ups
from clusterbridge.web.app import create_app
from tests.conftest import NOW
from tests.factories.consortia import make_consortium
from tests.factories.events import add_meeting, add_participant, make_event
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.live import LiveServer

pytestmark = [pytest.mark.integration, pytest.mark.db]


@dataclass
class World:
    alpha: int
    consortium: int
    token: str
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState) -> World:
    """Alice (Alpha Tools, partner of Smart Looms) met Bob (Beta Bits) four weeks ago; Alpha's
    week-2 follow-up is mailed."""
    with app_state.database.unit_of_work() as session:
        alice = make_user(session, email="alice@alpha.example", name="Alice")
        bob = make_user(session, email="bob@beta.example", name="Bob")
        alpha = make_organisation(session, name="Alpha Tools", type=OrgType.SME)
        beta = make_organisation(session, name="Beta Bits", type=None)
        beta.is_sme = False
        add_member(session, alpha, alice)
        add_member(session, beta, bob)
        consortium = make_consortium(session, owner=alice, name="Smart Looms")
        session.add(ConsortiumPartner(consortium=consortium, organisation=alpha, position=1))
        event = make_event(session, organiser=bob)
        a = add_participant(session, event, user=alice, organisation=alpha)
        b = add_participant(session, event, user=bob, organisation=beta)
        add_meeting(session, event, requester=a, recipient=b, starts_at=NOW - timedelta(weeks=4))
        mail = FollowUpMail(
            build_mailer(app_state.settings), "http://testserver", (2, 6), timedelta(days=60)
        )
        send_follow_ups(session, mail, now=NOW, today=NOW.date())
        [message] = pending_mail(session)
        match = re.search(r"/followups/([\w-]+)\?", message.body)
        assert match is not None
        headers = {
            user.name: {"Authorization": f"Bearer {create_api_token(session, user, name='t')[1]}"}
            for user in (alice, bob)
        }
        return World(alpha.id, consortium.id, match.group(1), headers)


def test_a_follow_up_is_answered_once_through_the_api(client: TestClient, world: World) -> None:
    path = f"/api/followups/{world.token}"
    question = client.get(path)
    assert question.status_code == 200
    assert question.json() == {
        "organisation": "Alpha Tools",
        "activity": "your meeting with Beta Bits at Textile meets Tech on 03 November 2024",
        "week": 2,
        "consortia": [{"id": world.consortium, "label": "Smart Looms"}],
        "proposals": [],
        "projects": [],
    }
    wrong = client.post(path, json={"answer": "joint_application", "project_id": 7})
    assert wrong.status_code == 422
    assert "project_id" in wrong.text
    assert "is not a funded project of Alpha Tools" in wrong.text
    done = client.post(
        path, json={"answer": "joint_application", "consortium_id": world.consortium}
    )
    assert done.status_code == 201
    assert (done.json()["type"], done.json()["consortium"]) == ("joint_application", "Smart Looms")
    assert client.post(path, json={"answer": "no_follow_up"}).status_code == 404
    assert client.get(path).status_code == 404

    listed = client.get(
        f"/api/organisations/{world.alpha}/outcomes", headers=world.headers["Alice"]
    )
    assert [(o["type"], o["consortium"]) for o in listed.json()] == [
        ("joint_application", "Smart Looms")
    ]
    stranger = client.get(
        f"/api/organisations/{world.alpha}/outcomes", headers=world.headers["Bob"]
    )
    assert stranger.status_code == 404


@pytest.fixture
def server(app_state: AppState) -> Iterator[LiveServer]:
    with LiveServer(create_app(app_state)) as live:
        yield live


@pytest.mark.slow
def test_three_answers_at_once_record_one_outcome(
    app_state: AppState, world: World, server: LiveServer
) -> None:
    barrier = threading.Barrier(3)
    statuses: list[int] = []

    def answer() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.connect()
        barrier.wait()
        body = json.dumps({"answer": "commercial_agreement"}).encode()
        connection.request(
            "POST", f"/api/followups/{world.token}", body=body,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        statuses.append(connection.getresponse().status)
        connection.close()

    threads = [threading.Thread(target=answer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 404, 404]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Outcome)) == 1
