"""The demo's monitored project (ADR 0029): a strategic alliance coordinated by the demo
account's cluster, linked to the demo event (and the demo exchange partnership), with computed
and manual indicators, targets, manual values with evidence, follow-ups answered for the
event's accepted meetings, services delivered to the event's SMEs (ADR 0031), a frozen report
of the last period that ended, and an analysis: an opportunity and a threat citing that
report's values, and a policy recommendation resting on both (ADR 0030).

It started a year before the demo is prepared, in half-year periods, so that two periods have
ended and the third holds the demo event."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    FollowUp,
    MonitoredProject,
    MonitoredProjectMember,
    OrganisationMember,
    Outcome,
    ProjectEvent,
    User,
)
from clusterbridge.db.repositories import indicator_sources as sources
from clusterbridge.db.repositories import indicators as repository
from clusterbridge.domain.analysis import Audience, FindingKind
from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE
from clusterbridge.domain.enums import OutcomeType, SmeProfile
from clusterbridge.domain.indicators import IndicatorSource
from clusterbridge.domain.monitoring import ProjectKind, ProjectRole, add_months
from clusterbridge.services.evidence import Upload
from clusterbridge.services.monitoring.analysis import (
    FindingDraft,
    RecommendationDraft,
    create_finding,
    create_recommendation,
    link_evidence,
)
from clusterbridge.services.monitoring.indicators import (
    IndicatorDraft,
    create_indicator,
    record_value,
)
from clusterbridge.services.monitoring.reports import issue_report
from clusterbridge.services.monitoring.scope import LinkKind, link_activity
from clusterbridge.services.monitoring.services_demo import prepare_demo_services

DEMO_ACRONYM = "TEXTILE-TECH"
DEMO_NAME = "Textile meets Tech: strategic alliance of traditional and tech-savvy SMEs"
PERIOD_MONTHS = 6
YEARS = 3
FOLLOW_UP_WEEK = 2
#: The answers the demo's SMEs gave for the accepted meetings, in order (requester, recipient).
ANSWERS = (
    (OutcomeType.COMMERCIAL_AGREEMENT, OutcomeType.COMMERCIAL_AGREEMENT),
    (OutcomeType.TECHNICAL_COOPERATION, OutcomeType.NO_FOLLOW_UP),
    (OutcomeType.JOINT_APPLICATION, OutcomeType.RESEARCH_COOPERATION),
)
#: A one-page PDF standing for an attendance list.
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPUTED = (
    ("SMEs supported", "SMEs", IndicatorSource.SMES_SUPPORTED, 40, 8),
    ("SMEs supported by country", "SMEs", IndicatorSource.SMES_BY_COUNTRY, 40, 8),
    ("SMEs supported by region category", "SMEs", IndicatorSource.SMES_BY_REGION_CATEGORY, 40, 8),
    ("One-to-one meetings held", "meetings", IndicatorSource.MEETINGS_HELD, 60, 10),
    ("Results of meetings and exchanges", "results", IndicatorSource.OUTCOMES, 15, 3),
    ("Event participants", "participants", IndicatorSource.PARTICIPANTS, 120, 20),
    ("Exchanges completed", "exchanges", IndicatorSource.EXCHANGES_COMPLETED, 6, 1),
    ("Services delivered to SMEs", "deliveries", IndicatorSource.SERVICES_DELIVERED, 30, 5),
    ("People trained", "people", IndicatorSource.PEOPLE_TRAINED, 60, 10),
)
#: Manual indicators: name, unit, end target, per-period target, values of the periods ended.
MANUAL = (
    ("Webinars on advanced technologies", "webinars", 12, 2, (Decimal(2), Decimal(3))),
    ("Policy briefs published", "briefs", 6, 1, (Decimal(0), Decimal(1))),
)


@dataclass(frozen=True, slots=True)
class DemoProject:
    """The demo project's number (None without a demo event)."""

    project_id: int | None
    #: Whether this run made it (it was missing).
    added: bool = False


