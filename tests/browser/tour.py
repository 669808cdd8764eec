"""Every page of the web app, with data to show: the tour that the page checks (no sideways
scroll, no serious accessibility violation) and the screenshots walk through.

``seed_tour`` fills a migrated database; ``tour_pages`` lists each page with the person who
opens it (nobody, the organiser Olga, or the participant Bob).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    CascadePayment,
    Consortium,
    ConsortiumPartner,
    EvaluationPanel,
    EventParticipant,
    Exchange,
    ExchangeRequest,
    FollowUp,
    Meeting,
    Organisation,
    Proposal,
    ProposalDecision,
    User,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.analysis import FindingKind
from clusterbridge.domain.assessment import ClusterDimension, LabelLevel
from clusterbridge.domain.enums import (
    ActivityType,
    EventStatus,
    ExchangeRole,
    JobState,
    MeetingStatus,
    OrgType,
    ProposalOutcome,
    ProposalState,
    RequestState,
    Role,
    SmeProfile,
    UserRole,
)
from clusterbridge.domain.indicators import IndicatorSource
from clusterbridge.domain.monitoring import ProjectKind
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit
from clusterbridge.services import monitoring
from clusterbridge.services.accounts.links import link_digest
from clusterbridge.services.exchanges.enrolment import create_partnership
from clusterbridge.services.monitoring import analysis
from clusterbridge.services.selection import assignment as assigning
from clusterbridge.services.selection import evaluation, outcome
from clusterbridge.services.selection.proposals import submit_proposal
from clusterbridge.services.uploads import Upload
from tests.conftest import NOW
from tests.factories.calls import call_draft, cascade_draft, make_call, make_proposal
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.evaluation import CLOSES_AT, make_expert
from tests.factories.evaluation import make_call as make_evaluated_call
from tests.factories.evaluation import make_proposal as make_evaluated_proposal
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.exchanges import make_participant
from tests.factories.jobs import make_job
from tests.factories.organisations import add_member, make_organisation

ORGANISER = "olga@events.example"
ADMINISTRATOR = "ada@admin.example"
PARTICIPANT = "bob@sensors.example"
OFFICER = "otto@programme.example"
ANONYMOUS = ""


@dataclass(frozen=True)
class TourPage:
    """A page of the tour: its name, path and who opens it (an e-mail, or ``ANONYMOUS``)."""

    name: str
    path: str
    who: str


@dataclass(frozen=True)
class TourData:
    """The ids of what ``seed_tour`` made."""

    organisation: int
    consortium: int
    open_event: int
    published_event: int
    meeting: int
    partnership: int
    participant: int
    proposal: int
    draft_proposal: int
    evaluated_call: int
    evaluated_proposal: int
    exchange: int
    sme: int
    cascade_call: int
    cascade_proposal: int
    project: int
    delivery: int
    project_report: int
    job: int
    failed_job: int


def seed_tour(database: Database) -> TourData:
    """Olga organises an open and a published event, owns a consortium of three partners and
    runs an exchange partnership that Ada, the administrator, created, where Munich visits
    and Weaver hosts (both validated, Munich asked Weaver, and their exchange waits for its
    approvals) and Weaver accepted Sensors' request; Bob (Sensors Oy) has a
    scheduled meeting with Carl (Weaver Textiles SA) in the published one, whose follow-up
    Bob answered (Carl's is open)."""
    with database.unit_of_work() as session:
        ada = make_person(
            session, email=ADMINISTRATOR, name="Ada Admin", role=UserRole.ADMINISTRATOR
        )
        olga = make_person(
            session, email=ORGANISER, name="Olga Organiser", role=UserRole.EVENT_ORGANISER
        )
        bob = make_person(session, email=PARTICIPANT, name="Bob Sensor")
        carl = make_person(session, email="carl@weaver.example", name="Carl Weaver")
        munich = make_organisation(session, name="Munich Aerospace Cluster", pic="900000001")
        munich.description = "Aerospace and drones cluster of Bavaria"
        add_member(session, munich, olga)
        sensors = make_organisation(
            session, name="Sensors Oy", country="FI", nuts="FI1B1", type=OrgType.SME
        )
        weaver = make_organisation(
            session, name="Weaver Textiles SA", country="PT", nuts=None, type=OrgType.SME
        )
        consortium = make_consortium(session, owner=olga, name="Aerospace Eurocluster")
        add_partner(
            session, consortium, name="Rzeszow Aviation Valley Cluster", role=Role.COORDINATOR
        )
        add_partner(session, consortium, name="Barcelona Mobility Cluster", country="ES")
        add_partner(
            session, consortium, name="Tampere Sensors Association", country="FI", role=None
        )
        # A partner from the registry: its values show as "Registry: ...".
        consortium.partners.append(
            ConsortiumPartner(position=4, role=Role.BENEFICIARY, organisation=munich)
        )
        session.flush()
        open_event = make_event(session, organiser=olga, name="Textile meets Tech")
        published = make_event(
            session, organiser=olga, name="Drones in Agriculture", status=EventStatus.PUBLISHED
        )
        bobs = add_participant(
            session, published, user=bob, organisation=sensors, offers="Industrial sensors"
        )
        carls = add_participant(
            session, published, user=carl, organisation=weaver, offers="Technical textiles"
        )
        meeting = add_meeting(
            session,
            published,
            requester=bobs,
            recipient=carls,
            status=MeetingStatus.ACCEPTED,
            starts_at=datetime(2025, 3, 10, 8, 20, tzinfo=UTC),
        )
        partnership = create_partnership(
            session, ada, name="Alpine ClusterXchange", country="AT", members=[olga]
        )
        visitor = make_participant(
            session,
            partnership=partnership,
            organisation=munich,
            contact=olga,
            role=ExchangeRole.VISITOR,
            countries=("PT",),
            sectors=("Textiles",),
        )
        host = make_participant(
            session,
            partnership=partnership,
            organisation=weaver,
            contact=carl,
            role=ExchangeRole.HOST,
            activities=(ActivityType.NETWORKING, ActivityType.MARKET_RESEARCH),
            sectors=("textiles",),
            capacity=2,
        )
        second = make_participant(
            session, partnership=partnership, organisation=sensors, contact=bob,
            role=ExchangeRole.VISITOR,
        )  # fmt: skip
        session.add_all(
            [
                ExchangeRequest(
                    visitor=visitor, host=host, message="May we see your looms?", is_open=True
                ),
                ExchangeRequest(
                    visitor=second, host=host, message="May we test our sensors?",
                    state=RequestState.ACCEPTED, is_open=None, answer="Yes, in May.",
                    answered_at=datetime(2025, 2, 3, 9, tzinfo=UTC),
                ),
            ]
        )  # fmt: skip
        exchange = _exchange(visitor.id, host.id, partnership.id)
        session.add(exchange)
        session.flush()
        proposal, draft_proposal = _seed_calls(session, ada, olga, consortium)
        evaluated_call, evaluated_proposal = _seed_evaluation(
            session, olga, munich, sensors, weaver, bob, carl
        )
        _seed_assessments(session, munich, sensors, olga=olga, bob=bob)
        cascade_call, cascade_proposal = _seed_cascade(session, ada, bob, sensors)
        _seed_outcomes(session, meeting, bobs, carls)
        project = _seed_project(session, olga, munich, sensors)
        delivery = _seed_services(session, project, (olga, bob), (munich, sensors, weaver))
        report = _seed_indicators(
            session, (olga, ada), project, links=(published.id, partnership.id, cascade_call)
        )
        job, failed_job = _seed_jobs(session, olga, open_event.id)
        return TourData(
            munich.id,
            consortium.id,
            open_event.id,
            published.id,
            meeting.id,
            partnership.id,
            visitor.id,
            proposal,
            draft_proposal,
            evaluated_call,
            evaluated_proposal,
            exchange.id,
            sensors.id,
            cascade_call,
            cascade_proposal,
            project,
            delivery,
            report,
            job,
            failed_job,
        )


def _seed_jobs(session: Session, olga: User, event_id: int) -> tuple[int, int]:
    """Olga's schedule solve that succeeded, and one that failed (the event changed)."""
    done = make_job(
        session,
        owner=olga,
        state=JobState.SUCCEEDED,
        attempts=1,
        result={
            "summary": "2 of 2 accepted meetings placed, 0 breaks in total (optimal, 0.1 s).",
            "link": f"/events/{event_id}/manage",
        },
    )
    failed = make_job(
        session,
        owner=olga,
        state=JobState.FAILED,
        attempts=1,
        error="The event changed while the schedule was computed: schedule again",
    )
    return done.id, failed.id


def _seed_calls(session: Session, ada: User, olga: User, consortium: Consortium) -> tuple[int, int]:
    """Ada's published call (``TEST-OPEN-2025``) and draft (``TOUR-DRAFT``), and Olga's two
    proposals to the published one: one submitted (with a document and its frozen
    eligibility), one a draft."""
    call = make_call(session, officer=ada, published_at=datetime(2024, 11, 1, tzinfo=UTC))
    make_call(session, officer=ada, draft=call_draft(identifier="TOUR-DRAFT", deadline=None))
    proposal = make_proposal(session, call=call, applicant=olga, consortium=consortium)
    submit_proposal(session, olga, proposal.id, now=datetime(2024, 11, 20, tzinfo=UTC))
    draft = make_proposal(
        session, call=call, applicant=olga, consortium=consortium, acronym="SKYLINK"
    )
    return proposal.id, draft.id


#: When the evaluated call of the tour was assigned, evaluated and ranked: after its deadline.
EVALUATED = CLOSES_AT + timedelta(days=30)


def _seed_evaluation(
    session: Session,
    applicant: User,
    munich: Organisation,
    sensors: Organisation,
    weaver: Organisation,
    bob: User,
    carl: User,
) -> tuple[int, int]:
    """Otto, the programme officer, ran the evaluation of a call: Olga's AEROLINK was
    evaluated by Bob (its rapporteur) and Carl and ranked; LATECOMER is not eligible."""
    otto = make_person(session, email=OFFICER, name="Otto Officer", role=UserRole.PROGRAMME_OFFICER)
    call = make_evaluated_call(session)
    proposal = make_evaluated_proposal(
        session, call=call, applicant=applicant, acronym="AEROLINK", members=(munich,),
        summary="Drones and sensors for aerospace clusters",
    )  # fmt: skip
    make_evaluated_proposal(
        session, call=call, applicant=applicant, acronym="LATECOMER", eligible=False
    )
    make_expert(session, user=bob, organisation=sensors, expertise="Industrial sensors, drones")
    make_expert(session, user=carl, organisation=weaver, expertise="Technical textiles")
    panel = assigning.assign_experts(
        session, otto, call.id, per_proposal=2, max_load=1, now=EVALUATED, today=EVALUATED.date()
    )
    report = evaluation.Scored(
        {"relevance": "25", "impact": "55"},
        {"relevance": "Fits the call's aims.", "impact": "A credible plan for SMEs."},
    )
    for assignment in panel.assignments:
        evaluation.submit_report(
            session,
            assignment.expert.user,
            proposal.id,
            report,
            now=EVALUATED,
            today=EVALUATED.date(),
        )
    bobs = next(a for a in panel.assignments if a.expert.user_id == bob.id)
    evaluation.choose_rapporteur(session, otto, proposal.id, bobs.id, today=EVALUATED.date())
    evaluation.submit_consensus(
        session, bob, proposal.id, report, now=EVALUATED, today=EVALUATED.date()
    )
    outcome.rank_call(session, otto, call.id, now=EVALUATED)
    return call.id, proposal.id


def _seed_cascade(session: Session, ada: User, bob: User, sensors: Organisation) -> tuple[int, int]:
    """Ada's cascade call ``SME-OPEN-2025`` (at most EUR 60,000 per SME): Bob applied for
    Sensors Oy (an SME), was selected and received a first payment."""
    sensors.is_sme = True
    call = make_call(session, officer=ada, draft=cascade_draft(), published_at=NOW)
    proposal = Proposal(
        call=call, applicant=bob, organisation=sensors, acronym="SENSEPILOT",
        title="Sensor retrofit pilot", summary="Retrofitting looms with sensors.",
        requested_grant=Decimal(40_000), duration_months=9, state=ProposalState.SUBMITTED,
        submitted_at=NOW, eligibility={"verdict": "eligible"}, eligible=True, documents=[],
    )  # fmt: skip
    session.add(proposal)
    session.flush()
    session.add_all([
        EvaluationPanel(call_id=call.id, ranked_at=NOW, published_at=NOW),
        ProposalDecision(proposal_id=proposal.id, outcome=ProposalOutcome.SELECTED,
                         reason="ranked 1, within the budget", rank=1, taken_order=1),
        CascadePayment(proposal_id=proposal.id, call_id=call.id, amount=Decimal(20_000),
                       paid_on=date(2025, 6, 2), reference="SEPA-2025-0601", recorded_by=ada),
    ])  # fmt: skip
    session.flush()
    return call.id, proposal.id


def _exchange(visitor: int, host: int, partnership: int) -> Exchange:
    """A week's exchange waiting for its four approvals (the figures of a Lisbon stay)."""
    return Exchange(
        visitor_id=visitor, host_id=host, credited_partnership_id=partnership,
        start_date=date(2025, 5, 5), end_date=date(2025, 5, 9),
        activity_type=ActivityType.NETWORKING, working_days=5, distance_km=Decimal("1747.3"),
        threshold_eur=Decimal(780), lump_sum_eur=Decimal(780), halved=False,
        reasons=["5 working days: paid in full.", "Threshold for PT: EUR 780, paid in full."],
        goals="See how looms are wired with sensors.", objectives="One joint pilot.",
        agenda="Monday to Friday at the looms.",
    )  # fmt: skip


def _seed_assessments(
    session: Session, cluster: Organisation, sme: Organisation, *, olga: User, bob: User
) -> None:
    """Munich's readiness with a few answers, an improvement area and a Bronze label; two
    digital maturity assessments of Sensors Oy, whose member Bob is."""
    now = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)
    questions = monitoring.get_readiness(session, olga, cluster.id).questions
    for question, level in zip(questions[:5], (4, 3, 2, 3, 1), strict=True):
        monitoring.answer_question(session, olga, question.id, level=level, now=now)
    monitoring.add_improvement(
        session, olga, cluster.id, dimension=ClusterDimension.FINANCING,
        title="A financing plan for 2026-2028", due=date(2025, 9, 30), today=now.date(),
    )  # fmt: skip
    monitoring.add_label(
        session, olga, cluster.id, level=LabelLevel.BRONZE, awarded=date(2024, 5, 1), expires=None,
        today=now.date(),
    )  # fmt: skip
    add_member(session, sme, bob)
    keys = [q.key for q in monitoring.maturity_rules().questions]
    for day, level in ((datetime(2024, 6, 1, tzinfo=UTC), 1), (now, 3)):
        monitoring.take_assessment(
            session, bob, sme.id, dict.fromkeys(keys, level), now=day, today=day.date()
        )


