"""Races: the same change posted several times at the same moment, against a live server.

Each race runs ROUNDS times on fresh rows. The requests of a round wait at a barrier and then
go together, each on its own connection, to a uvicorn server whose routes run in parallel
threads on the test database (SQLite, or PostgreSQL in the ``db`` leg). After each round the
invariant is read back from the database: one coordinator, one open request per pair, one
answer, one registration, one partner row, one open claim, one member row, one
organisation per PIC, one consortium per builder proposal. No request may
answer 5xx; a loser gets 409 (the database refused it) or 422 (it saw the winner's commit).
"""

import functools
import http.client
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from clusterbridge.api.state import AppState
from clusterbridge.db.models import (
    Consortium,
    ConsortiumInvitation,
    ConsortiumMember,
    ConsortiumPartner,
    EventParticipant,
    Meeting,
    Organisation,
    OrganisationClaim,
    OrganisationMember,
    ProposalConsortium,
    ReadinessQuestion,
    User,
)
from clusterbridge.db.repositories.events import get_event
from clusterbridge.domain.enums import (
    ACTIVE_MEETING_STATES,
    EventStatus,
    JobState,
    MeetingStatus,
    OrgType,
    Role,
    UserRole,
)
from clusterbridge.domain.errors import ConflictError
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.consortia import invitations
from clusterbridge.services.consortia.invitations import InvitationMail, InvitationNotFoundError
from clusterbridge.services.jobs.builder_job import BUILDER_BUILD
from clusterbridge.services.mail import build_mailer
from clusterbridge.services.monitoring import readiness_questions
from clusterbridge.web.app import create_app
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.jobs import make_job
from tests.factories.organisations import add_member, make_organisation
from tests.live import LiveServer
from tests.mailbox import read_mail

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.slow]

ROUNDS = 20
#: What a request that lost a race may answer: the database refused it (409), or it came
#: after the winner's commit and the service's own check refused it (422).
LOST = {409, 422}

Headers = dict[str, str]


@pytest.fixture
def server(app_state: AppState) -> Iterator[LiveServer]:
    with LiveServer(create_app(app_state)) as live:
        yield live


def _race(server: LiveServer, requests: list[tuple[str, str, Headers, Any]]) -> list[int]:
    """Send ``requests`` (method, path, headers, JSON body) at the same moment, each from its
    own thread and connection; their statuses in the same order."""
    return [status for status, _body in _race_answers(server, requests)]


def _race_answers(
    server: LiveServer, requests: list[tuple[str, str, Headers, Any]]
) -> list[tuple[int, bytes]]:
    """``_race``, with each answer's status and body."""
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, bytes]] = [(0, b"")] * len(requests)

    def send(index: int, method: str, path: str, headers: Headers, body: Any) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.connect()
        barrier.wait()
        data = None if body is None else json.dumps(body).encode()
        connection.request(
            method, path, body=data, headers={**headers, "Content-Type": "application/json"}
        )
        response = connection.getresponse()
        answers[index] = (response.status, response.read())
        connection.close()

    threads = [
        threading.Thread(target=send, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _token(session: Any, user: User) -> Headers:
    _row, raw = create_api_token(session, user, name="race")
    return {"Authorization": f"Bearer {raw}"}


def _count(app_state: AppState, statement: sa.Select[Any]) -> int:
    with app_state.database.unit_of_work() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())))


def _assert_one_winner(statuses: list[int], winner: int) -> None:
    counts = Counter(statuses)
    assert counts[winner] == 1, statuses
    assert set(counts) - {winner} <= LOST, statuses