def prepare_demo_project(
    session: Session,
    manager: User,
    *,
    event_id: int | None,
    partnership_id: int | None,
    now: datetime,
    today: date,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> DemoProject:
    """Unless it exists, create the demo project of the module docstring, with ``manager`` (the
    demo account) a member of its coordinator, the cluster it takes part in the event for; its
    periods count from ``today`` (the site's date at ``now`` in ``time_zone``, the zone its
    evidence labels write days in). Writes; sends no mail."""
    existing = repository.project_by_acronym(session, DEMO_ACRONYM)
    if existing is not None:
        return DemoProject(existing.id)
    cluster_id = (
        None
        if event_id is None
        else repository.participant_organisation(session, event_id, manager.id)
    )
    if event_id is None or cluster_id is None:
        return DemoProject(None)
    project = _project(session, manager, cluster_id, today)
    # The demo account takes part in the event but does not run it (ADR 0040): the demo sets
    # up the link an administrator would make for the organiser's event.
    session.add(ProjectEvent(project_id=project.id, event_id=event_id))
    session.flush()
    if partnership_id is not None:
        link_activity(session, manager, project.id, LinkKind.PARTNERSHIP, partnership_id)
    _outcomes(session, event_id, now)
    smes = sources.sme_ids(session, repository.participant_organisations(session, event_id))
    prepare_demo_services(
        session, manager, project.id, delivered_by_id=cluster_id, sme_ids=sorted(smes), today=today
    )
    _indicators(session, manager, project, now, today)
    report = issue_report(session, manager, project.id, 2, now=now, today=today)
    lines = {line.name: line.id for line in report.lines}
    _analysis(session, manager, project.id, lines, today=today, time_zone=time_zone)
    return DemoProject(project.id, added=True)


def _project(session: Session, manager: User, cluster_id: int, today: date) -> MonitoredProject:
    if session.get(OrganisationMember, (cluster_id, manager.id)) is None:
        session.add(OrganisationMember(organisation_id=cluster_id, user_id=manager.id))
    start = add_months(date(today.year, today.month, 1), -12)
    project = MonitoredProject(
        name=DEMO_NAME,
        acronym=DEMO_ACRONYM,
        kind=ProjectKind.STRATEGIC_ALLIANCE,
        description="Traditional textile SMEs adopt sensors, robotics and traceability with tech-savvy SMEs.",
        start_date=start,
        end_date=add_months(start, 12 * YEARS) - timedelta(days=1),
        period_months=PERIOD_MONTHS,
        created_by_id=manager.id,
        members=[MonitoredProjectMember(organisation_id=cluster_id, role=ProjectRole.COORDINATOR)],
    )
    session.add(project)
    session.flush()
    return project


def _outcomes(session: Session, event_id: int, now: datetime) -> None:
    meetings = repository.accepted_meetings(session, event_id)
    for (meeting_id, *sides), answers in zip(meetings, ANSWERS, strict=False):
        for (organisation_id, user_id), kind in zip((sides[:2], sides[2:]), answers, strict=True):
            follow_up = FollowUp(
                meeting_id=meeting_id, organisation_id=organisation_id, recipient_id=user_id,
                week=FOLLOW_UP_WEEK,
                token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                sent_at=now - timedelta(days=2), expires_at=now + timedelta(days=58), answered_at=now,
            )  # fmt: skip
            session.add(follow_up)
            session.flush()
            session.add(
                Outcome(
                    organisation_id=organisation_id, meeting_id=meeting_id, follow_up_id=follow_up.id,
                    type=kind, note="Answered in the demo.", recorded_at=now,
                )
            )  # fmt: skip
    session.flush()


def _indicators(
    session: Session, manager: User, project: MonitoredProject, now: datetime, today: date
) -> None:
    periods = 2 * YEARS
    for name, unit, source, target, per_period in COMPUTED:
        draft = IndicatorDraft(
            name=name, unit=unit, source=source, target=Decimal(target),
            targets={n: Decimal(per_period) for n in range(1, periods + 1)},
            definition="Computed by clusterbridge from the linked event and exchange partnership, and the services recorded.",
        )  # fmt: skip
        create_indicator(session, manager, project.id, draft)
    for name, unit, target, per_period, values in MANUAL:
        draft = IndicatorDraft(
            name=name, unit=unit, target=Decimal(target),
            targets={n: Decimal(per_period) for n in range(1, periods + 1)},
            definition="Entered by the partners with the attendance lists or the publications.",
        )  # fmt: skip
        indicator = create_indicator(session, manager, project.id, draft)
        for period, value in enumerate(values, start=1):
            evidence = (
                [Upload(f"{unit}-p{period}.pdf", "application/pdf", EVIDENCE_PDF)] if value else []
            )
            record_value(
                session,
                manager,
                indicator.id,
                period=period,
                value=value,
                uploads=evidence,
                now=now,
                today=today,
            )


#: The demo analysis: each finding with the frozen indicator values it cites.
FINDINGS = (
    (
        FindingDraft(
            kind=FindingKind.OPPORTUNITY,
            title="Sensors and traceability within reach of traditional textile SMEs",
            text="Audits and coaching by tech-savvy partners turned into investment plans: the "
            "SMEs supported asked for a second visit to plan the investment.",
            technologies=("ati-iot", "ati-big-data"),
            ecosystems=("textile",),
            sme_profile=SmeProfile.TRADITIONAL,
        ),
        ("Services delivered to SMEs", "SMEs supported"),
    ),
    (
        FindingDraft(
            kind=FindingKind.THREAT,
            title="Too few people trained to run the new systems",
            text="Each SME sent two or three people to the digital skills course: too few to "
            "keep sensors and data running when the coach leaves.",
            technologies=("ati-big-data",),
            ecosystems=("textile",),
        ),
        ("People trained",),
    ),
)
RECOMMENDATION = (
    "Co-fund digital skills courses for the staff of traditional SMEs that adopt sensors and "
    "traceability, tied to the investment they plan with a technology partner."
)


def _analysis(
    session: Session,
    manager: User,
    project_id: int,
    lines: dict[str, int],
    *,
    today: date,
    time_zone: str,
) -> None:
    finding_ids = []
    for draft, cited in FINDINGS:
        finding = create_finding(session, manager, project_id, draft)
        for name in cited:
            link_evidence(
                session, manager, project_id, finding.id, kind="indicator_value",
                ref_id=lines[name], today=today, time_zone=time_zone,
            )  # fmt: skip
        finding_ids.append(finding.id)
    create_recommendation(
        session, manager, project_id,
        RecommendationDraft(Audience.REGIONAL.value, RECOMMENDATION, tuple(finding_ids)),
    )  # fmt: skip