#: The token of Carl's unanswered follow-up link (a fixed one, so that the tour lists it).
OPEN_FOLLOW_UP = "tour-open-follow-up-link"


def _seed_outcomes(
    session: Session, meeting: Meeting, bobs: EventParticipant, carls: EventParticipant
) -> None:
    """The week-2 follow-ups of Bob and Carl's meeting: Bob answered a technical cooperation
    (it shows on Sensors Oy's outcomes page), Carl's link is still open."""
    sent = datetime(2025, 3, 24, 9, 0, tzinfo=UTC)
    for participant, token in ((bobs, "tour-answered-link"), (carls, OPEN_FOLLOW_UP)):
        session.add(
            FollowUp(
                meeting_id=meeting.id, organisation_id=participant.organisation_id,
                recipient_id=participant.user_id, week=2, token_hash=link_digest(token),
                sent_at=sent, expires_at=datetime(2030, 1, 1, tzinfo=UTC),
            )
        )  # fmt: skip
    session.flush()
    monitoring.answer_follow_up(
        session, "tour-answered-link", answer="technical_cooperation",
        note="A pilot of sensors woven into technical textiles.", now=sent,
    )  # fmt: skip


def _seed_project(session: Session, olga: User, munich: Organisation, sensors: Organisation) -> int:
    """Munich coordinates a Eurocluster, Sensors Oy is its partner."""
    project = monitoring.create_project(
        session, olga, monitoring.ProjectDraft(
            name="Aerospace Eurocluster for SMEs", acronym="AEROSME",
            kind=ProjectKind.EUROCLUSTER, start_date=date(2024, 7, 1),
            end_date=date(2027, 6, 30), period_months=12, coordinator_id=munich.id,
        ),
    )  # fmt: skip
    monitoring.add_partner(session, olga, project.id, sensors.id)
    _seed_analysis(session, olga, project.id, munich)
    return project.id