def test_two_coordinators_at_once_leave_one(app_state: AppState, server: LiveServer) -> None:
    with app_state.database.unit_of_work() as session:
        owner = make_person(session, email="owner@example.org", name="Owner")
        headers = _token(session, owner)
        rounds = []
        for number in range(ROUNDS):
            consortium = make_consortium(session, owner=owner, name=f"Race {number}")
            partners = [
                add_partner(session, consortium, name=f"Partner {n}", role=Role.BENEFICIARY)
                for n in range(3)
            ]
            rounds.append((consortium.id, [p.id for p in partners]))

    for consortium_id, partner_ids in rounds:
        paths = [f"/api/consortia/{consortium_id}/partners/{p}" for p in partner_ids]
        body = {"role": "coordinator"}
        statuses = _race(server, [("PATCH", path, headers, body) for path in paths])

        coordinators = sa.select(ConsortiumPartner).where(
            ConsortiumPartner.consortium_id == consortium_id,
            ConsortiumPartner.role == Role.COORDINATOR,
        )
        assert _count(app_state, coordinators) == 1
        _assert_one_winner(statuses, 200)


def _event_with_pairs(app_state: AppState) -> tuple[int, list[tuple[int, int, Headers, Headers]]]:
    """An open event and ROUNDS pairs of validated participants: (ids, tokens) per pair."""
    with app_state.database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@example.org", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        event = make_event(session, organiser=organiser, status=EventStatus.OPEN)
        pairs = []
        for number in range(ROUNDS):
            sides = []
            for side in ("a", "b"):
                user = make_person(
                    session, email=f"{side}{number}@example.org", name=f"{side.upper()}{number}"
                )
                org = make_organisation(session, name=f"Org {side}{number}", type=OrgType.SME)
                participant = add_participant(session, event, user=user, organisation=org)
                sides.append((participant.id, _token(session, user)))
            (a_id, a_headers), (b_id, b_headers) = sides
            pairs.append((a_id, b_id, a_headers, b_headers))
        return event.id, pairs


def _open_meetings(low: int, high: int) -> sa.Select[Any]:
    pair = {low, high}
    return sa.select(Meeting).where(
        Meeting.requester_id.in_(pair),
        Meeting.recipient_id.in_(pair),
        Meeting.status.in_(ACTIVE_MEETING_STATES),
    )


def test_requests_both_ways_at_once_leave_one_open(app_state: AppState, server: LiveServer) -> None:
    event_id, pairs = _event_with_pairs(app_state)

    for a_id, b_id, a_headers, b_headers in pairs:
        path = f"/api/events/{event_id}/meetings"
        statuses = _race(
            server,
            [
                ("POST", path, a_headers, {"recipient_id": b_id, "message": "A to B"}),
                ("POST", path, a_headers, {"recipient_id": b_id, "message": "A to B again"}),
                ("POST", path, b_headers, {"recipient_id": a_id, "message": "B to A"}),
                ("POST", path, b_headers, {"recipient_id": a_id, "message": "B to A again"}),
            ],
        )

        assert _count(app_state, _open_meetings(a_id, b_id)) == 1
        _assert_one_winner(statuses, 201)


def test_accept_decline_accept_at_once_answer_once(
    app_state: AppState, server: LiveServer, data_dir: Path
) -> None:
    event_id, pairs = _event_with_pairs(app_state)
    meetings = []
    with app_state.database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        for a_id, b_id, _a, b_headers in pairs:
            requester = session.get(EventParticipant, a_id)
            recipient = session.get(EventParticipant, b_id)
            assert requester is not None
            assert recipient is not None
            meeting = add_meeting(
                session,
                event,
                requester=requester,
                recipient=recipient,
                status=MeetingStatus.REQUESTED,
            )
            meetings.append((meeting.id, requester.user.email, b_headers))

    for meeting_id, requester_email, b_headers in meetings:
        path = f"/api/events/{event_id}/meetings/{meeting_id}"
        statuses = _race(
            server,
            [
                ("POST", f"{path}/accept", b_headers, None),
                ("POST", f"{path}/decline", b_headers, None),
                ("POST", f"{path}/accept", b_headers, None),
            ],
        )

        with app_state.database.unit_of_work() as session:
            stored = session.get(Meeting, meeting_id)
            assert stored is not None
            status = stored.status
        winner = statuses.index(200)
        assert status == (MeetingStatus.DECLINED if winner == 1 else MeetingStatus.ACCEPTED)
        _assert_one_winner(statuses, 200)
        answers = [m for m in read_mail(data_dir / "mail") if m.to == (requester_email,)]
        assert len(answers) == 1, [m.subject for m in answers]


