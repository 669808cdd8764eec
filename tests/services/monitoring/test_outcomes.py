"""The outcome ledger: follow-ups sent once each at the set weeks, answered once by their
link, links limited to the organisation's own, and counts that never count twice (a table of
cases with exact values). SQLite and PostgreSQL."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.models import (
    ConsortiumPartner,
    Event,
    EventParticipant,
    Exchange,
    ExchangePartnership,
    FollowUp,
    Job,
    Meeting,
    Organisation,
    OrganisationMember,
    User,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    ExchangeState,
    JobState,
    MeetingOutcome,
    MeetingStatus,
    OrgType,
    OutcomeType,
    UserRole,
)
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.consortia import partners
from clusterbridge.services.jobs.jobs import submit_job
from clusterbridge.services.jobs.runner import run_job
from clusterbridge.services.jobs.tasks import FOLLOW_UPS
from clusterbridge.services.mail import OUTBOX_KEY, FileMailer, pending_mail
from clusterbridge.services.monitoring import (
    AssessmentNotFoundError,
    FollowUpLinkError,
    FollowUpMail,
    answer_follow_up,
    distinct_smes_with_outcomes,
    open_follow_up,
    organisation_outcomes,
    outcome_counts,
    send_follow_ups,
)
from clusterbridge.services.selection import proposals
from tests.factories.calls import make_call, make_proposal
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.exchanges import make_participant
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

MET = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
WEEK = timedelta(weeks=1)
C = OutcomeType.COMMERCIAL_AGREEMENT
T = OutcomeType.TECHNICAL_COOPERATION
N = OutcomeType.NO_FOLLOW_UP
J = OutcomeType.JOINT_APPLICATION
#: Before the default call's deadline (tests.factories.calls).
SUBMITTED = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def mail(tmp_path: Path) -> FollowUpMail:
    return FollowUpMail(
        mailer=FileMailer(tmp_path, "noreply@example.org"),
        public_url="https://cb.example.org",
        weeks=(2, 6),
        link_lifetime=timedelta(days=60),
    )


@dataclass
class World:
    event: Event
    people: dict[str, User]
    orgs: dict[str, Organisation]
    parts: dict[str, EventParticipant]


@pytest.fixture
def world(session: Session) -> World:
    return make_world(session)


def make_world(session: Session) -> World:
    """An event of four organisations, Alpha, Beta and Gamma (SMEs) and Big (not one), each
    with its user taking part."""
    organiser = make_person(session, email="org@example.org", name="Olga")
    event = make_event(session, organiser=organiser)
    kinds = {"Alpha": OrgType.SME, "Beta": OrgType.SME, "Gamma": OrgType.SME, "Big": None}
    people, orgs, parts = {}, {}, {}
    for name, kind in kinds.items():
        org = make_organisation(session, name=f"{name} Ltd", type=kind)
        org.is_sme = kind is OrgType.SME if name != "Big" else False
        person = make_person(session, email=f"{name.lower()}@example.org", name=name)
        session.add(OrganisationMember(organisation_id=org.id, user_id=person.id))
        people[name], orgs[name] = person, org
        parts[name] = add_participant(session, event, user=person, organisation=org)
    session.flush()
    return World(event, people, orgs, parts)


def meet(session: Session, world: World, a: str, b: str, *, hours: int = 0) -> Meeting:
    return add_meeting(
        session,
        world.event,
        requester=world.parts[a],
        recipient=world.parts[b],
        starts_at=MET + timedelta(hours=hours),
    )


def _tokens(session: Session) -> list[str]:
    """The answer token of each mail waiting for the commit, in the order sent."""
    found = []
    for message in pending_mail(session):
        match = re.search(r"/followups/([\w-]+)\?answer=", message.body)
        assert match is not None
        found.append(match.group(1))
    return found


def tokens(session: Session) -> dict[str, str]:
    """The answer token mailed to each address (the last one if several)."""
    found = {}
    for message in pending_mail(session):
        match = re.search(r"/followups/([\w-]+)\?answer=", message.body)
        assert match is not None
        found[message.to[0]] = match.group(1)
    return found


def test_follow_ups_are_sent_at_the_weeks_once_each(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    meeting = meet(session, world, "Alpha", "Big")
    assert (
        send_follow_ups(
            session,
            mail,
            now=MET + 2 * WEEK - timedelta(minutes=1),
            today=(MET + 2 * WEEK - timedelta(minutes=1)).date(),
        )
        == []
    )
    first = send_follow_ups(session, mail, now=MET + 2 * WEEK, today=(MET + 2 * WEEK).date())
    # The large company is not asked: only the sides not known as non-SMEs.
    assert [(f.meeting_id, f.organisation_id, f.week) for f in first] == [
        (meeting.id, world.orgs["Alpha"].id, 2)
    ]
    assert send_follow_ups(session, mail, now=MET + 3 * WEEK, today=(MET + 3 * WEEK).date()) == []
    second = send_follow_ups(session, mail, now=MET + 6 * WEEK, today=(MET + 6 * WEEK).date())
    assert [f.week for f in second] == [6]
    assert send_follow_ups(session, mail, now=MET + 52 * WEEK, today=(MET + 52 * WEEK).date()) == []
    messages = pending_mail(session)
    assert [m.to for m in messages] == [("alpha@example.org",), ("alpha@example.org",)]
    assert messages[0].subject == "What came of it?"
    assert "your meeting with Big Ltd at Textile meets Tech on 10 March 2026" in messages[0].body
    assert messages[0].body.count("https://cb.example.org/followups/") == len(OutcomeType)


def test_a_follow_up_dates_a_meeting_by_its_events_time_zone(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    meet(session, world, "Alpha", "Beta", hours=14)  # 23:00 UTC on 10 March: the 11th in Brussels

    send_follow_ups(session, mail, now=MET + 3 * WEEK, today=(MET + 3 * WEEK).date())

    bodies = [m.body for m in pending_mail(session)]
    assert len(bodies) == 2
    assert all("your meeting with" in b and "at Textile meets Tech on 11 March 2026." in b
               for b in bodies)  # fmt: skip


def test_a_late_first_run_sends_only_the_latest_week(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    meet(session, world, "Alpha", "Beta")
    sent = send_follow_ups(session, mail, now=MET + 7 * WEEK, today=(MET + 7 * WEEK).date())
    assert sorted((f.organisation_id, f.week) for f in sent) == sorted(
        [(world.orgs["Alpha"].id, 6), (world.orgs["Beta"].id, 6)]
    )


def test_no_show_and_unscheduled_meetings_get_no_follow_up(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    no_show = meet(session, world, "Alpha", "Beta")
    no_show.recipient_outcome = MeetingOutcome.NO_SHOW
    add_meeting(
        session, world.event, requester=world.parts["Alpha"], recipient=world.parts["Gamma"]
    )
    assert send_follow_ups(session, mail, now=MET + 10 * WEEK, today=(MET + 10 * WEEK).date()) == []


def test_an_exchange_is_followed_up_after_its_end(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    exchange = make_exchange(session, world, "Alpha", "Gamma", ExchangeState.REPORTED)
    make_exchange(session, world, "Beta", "Big", ExchangeState.CONFIRMED)
    end = datetime(2026, 5, 15, tzinfo=UTC)
    sent = send_follow_ups(session, mail, now=end + 2 * WEEK, today=(end + 2 * WEEK).date())
    assert sorted((f.exchange_id, f.organisation_id) for f in sent) == sorted(
        [(exchange.id, world.orgs["Alpha"].id), (exchange.id, world.orgs["Gamma"].id)]
    )
    body = pending_mail(session)[0].body
    assert body.split(" One click")[0] == (
        "Hello Alpha,\n\n2 weeks ago: your exchange with Gamma Ltd from 11 May 2026 to "
        "15 May 2026. What came of it for Alpha Ltd?"
    )


#: Half past ten in the evening of 28 May 2026 in UTC: already 29 May in Brussels, two weeks
#: after the last day of ``make_exchange``'s stay (15 May).
LATE_EVENING_UTC = datetime(2026, 5, 28, 22, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "summary"),
    [("Europe/Brussels", "Follow-ups sent: 2."), ("UTC", "Follow-ups sent: 0.")],
)
def test_the_daily_job_follows_an_exchange_up_by_the_sites_calendar(
    clean_database: Database, settings: Settings, time_zone: str, summary: str
) -> None:
    site = settings.model_copy(update={"time_zone": time_zone})
    with clean_database.unit_of_work() as session:
        make_exchange(session, make_world(session), "Alpha", "Gamma", ExchangeState.REPORTED)
        job_id = submit_job(session, None, FOLLOW_UPS, {}, dispatch=lambda _job: None).id

    run_job(clean_database, site, job_id, clock=lambda: LATE_EVENING_UTC, dispatch=lambda _j: None)

    with clean_database.unit_of_work() as session:
        job = session.get(Job, job_id)
        assert job is not None
        assert (job.state, (job.result or {})["summary"]) == (JobState.SUCCEEDED, summary)


def make_exchange(
    session: Session, world: World, visitor: str, host: str, state: ExchangeState
) -> Exchange:
    partnership = ExchangePartnership(name=f"P {visitor}", country="DE")
    session.add(partnership)
    session.flush()
    sides = [
        make_participant(
            session,
            partnership=partnership,
            organisation=world.orgs[name],
            contact=world.people[name],
            role=role,
        )
        for name, role in ((visitor, ExchangeRole.VISITOR), (host, ExchangeRole.HOST))
    ]
    reported = datetime(2026, 5, 20, tzinfo=UTC) if state is ExchangeState.REPORTED else None
    exchange = Exchange(
        visitor_id=sides[0].id,
        host_id=sides[1].id,
        credited_partnership_id=partnership.id,
        state=state,
        start_date=date(2026, 5, 11),
        end_date=date(2026, 5, 15),
        activity_type=ActivityType.NETWORKING,
        working_days=5,
        distance_km=Decimal(500),
        threshold_eur=Decimal(1000),
        lump_sum_eur=Decimal(1000),
        halved=False,
        goals="g",
        objectives="o",
        agenda="a",
        report="done" if reported else "",
        report_submitted_at=reported,
    )
    session.add(exchange)
    session.flush()
    return exchange


def test_the_link_answers_once_and_shows_on_the_outcomes_page(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    meet(session, world, "Alpha", "Beta")
    consortium = make_consortium(session, owner=world.people["Alpha"], name="Smart Textiles")
    session.add(
        ConsortiumPartner(
            consortium_id=consortium.id, organisation_id=world.orgs["Alpha"].id, position=0
        )
    )
    other = make_consortium(session, owner=world.people["Beta"], name="Not theirs")
    session.flush()
    moment = MET + 2 * WEEK
    send_follow_ups(session, mail, now=moment, today=moment.date())
    token = tokens(session)["alpha@example.org"]
    question = open_follow_up(session, token, now=moment)
    assert [c.label for c in question.consortia] == ["Smart Textiles"]
    with pytest.raises(InvalidInputError) as bad:
        answer_follow_up(
            session, token, answer="merger", consortium_id=other.id, note="x" * 2001, now=moment
        )
    assert [(i.field, i.reason) for i in bad.value.issues] == [
        ("answer", "must be one of the answers offered"),
        ("consortium_id", "is not a consortium of Alpha Ltd"),
        ("note", "must be at most 2,000 characters, not 2,001"),
    ]
    outcome = answer_follow_up(
        session, token, answer="joint_application", consortium_id=consortium.id, now=moment
    )
    assert (outcome.type, outcome.consortium_id) == (J, consortium.id)
    with pytest.raises(FollowUpLinkError):
        answer_follow_up(session, token, answer="no_follow_up", now=moment)
    with pytest.raises(FollowUpLinkError):
        open_follow_up(session, "not-a-token", now=moment)
    entries = organisation_outcomes(session, world.people["Alpha"], world.orgs["Alpha"].id)
    assert [(e.label, e.consortium, e.activity) for e in entries] == [
        (
            "A joint application for funding",
            "Smart Textiles",
            "your meeting with Beta Ltd at Textile meets Tech on 10 March 2026",
        )
    ]
    with pytest.raises(AssessmentNotFoundError):
        organisation_outcomes(session, world.people["Beta"], world.orgs["Alpha"].id)


def test_a_link_offers_the_proposals_the_organisation_was_submitted_in(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    meet(session, world, "Alpha", "Beta")
    alpha, person = world.orgs["Alpha"], world.people["Alpha"]
    officer = make_user(session, email="po@example.org", name="Po", role=UserRole.ADMINISTRATOR)
    call = make_call(session, officer=officer, published_at=SUBMITTED)
    sent = make_consortium(session, owner=person, name="Sent", call_id=None, strand=None)
    row = partners.add_registry_partner(session, person, sent.id, alpha.id)
    add_partner(session, sent, name="Turin Cluster", country="IT")
    drafted = make_consortium(session, owner=person, name="Drafted", call_id=None, strand=None)
    partners.add_registry_partner(session, person, drafted.id, alpha.id)
    proposal = make_proposal(session, call=call, applicant=person, consortium=sent, acronym="SENT")
    proposals.submit_proposal(session, person, proposal.id, now=SUBMITTED)
    make_proposal(session, call=call, applicant=person, consortium=sent, acronym="LEFT")
    make_proposal(session, call=call, applicant=person, consortium=drafted, acronym="DRAFT")
    partners.remove_partner(session, person, sent.id, row.id)
    send_follow_ups(session, mail, now=MET + 2 * WEEK, today=(MET + 2 * WEEK).date())

    question = open_follow_up(session, tokens(session)["alpha@example.org"], now=MET + 2 * WEEK)

    assert [c.label for c in question.proposals] == [
        "DRAFT: DRAFT: clusters working together",
        "SENT: SENT: clusters working together",
    ]


def test_an_expired_link_does_not_answer(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    meet(session, world, "Alpha", "Beta")
    send_follow_ups(session, mail, now=MET + 2 * WEEK, today=(MET + 2 * WEEK).date())
    token = tokens(session)["alpha@example.org"]
    with pytest.raises(FollowUpLinkError):
        answer_follow_up(
            session,
            token,
            answer="no_follow_up",
            now=MET + 2 * WEEK + 60 * 24 * 60 * timedelta(minutes=1),
        )


#: (meetings as (a, b), answers as (meeting index, side, week, type)) ->
#: (distinct SMEs with a result, counts of C, T, J, N)
CASES = [
    pytest.param([("Alpha", "Beta")], [], 0, (0, 0, 0, 0), id="nothing answered"),
    pytest.param(
        [("Alpha", "Beta")],
        [(0, "Alpha", 2, C), (0, "Beta", 2, C)],
        2,
        (1, 0, 0, 0),
        id="both sides report one agreement: two SMEs, one agreement",
    ),
    pytest.param(
        [("Alpha", "Beta"), ("Alpha", "Gamma")],
        [(0, "Alpha", 2, C), (1, "Alpha", 2, T)],
        1,
        (1, 1, 0, 0),
        id="one SME supported by two meetings is one SME",
    ),
    pytest.param(
        [("Alpha", "Beta")],
        [(0, "Alpha", 2, N), (0, "Alpha", 6, C)],
        1,
        (1, 0, 0, 1),
        id="nothing at two weeks, an agreement at six: one SME",
    ),
    pytest.param(
        [("Alpha", "Beta")],
        [(0, "Alpha", 2, N), (0, "Beta", 2, N)],
        0,
        (0, 0, 0, 1),
        id="no follow-up is not a result",
    ),
    pytest.param(
        [("Alpha", "Big")],
        [(0, "Alpha", 2, T)],
        1,
        (0, 1, 0, 0),
        id="the large company is not asked nor counted",
    ),
    pytest.param(
        [("Alpha", "Beta"), ("Gamma", "Beta")],
        [(0, "Alpha", 2, J), (0, "Beta", 6, J), (1, "Gamma", 2, J), (1, "Beta", 2, T)],
        3,
        (0, 1, 2, 0),
        id="two meetings, each a joint application: two applications, three SMEs",
    ),
]


@pytest.mark.parametrize(("meetings", "answers", "smes", "counts"), CASES)
def test_nothing_is_double_counted(
    session: Session,
    world: World,
    mail: FollowUpMail,
    meetings: list[tuple[str, str]],
    answers: list[tuple[int, str, int, OutcomeType]],
    smes: int,
    counts: tuple[int, int, int, int],
) -> None:
    made = [meet(session, world, a, b, hours=n) for n, (a, b) in enumerate(meetings)]
    for week in (2, 6):
        moment = MET + week * WEEK + timedelta(days=1)
        session.info.pop(OUTBOX_KEY, None)
        sent = send_follow_ups(session, mail, now=moment, today=moment.date())
        by_side = {(f.meeting_id, f.organisation_id): f for f in sent}
        links = {f.id: token for f, token in zip(sent, _tokens(session), strict=True)}
        for index, side, answer_week, kind in answers:
            if answer_week == week:
                follow_up = by_side[(made[index].id, world.orgs[side].id)]
                answer_follow_up(session, links[follow_up.id], answer=kind.value, now=moment)
    assert distinct_smes_with_outcomes(session) == smes
    got = outcome_counts(session)
    assert (got[C], got[T], got[J], got[N]) == counts
    assert got[OutcomeType.RESEARCH_COOPERATION] == 0
    assert distinct_smes_with_outcomes(session, event_id=world.event.id + 1) == 0


def test_an_activity_called_off_since_is_not_counted_and_its_links_close(
    session: Session, world: World, mail: FollowUpMail
) -> None:
    meeting = meet(session, world, "Alpha", "Beta")
    exchange = make_exchange(session, world, "Gamma", "Alpha", ExchangeState.REPORTED)
    send_follow_ups(
        session,
        mail,
        now=datetime(2026, 6, 1, tzinfo=UTC),
        today=(datetime(2026, 6, 1, tzinfo=UTC)).date(),
    )
    links = {(f.meeting_id, f.exchange_id, f.organisation_id): t for f, t in zip(
        sorted(session.scalars(select(FollowUp)), key=lambda f: f.id), _tokens(session), strict=True
    )}  # fmt: skip
    moment = datetime(2026, 6, 2, tzinfo=UTC)
    alpha, beta, gamma = (world.orgs[name].id for name in ("Alpha", "Beta", "Gamma"))
    answer_follow_up(
        session, links[(meeting.id, None, alpha)], answer="commercial_agreement", now=moment
    )
    answer_follow_up(
        session, links[(None, exchange.id, gamma)], answer="technical_cooperation", now=moment
    )
    assert distinct_smes_with_outcomes(session) == 2
    assert (outcome_counts(session)[C], outcome_counts(session)[T]) == (1, 1)

    meeting.status, meeting.starts_at, meeting.room = MeetingStatus.CANCELLED, None, None
    exchange.state, exchange.cancelled_at = ExchangeState.CANCELLED, moment
    exchange.cancel_reason = "The host closed for works."
    session.flush()
    assert distinct_smes_with_outcomes(session) == 0
    assert (outcome_counts(session)[C], outcome_counts(session)[T]) == (0, 0)
    with pytest.raises(FollowUpLinkError):
        open_follow_up(session, links[(meeting.id, None, beta)], now=moment)
    with pytest.raises(FollowUpLinkError):
        open_follow_up(session, links[(None, exchange.id, alpha)], now=moment)