def _seed_services(
    session: Session,
    project: int,
    people: tuple[User, User],
    organisations: tuple[Organisation, Organisation, Organisation],
) -> int:
    """AEROSME's catalogue (a drone audit in hours, a course in days); a course session that
    Sensors Oy (3 people) and Carl of Weaver took, which Bob rated 4, and an audit of
    Sensors Oy. Returns the course session's id."""
    (olga, bob), (munich_org, sensors_org, weaver) = people, organisations
    munich, sensors = munich_org.id, sensors_org.id
    audit = monitoring.create_service(
        session, olga, project, monitoring.ServiceDraft(
            "Drone inspection audit", ServiceKind.TECHNICAL_ASSISTANCE, ServiceUnit.HOURS,
            "An engineer checks an SME's drone fleet and its maintenance.",
        ),
    )  # fmt: skip
    course = monitoring.create_service(
        session, olga, project,
        monitoring.ServiceDraft("Drone pilot course", ServiceKind.TRAINING, ServiceUnit.DAYS),
    )  # fmt: skip
    session_ = monitoring.record_delivery(
        session, olga, project, monitoring.DeliveryDraft(
            service_id=course.id, delivered_on=date(2025, 2, 10), quantity=Decimal(2),
            delivered_by_id=munich, delivered_by_person="Olga Organiser",
            follow_up="An advanced module in the autumn",
            participants=(monitoring.ParticipantDraft(sensors, 3),
                          monitoring.ParticipantDraft(weaver.id, 1, "Carl Weaver")),
        ),
    )  # fmt: skip
    monitoring.record_delivery(
        session, olga, project, monitoring.DeliveryDraft(
            service_id=audit.id, delivered_on=date(2025, 3, 3), quantity=Decimal("3.5"),
            delivered_by_id=munich, organisation_id=sensors,
        ),
    )  # fmt: skip
    monitoring.rate_delivery(
        session, bob, session_.id, organisation_id=sensors, score=4,
        comment="Our pilots fly the new routes now.", now=NOW,
    )  # fmt: skip
    return session_.id


