"""A monitored project with evidence to cite, for the analysis tests, inserted through the ORM.

Mobility Cluster (Maria) coordinates EMA with Tiny Tools (Tom) as partner; Other Co (Sam) is
not a partner. Tiny Tools has a digital maturity assessment (overall 42.5) and an outcome of a
meeting with Other Co; Mobility Cluster answered two readiness questions (levels 3 and 2: 62.5);
Other Co has an assessment of its own. Paula is a programme officer, Ada an administrator."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    DigitalMaturityAssessment,
    MonitoredProject,
    MonitoredProjectMember,
    Organisation,
    OrganisationMember,
    Outcome,
    ReadinessQuestion,
    User,
)
from clusterbridge.domain.assessment import ClusterDimension
from clusterbridge.domain.enums import OrgType, OutcomeType, UserRole
from clusterbridge.domain.monitoring import ProjectKind, ProjectRole
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.organisations import make_organisation

ASSESSED = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
RECORDED = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
MET = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@dataclass
class AnalysisWorld:
    """Ids of what ``make_analysis_world`` made."""

    project: int
    cluster: int
    sme: int
    other: int
    assessment: int
    other_assessment: int
    outcome: int
    people: dict[str, User]


def _assessment(session: Session, organisation: Organisation, overall: str) -> int:
    assessment = DigitalMaturityAssessment(
        organisation_id=organisation.id, taken_at=ASSESSED, answers={}, overall=Decimal(overall)
    )
    session.add(assessment)
    session.flush()
    return assessment.id


def make_analysis_world(session: Session) -> AnalysisWorld:
    """The world of the module docstring, flushed."""
    people = {
        key: make_person(session, email=f"{key}@example.org", name=key.title(), role=role)
        for key, role in (
            ("maria", UserRole.CLUSTER_MANAGER),
            ("tom", UserRole.ORGANISATION_MEMBER),
            ("sam", UserRole.ORGANISATION_MEMBER),
            ("paula", UserRole.PROGRAMME_OFFICER),
            ("ada", UserRole.ADMINISTRATOR),
        )
    }
    cluster = make_organisation(session, name="Mobility Cluster")
    sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
    other = make_organisation(session, name="Other Co", type=OrgType.SME)
    for organisation, key in ((cluster, "maria"), (sme, "tom"), (other, "sam")):
        session.add(OrganisationMember(organisation_id=organisation.id, user_id=people[key].id))
    project = MonitoredProject(
        name="Euro Mobility Alliance",
        acronym="EMA",
        kind=ProjectKind.STRATEGIC_ALLIANCE,
        start_date=date(2025, 1, 1),
        end_date=date(2026, 12, 31),
        period_months=6,
    )
    project.members = [
        MonitoredProjectMember(organisation_id=cluster.id, role=ProjectRole.COORDINATOR),
        MonitoredProjectMember(organisation_id=sme.id, role=ProjectRole.PARTNER),
    ]
    session.add(project)
    for level, dimension in ((3, ClusterDimension.SERVICES), (2, ClusterDimension.FINANCING)):
        session.add(
            ReadinessQuestion(
                organisation_id=cluster.id, key=f"q-{dimension}", dimension=dimension,
                text="A question", weight=1, level=level,
            )
        )  # fmt: skip
    session.flush()
    event = make_event(session, organiser=people["maria"])
    meeting = add_meeting(
        session, event, starts_at=MET,
        requester=add_participant(session, event, user=people["tom"], organisation=sme),
        recipient=add_participant(session, event, user=people["sam"], organisation=other),
    )  # fmt: skip
    outcome = Outcome(
        organisation_id=sme.id, meeting_id=meeting.id, recorded_at=RECORDED,
        type=OutcomeType.TECHNICAL_COOPERATION,
    )  # fmt: skip
    session.add(outcome)
    session.flush()
    return AnalysisWorld(
        project=project.id,
        cluster=cluster.id,
        sme=sme.id,
        other=other.id,
        assessment=_assessment(session, sme, "42.5"),
        other_assessment=_assessment(session, other, "80.0"),
        outcome=outcome.id,
        people=people,
    )