def _published_with_two_requests(
    app_state: AppState, number: int
) -> tuple[int, Headers, list[int]]:
    """A published event in which A and C each asked B for a meeting: its id, B's headers and
    the two requests."""
    with app_state.database.unit_of_work() as session:
        organiser = make_person(
            session, email=f"olga{number}@example.org", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        event = make_event(session, organiser=organiser, status=EventStatus.PUBLISHED)
        people = []
        for side in ("a", "b", "c"):
            user = make_person(session, email=f"{side}{number}@example.org", name=side.upper())
            org = make_organisation(session, name=f"Org {side}{number}", type=OrgType.SME)
            people.append(add_participant(session, event, user=user, organisation=org))
        a, b, c = people
        requests = [
            add_meeting(session, event, requester=a, recipient=b, status=MeetingStatus.REQUESTED),
            add_meeting(session, event, requester=c, recipient=b, status=MeetingStatus.REQUESTED),
        ]
        return event.id, _token(session, b.user), [m.id for m in requests]


def test_two_accepts_at_once_in_a_published_event_never_share_a_slot(
    app_state: AppState, server: LiveServer
) -> None:
    for number in range(ROUNDS):
        event_id, b_headers, request_ids = _published_with_two_requests(app_state, number)
        paths = [f"/api/events/{event_id}/meetings/{m}/accept" for m in request_ids]

        statuses = _race(server, [("POST", path, b_headers, None) for path in paths])

        with app_state.database.unit_of_work() as session:
            starts = session.scalars(
                sa.select(Meeting.starts_at).where(Meeting.id.in_(request_ids))
            ).all()
        assert statuses == [200, 200]
        assert None not in starts
        assert len(set(starts)) == 2, starts


def test_registering_twice_at_once_registers_once(app_state: AppState, server: LiveServer) -> None:
    with app_state.database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@example.org", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        event_id = make_event(session, organiser=organiser, status=EventStatus.OPEN).id
        people = []
        for number in range(ROUNDS):
            user = make_person(session, email=f"p{number}@example.org", name=f"P{number}")
            org = make_organisation(session, name=f"Org {number}", type=OrgType.SME)
            add_member(session, org, user)
            people.append((user.id, org.id, _token(session, user)))

    for user_id, organisation_id, headers in people:
        body = {"organisation_id": organisation_id, "offers": "", "needs": ""}
        statuses = _race(
            server, [("POST", f"/api/events/{event_id}/participants", headers, body)] * 3
        )

        registrations = sa.select(EventParticipant).where(
            EventParticipant.event_id == event_id, EventParticipant.user_id == user_id
        )
        assert _count(app_state, registrations) == 1
        # Registering again updates the registration: a request after the winner's commit
        # succeeds too; one that collided with it is told.
        assert 201 in statuses, statuses
        assert set(statuses) <= {201, 409}, statuses


def test_one_organisation_added_twice_at_once_is_one_partner(
    app_state: AppState, server: LiveServer
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = make_person(session, email="owner@example.org", name="Owner")
        headers = _token(session, owner)
        organisation_id = make_organisation(session, name="Weaver SA", type=OrgType.SME).id
        consortia_ids = [
            make_consortium(session, owner=owner, name=f"Race {n}").id for n in range(ROUNDS)
        ]

    for consortium_id in consortia_ids:
        body = {"organisation_id": organisation_id, "role": "beneficiary"}
        statuses = _race(
            server, [("POST", f"/api/consortia/{consortium_id}/partners", headers, body)] * 3
        )

        rows = sa.select(ConsortiumPartner).where(
            ConsortiumPartner.consortium_id == consortium_id,
            ConsortiumPartner.organisation_id == organisation_id,
        )
        assert _count(app_state, rows) == 1
        _assert_one_winner(statuses, 201)


def test_the_first_views_of_a_readiness_at_once_copy_the_questions_once(
    app_state: AppState, server: LiveServer
) -> None:
    """The first view copies the shipped questions; views at the same moment all answer 200
    with the one copy (none of them fails on the copy another view made)."""
    with app_state.database.unit_of_work() as session:
        manager = make_person(session, email="maria@example.org", name="Maria")
        headers = _token(session, manager)
        clusters = []
        for number in range(ROUNDS):
            cluster = make_organisation(
                session, name=f"Cluster {number}", type=OrgType.CLUSTER_ORGANISATION
            )
            session.add(OrganisationMember(organisation_id=cluster.id, user_id=manager.id))
            clusters.append(cluster.id)

    for cluster_id in clusters:
        path = f"/api/organisations/{cluster_id}/readiness"
        statuses = _race(server, [("GET", path, headers, None)] * 3)

        rows = sa.select(ReadinessQuestion).where(ReadinessQuestion.organisation_id == cluster_id)
        assert _count(app_state, rows) == len(readiness_questions()[1])
        assert statuses == [200, 200, 200]


def test_one_claim_posted_twice_at_once_is_one_claim(
    app_state: AppState, server: LiveServer
) -> None:
    with app_state.database.unit_of_work() as session:
        claimant = make_person(session, email="clara@example.org", name="Clara")
        headers = _token(session, claimant)
        claimant_id = claimant.id
        organisation_ids = [
            make_organisation(session, name=f"Org {n}", type=OrgType.SME).id for n in range(ROUNDS)
        ]

    for organisation_id in organisation_ids:
        body = {"message": "I run its office."}
        statuses = _race(
            server, [("POST", f"/api/organisations/{organisation_id}/claims", headers, body)] * 3
        )

        claims = sa.select(OrganisationClaim).where(
            OrganisationClaim.organisation_id == organisation_id,
            OrganisationClaim.requester_id == claimant_id,
        )
        assert _count(app_state, claims) == 1
        _assert_one_winner(statuses, 201)


def test_one_pic_registered_twice_at_once_is_one_organisation(
    app_state: AppState, server: LiveServer
) -> None:
    with app_state.database.unit_of_work() as session:
        headers = _token(session, make_person(session, email="rita@example.org", name="Rita"))

    for number in range(ROUNDS):
        pic = f"{900000000 + number}"
        bodies = [{"name": f"Weaver {n}", "country": "BE", "pic": pic} for n in range(3)]
        statuses = _race(server, [("POST", "/api/organisations", headers, b) for b in bodies])

        assert _count(app_state, sa.select(Organisation).where(Organisation.pic == pic)) == 1
        _assert_one_winner(statuses, 201)


def _invite_in_own_session(
    app_state: AppState,
    owner_id: int,
    consortium_id: int,
    barrier: threading.Barrier,
    outcomes: list[str],
) -> None:
    """Invite the same address as the other threads, in a unit of work of this thread's own;
    the outcome goes to ``outcomes``."""
    mail = InvitationMail(build_mailer(app_state.settings), app_state.settings.public_url)
    try:
        with app_state.database.unit_of_work() as session:
            owner = session.get(User, owner_id)
            assert owner is not None
            barrier.wait()
            invitations.invite_member(
                session, owner, consortium_id, email="mia@example.org", can_edit=False, mail=mail
            )
    except ConflictError as error:
        outcomes.append(f"conflict: {error}")
    else:
        outcomes.append("invited")


def _accept_in_own_session(
    app_state: AppState,
    user_id: int,
    invitation_id: int,
    barrier: threading.Barrier,
    outcomes: list[str],
) -> None:
    """Accept the invitation as the other threads do, in a unit of work of this thread's own."""
    try:
        with app_state.database.unit_of_work() as session:
            user = session.get(User, user_id)
            assert user is not None
            barrier.wait()
            invitations.accept_invitation(session, user, invitation_id)
    except (ConflictError, InvitationNotFoundError) as error:
        outcomes.append(f"{type(error).__name__}: {error}")
    else:
        outcomes.append("accepted")


def test_one_address_invited_three_times_at_once_is_one_invitation(app_state: AppState) -> None:
    with app_state.database.unit_of_work() as session:
        owner = make_person(session, email="owner@example.org", name="Owner")
        owner_id = owner.id
        consortia_ids = [
            make_consortium(session, owner=owner, name=f"Race {n}").id for n in range(ROUNDS)
        ]

    for consortium_id in consortia_ids:
        barrier = threading.Barrier(3)
        outcomes: list[str] = []
        invite = functools.partial(
            _invite_in_own_session, app_state, owner_id, consortium_id, barrier, outcomes
        )

        _run_together([invite] * 3)

        invited = sa.select(ConsortiumInvitation).where(
            ConsortiumInvitation.consortium_id == consortium_id,
            ConsortiumInvitation.email == "mia@example.org",
        )
        assert _count(app_state, invited) == 1
        assert "invited" in outcomes
        assert set(outcomes) <= {
            "invited",
            "conflict: This address is already invited to the consortium",
        }


def test_one_invitation_accepted_three_times_at_once_is_one_member(app_state: AppState) -> None:
    with app_state.database.unit_of_work() as session:
        owner = make_person(session, email="owner@example.org", name="Owner")
        member_id = make_person(session, email="mia@example.org", name="Mia").id
        rounds = []
        for n in range(ROUNDS):
            consortium = make_consortium(session, owner=owner, name=f"Race {n}")
            invitation = ConsortiumInvitation(
                consortium_id=consortium.id, email="mia@example.org", can_edit=False
            )
            session.add(invitation)
            session.flush()
            rounds.append((consortium.id, invitation.id))

    for consortium_id, invitation_id in rounds:
        barrier = threading.Barrier(3)
        outcomes: list[str] = []
        accept = functools.partial(
            _accept_in_own_session, app_state, member_id, invitation_id, barrier, outcomes
        )

        _run_together([accept] * 3)

        members = sa.select(ConsortiumMember).where(
            ConsortiumMember.consortium_id == consortium_id,
            ConsortiumMember.user_id == member_id,
        )
        assert _count(app_state, members) == 1
        assert "accepted" in outcomes
        member_twice = "ConflictError: This person is already a member of the consortium"
        assert all(
            outcome in ("accepted", member_twice) or outcome.startswith("InvitationNotFoundError")
            for outcome in outcomes
        ), outcomes


def _run_together(functions: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=function) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _finished_builds(app_state: AppState) -> tuple[Headers, list[int]]:
    """A token and ROUNDS finished builds of its user, each of one proposal (two registry
    clusters for SMP-COSME-2024-CLUSTER strand 1, 24 months)."""
    with app_state.database.unit_of_work() as session:
        owner = make_person(session, email="bea@example.org", name="Bea")
        organisations = [
            make_organisation(session, name="Podkarpackie Hydrogen Cluster", country="PL", nuts="PL823"),
            make_organisation(session, name="Bavaria Hydrogen Cluster"),
        ]  # fmt: skip
        answer = {
            "mode": "build", "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1",
            "proposals": [{"number": 1, "added": [{"organisation_id": o.id} for o in organisations]}],
        }  # fmt: skip
        result = {"answer": answer, "request": {"duration_months": 24}}
        jobs = [
            make_job(
                session,
                owner=owner,
                kind=BUILDER_BUILD,
                arguments={},
                state=JobState.SUCCEEDED,
                result=result,
            )
            for _ in range(ROUNDS)
        ]
        return _token(session, owner), [job.id for job in jobs]


def test_one_proposal_made_a_consortium_twice_at_once_is_one_consortium(
    app_state: AppState, server: LiveServer
) -> None:
    headers, job_ids = _finished_builds(app_state)

    for job_id in job_ids:
        path = f"/api/builder/jobs/{job_id}/proposals/1/consortium"
        answers = _race_answers(server, [("POST", path, headers, {"name": "Hydrogen"})] * 2)

        assert sorted(status for status, _body in answers) == [200, 201], answers
        made = {json.loads(body)["id"] for _status, body in answers}
        records = sa.select(ProposalConsortium).where(ProposalConsortium.job_id == job_id)
        assert len(made) == 1
        assert _count(app_state, records) == 1
    assert _count(app_state, sa.select(Consortium)) == ROUNDS