def _seed_analysis(session: Session, olga: User, project_id: int, munich: Organisation) -> None:
    """An opportunity citing Munich's readiness, a threat, and a recommendation on both."""
    opportunity = analysis.create_finding(
        session, olga, project_id, analysis.FindingDraft(
            kind=FindingKind.OPPORTUNITY, title="Shared robotics pilots",
            text="Traditional suppliers try cobots in a tech-savvy partner's line first.",
            technologies=("ati-robotics",), ecosystems=("aerospace-defence",),
            sme_profile=SmeProfile.TRADITIONAL,
        ),
    )  # fmt: skip
    threat = analysis.create_finding(
        session, olga, project_id, analysis.FindingDraft(
            kind=FindingKind.THREAT, title="Certification costs",
            text="Qualifying a new process for flight parts costs more than a small firm earns.",
        ),
    )  # fmt: skip
    analysis.link_evidence(
        session, olga, project_id, opportunity.id, kind="readiness", ref_id=munich.id,
        today=date(2025, 2, 1),
    )  # fmt: skip
    analysis.create_recommendation(
        session, olga, project_id, analysis.RecommendationDraft(
            "regional", "Co-fund shared test lines open to traditional SMEs.",
            (opportunity.id, threat.id),
        ),
    )  # fmt: skip


