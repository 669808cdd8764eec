"""The people and rows the home page's tests show each kind of user (web and browser tests),
inserted through the ORM (no access checks, no mail). ``NOW`` is the tests' clock."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from clusterbridge.db.models import (
    CascadePayment,
    ClusterMembershipRequest,
    EvaluationAssignment,
    EvaluationPanel,
    ExchangePartnership,
    ExchangePartnershipMember,
    MonitoredProject,
    MonitoredProjectMember,
    OrganisationClaim,
    Proposal,
    ProposalDecision,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import (
    MeetingStatus,
    OrgType,
    ParticipantStatus,
    ProposalOutcome,
    ProposalState,
    SmeProfile,
    UserRole,
)
from clusterbridge.domain.monitoring import ProjectKind, ProjectRole
from tests.conftest import NOW
from tests.factories.calls import cascade_draft
from tests.factories.calls import make_call as make_authored_call
from tests.factories.consortia import add_member as join_consortium
from tests.factories.consortia import make_consortium
from tests.factories.evaluation import make_call as make_evaluated_call
from tests.factories.evaluation import make_expert, make_small_evaluation
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.organisations import add_member, make_organisation

#: A session after ``NOW``, when the tests' events take place (they are not over).
COMING = ((NOW + timedelta(days=30), NOW + timedelta(days=30, hours=1)),)
#: A session before ``NOW``: an event that is over.
PAST = ((NOW - timedelta(days=30), NOW - timedelta(days=30, hours=-1)),)


def make_sme_world(database: Database) -> dict[str, int]:
    """Sara, a member of a traditional SME, a tech-savvy SME, a technology centre, an SME
    whose profile is not known and a cluster another organisation asks to join; validated at
    one coming event (two requests wait for her answer, one has expired, one is hers),
    pending at another, withdrawn from a third, at a past one; owner of one consortium, member
    of another; a third is shared by someone else. The cluster is a partner of the project
    METAL; Sara acts for the exchange partnership Metal Exchange."""
    with database.unit_of_work() as session:
        sara = make_person(session, email="sara@example.org", name="Sara")
        olga = make_person(session, email="olga@example.org", name="Olga",
                           role=UserRole.EVENT_ORGANISER)  # fmt: skip
        orgs = {
            "gates": make_organisation(session, name="Rossi Gates", type=OrgType.SME,
                                       sme_profile=SmeProfile.TRADITIONAL),
            "forge": make_organisation(session, name="Bit Forge", type=OrgType.SME,
                                       sme_profile=SmeProfile.TECH_SAVVY),
            "centre": make_organisation(session, name="Weld Centre",
                                        type=OrgType.TECHNOLOGY_CENTRE),
            "newco": make_organisation(session, name="Newco", type=OrgType.SME),
            "cluster": make_organisation(session, name="Isar Cluster"),
        }  # fmt: skip
        for organisation in orgs.values():
            add_member(session, organisation, sara)
        joining = make_organisation(session, name="Joiner GmbH", type=OrgType.SME)
        session.add(ClusterMembershipRequest(cluster_id=orgs["cluster"].id, member_id=joining.id))
        fair = make_event(session, organiser=olga, name="Metal Fair", sessions=COMING)
        me = add_participant(session, fair, user=sara, organisation=orgs["gates"])
        others = [
            add_participant(session, fair, user=make_person(session, email=f"{n}@example.org",
                            name=n.title()), organisation=joining)
            for n in ("ann", "ben", "cem")
        ]  # fmt: skip
        add_meeting(session, fair, requester=others[0], recipient=me,
                    status=MeetingStatus.REQUESTED)  # fmt: skip
        add_meeting(session, fair, requester=others[1], recipient=me,
                    status=MeetingStatus.REQUESTED)  # fmt: skip
        expired = add_meeting(session, fair, requester=others[2], recipient=me,
                              status=MeetingStatus.REQUESTED)  # fmt: skip
        expired.expires_at = NOW - timedelta(hours=1)
        asked = make_person(session, email="dan@example.org", name="Dan")
        add_meeting(
            session,
            fair,
            requester=me,
            recipient=add_participant(session, fair, user=asked, organisation=joining),
            status=MeetingStatus.REQUESTED,
        )
        waiting = make_event(session, organiser=olga, name="Wood Days", sessions=COMING)
        add_participant(session, waiting, user=sara, organisation=orgs["gates"],
                        status=ParticipantStatus.PENDING)  # fmt: skip
        left = make_event(session, organiser=olga, name="Left Expo", sessions=COMING)
        gone = add_participant(session, left, user=sara, organisation=orgs["gates"])
        gone.status, gone.withdrawn_at = ParticipantStatus.WITHDRAWN, NOW
        past = make_event(session, organiser=olga, name="Old Fair", sessions=PAST)
        add_participant(session, past, user=sara, organisation=orgs["gates"])
        own = make_consortium(session, owner=sara, name="Gates Alliance")
        theirs = make_consortium(session, owner=olga, name="Olga's Alliance", call_id=None)
        join_consortium(session, theirs, sara, can_edit=False)
        make_consortium(session, owner=olga, name="Shared Alliance", shared=True)
        project = MonitoredProject(
            name="Metal meets Tech", acronym="METAL", kind=ProjectKind.STRATEGIC_ALLIANCE,
            start_date=date(2024, 1, 1), end_date=date(2026, 12, 31), period_months=6,
            members=[MonitoredProjectMember(organisation_id=orgs["cluster"].id,
                                            role=ProjectRole.COORDINATOR)],
        )  # fmt: skip
        partnership = ExchangePartnership(name="Metal Exchange", country="DE")
        session.add_all([project, partnership])
        session.flush()
        session.add(ExchangePartnershipMember(partnership_id=partnership.id, user_id=sara.id))
        ids = {name: o.id for name, o in orgs.items()}
        ids |= {"project": project.id, "partnership": partnership.id}
        ids |= {"fair": fair.id, "waiting": waiting.id, "own": own.id, "theirs": theirs.id}
        return ids


#: After the deadline of ``make_evaluated_call``'s calls (31 March 2026).
EVALUATING = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)


def make_officer_world(database: Database) -> dict[str, int]:
    """Olga, an officer: EVAL-2026 closed and not selected yet; DONE-2026 closed and its
    selection published; OPEN-2026 still open; the cascade call SME-OPEN-2025 with its
    selection published and one selected application paid in part, another not at all, a
    third in full; Ada, an administrator, with two claims to decide; Kim, an expert, with one
    report to write, one written."""
    with database.unit_of_work() as session:
        small = make_small_evaluation(session)
        olga, kim = small.users["olga"], small.users["kim"]
        make_person(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        sara = make_person(session, email="sara@example.org", name="Sara")
        expert = make_expert(session, user=kim)
        session.add_all([
            EvaluationAssignment(proposal_id=small.proposals["ALPHA"], expert=expert),
            EvaluationAssignment(proposal_id=small.proposals["BETA"], expert=expert,
                                 submitted_at=NOW, scores={"relevance": "20", "impact": "50"}),
        ])  # fmt: skip
        done = make_evaluated_call(session, identifier="DONE-2026")
        session.add(EvaluationPanel(call_id=done.id, ranked_at=NOW, published_at=NOW))
        make_evaluated_call(session, identifier="OPEN-2026",
                            closes_at=EVALUATING + timedelta(days=5))  # fmt: skip
        cascade = make_authored_call(session, officer=olga, draft=cascade_draft(),
                                     published_at=NOW)  # fmt: skip
        session.add(EvaluationPanel(call_id=cascade.id, ranked_at=NOW, published_at=NOW))
        sme = make_organisation(session, name="Solar Bits GmbH", type=OrgType.SME)
        for order, (acronym, paid) in enumerate(
            (("PART", 10_000), ("NONE", 0), ("FULL", 40_000)), start=1
        ):
            proposal = Proposal(
                call=cascade, applicant=sara, organisation=sme, acronym=acronym,
                title=f"{acronym} pilot", requested_grant=Decimal(40_000), duration_months=9,
                state=ProposalState.SUBMITTED, submitted_at=NOW,
            )  # fmt: skip
            session.add(proposal)
            session.flush()
            session.add(ProposalDecision(proposal_id=proposal.id, rank=order, taken_order=order,
                                         outcome=ProposalOutcome.SELECTED, reason="selected"))  # fmt: skip
            if paid:
                session.add(CascadePayment(proposal_id=proposal.id, call_id=cascade.id,
                                           amount=Decimal(paid), paid_on=NOW.date(),
                                           reference=f"PAY-{acronym}"))  # fmt: skip
        session.add_all([
            OrganisationClaim(organisation_id=sme.id, requester_id=sara.id, message="Mine.", is_open=True),
            OrganisationClaim(organisation_id=make_organisation(session, name="Other").id,
                              requester_id=sara.id, message="Mine too.", is_open=True),
        ])  # fmt: skip
        return {"evaluated": small.call_id, "cascade": cascade.id}