def _seed_indicators(
    session: Session, people: tuple[User, User], project: int, *, links: tuple[int, int, int]
) -> int:
    """The project counts the published event, the partnership and the cascade call (linked by
    Ada, the administrator: Olga does not run it); it has a computed indicator by country, the
    results of meetings, and a manual one with evidence; period 1's report is frozen. Returns
    the report's id."""
    olga, ada = people
    for kind, target in zip(monitoring.LinkKind, links, strict=True):
        linker = ada if kind is monitoring.LinkKind.CALL else olga
        monitoring.link_activity(session, linker, project, kind, target)
    for name, source in (("SMEs by country", "smes_by_country"), ("Results", "outcomes")):
        monitoring.create_indicator(
            session, olga, project, monitoring.IndicatorDraft(
                name=name, unit="SMEs", source=IndicatorSource(source), target=Decimal(10),
                targets={1: Decimal(3), 2: Decimal(4), 3: Decimal(3)},
            ),
        )  # fmt: skip
    manual = monitoring.create_indicator(
        session, olga, project,
        monitoring.IndicatorDraft(name="Webinars", unit="webinars", targets={1: Decimal(2)}),
    )  # fmt: skip
    monitoring.record_value(
        session, olga, manual.id, period=1, value=Decimal(3), note="Three webinars",
        uploads=[Upload("attendance.pdf", "application/pdf", b"%PDF-1.4 tour")], now=NOW, today=NOW.date(),
    )  # fmt: skip
    return monitoring.issue_report(session, olga, project, 1, now=NOW, today=NOW.date()).id


def tour_pages(data: TourData) -> list[TourPage]:
    """Every page a person reaches by links, in the order of the main flows."""
    consortium = f"/consortia/{data.consortium}"
    event, published = f"/events/{data.open_event}", f"/events/{data.published_event}"
    return [
        TourPage("home", "/", ANONYMOUS),
        TourPage("calls", "/calls", ANONYMOUS),
        TourPage("call", "/calls/SMP-COSME-2024-CLUSTER", ANONYMOUS),
        TourPage("call-no-deadline", "/calls/cluster-excellence", ANONYMOUS),
        TourPage("calls-officer", "/calls", ADMINISTRATOR),
        TourPage("call-new", "/calls/new", ADMINISTRATOR),
        TourPage("call-edit", "/calls/TOUR-DRAFT/edit", ADMINISTRATOR),
        TourPage("call-rules", "/calls/TOUR-DRAFT/rules", ADMINISTRATOR),
        TourPage("call-authored", "/calls/TEST-OPEN-2025", ORGANISER),
        TourPage("call-proposals", "/calls/TEST-OPEN-2025/proposals", ADMINISTRATOR),
        TourPage("proposal-new", "/calls/TEST-OPEN-2025/proposals/new", ORGANISER),
        TourPage("proposal", f"/proposals/{data.proposal}", ORGANISER),
        TourPage("proposal-draft", f"/proposals/{data.draft_proposal}", ORGANISER),
        TourPage("proposal-edit", f"/proposals/{data.draft_proposal}/edit", ORGANISER),
        TourPage("my-proposals", "/proposals", ORGANISER),
        TourPage("cascade-proposal-new", "/calls/SME-OPEN-2025/proposals/new", PARTICIPANT),
        TourPage("cascade-proposal", f"/proposals/{data.cascade_proposal}", PARTICIPANT),
        TourPage("registry", "/organisations?q=cluster", ANONYMOUS),
        TourPage("organisation", f"/organisations/{data.organisation}", ORGANISER),
        TourPage("organisation-edit", f"/organisations/{data.organisation}/edit", ORGANISER),
        TourPage("organisation-new", "/organisations/new", ORGANISER),
        TourPage("readiness", f"/organisations/{data.organisation}/readiness", ORGANISER),
        TourPage("digital-maturity", f"/organisations/{data.sme}/digital-maturity", PARTICIPANT),
        TourPage("outcomes", f"/organisations/{data.sme}/outcomes", PARTICIPANT),
        TourPage(
            "follow-up", f"/followups/{OPEN_FOLLOW_UP}?answer=commercial_agreement", ANONYMOUS
        ),
        TourPage("follow-up-answered", "/followups-answered", ANONYMOUS),
        TourPage("projects", "/projects", ORGANISER),
        TourPage("project", f"/projects/{data.project}", ORGANISER),
        TourPage("project-edit", f"/projects/{data.project}/edit", ORGANISER),
        TourPage("project-services", f"/projects/{data.project}/services", ORGANISER),
        TourPage(
            "services-received",
            f"/organisations/{data.sme}/services?rated={data.delivery}",
            PARTICIPANT,
        ),
        TourPage("project-analysis", f"/projects/{data.project}/analysis", ORGANISER),
        TourPage("indicators", f"/projects/{data.project}/indicators", ORGANISER),
        TourPage("indicators-officer", f"/projects/{data.project}/indicators", OFFICER),
        TourPage(
            "indicator-report",
            f"/projects/{data.project}/reports/{data.project_report}",
            ORGANISER,
        ),
        TourPage("consortia", "/consortia", ORGANISER),
        TourPage("consortium", consortium, ORGANISER),
        TourPage("builder", "/builder", ORGANISER),
        TourPage("events", "/events", ORGANISER),
        TourPage("event", event, PARTICIPANT),
        TourPage("event-manage", f"{event}/manage", ORGANISER),
        TourPage("published-manage", f"{published}/manage", ORGANISER),
        TourPage("event-report", f"{published}/report", ORGANISER),
        TourPage("confirm-publish", f"{event}/publish", ORGANISER),
        TourPage("participants", f"{published}/participants", PARTICIPANT),
        TourPage("meetings", f"{published}/meetings", PARTICIPANT),
        TourPage("agenda", f"{published}/agenda", PARTICIPANT),
        TourPage("confirm-cancel", f"{published}/meetings/{data.meeting}/cancel", PARTICIPANT),
        TourPage("confirm-withdraw", f"{published}/withdraw", PARTICIPANT),
        TourPage("account", "/account", ORGANISER),
        TourPage("change-password", "/account/password", ORGANISER),
        TourPage("admin-users", "/admin/users", ADMINISTRATOR),
        TourPage("admin-claims", "/admin/claims", ADMINISTRATOR),
        TourPage("exchanges", "/exchanges", ORGANISER),
        TourPage("exchange-enrol", "/exchanges/enrol", ORGANISER),
        TourPage("partnership", f"/exchanges/partnerships/{data.partnership}", ORGANISER),
        TourPage("new-partnership", "/exchanges/partnerships/new", ADMINISTRATOR),
        TourPage("exchange-catalogue", f"/exchanges/participants/{data.participant}", ORGANISER),
        TourPage("evaluation", "/evaluation", OFFICER),
        TourPage("evaluation-pool", "/evaluation/experts", OFFICER),
        TourPage("evaluation-panel", f"/evaluation/calls/{data.evaluated_call}", OFFICER),
        TourPage(
            "evaluation-proposal", f"/evaluation/proposals/{data.evaluated_proposal}", PARTICIPANT
        ),
        TourPage("evaluation-ranking", f"/evaluation/calls/{data.evaluated_call}/ranking", OFFICER),
        TourPage("cascade-payments", f"/evaluation/calls/{data.cascade_call}/payments", OFFICER),
        TourPage("evaluation-applicant", "/evaluation", ORGANISER),
        TourPage("exchange", f"/exchanges/{data.exchange}", ORGANISER),
        TourPage("organisations-import", "/organisations/import", ADMINISTRATOR),
        TourPage("jobs", "/jobs", ORGANISER),
        TourPage("job", f"/jobs/{data.job}", ORGANISER),
        TourPage("job-failed", f"/jobs/{data.failed_job}", ORGANISER),
        TourPage("sign-in", "/sign-in", ANONYMOUS),
        TourPage("register", "/register", ANONYMOUS),
        TourPage("forgot-password", "/forgot-password", ANONYMOUS),
        TourPage("api-docs", "/api/docs", ANONYMOUS),
    ]
