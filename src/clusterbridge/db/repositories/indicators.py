"""Queries of a project's indicators, manual values, frozen reports and linked activities."""

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload, undefer

from clusterbridge.db.models import (
    Event,
    EventParticipant,
    ExchangePartnership,
    Indicator,
    IndicatorEvidence,
    IndicatorReport,
    IndicatorReportEvidence,
    IndicatorReportLine,
    IndicatorValue,
    Meeting,
    MonitoredProject,
    ProgrammeCall,
    ProjectCall,
    ProjectEvent,
    ProjectPartnership,
)
from clusterbridge.domain.enums import CallKind, MeetingStatus


def indicators(session: Session, project_id: int) -> list[Indicator]:
    """The project's indicators in the order they were defined, targets loaded."""
    statement = (
        sa.select(Indicator)
        .where(Indicator.project_id == project_id)
        .options(selectinload(Indicator.targets))
        .order_by(Indicator.id)
    )
    return list(session.scalars(statement))


def indicator(session: Session, indicator_id: int) -> Indicator | None:
    """One indicator with its targets."""
    statement = (
        sa.select(Indicator)
        .where(Indicator.id == indicator_id)
        .options(selectinload(Indicator.targets))
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one_or_none()


def name_taken(session: Session, project_id: int, name: str, *, other_than: int | None) -> bool:
    """Whether another indicator of the project has this name (case-insensitively)."""
    statement = sa.select(Indicator.id).where(
        Indicator.project_id == project_id, sa.func.lower(Indicator.name) == name.lower()
    )
    if other_than is not None:
        statement = statement.where(Indicator.id != other_than)
    return session.execute(statement).first() is not None


def manual_values(session: Session, indicator_ids: list[int]) -> list[IndicatorValue]:
    """The manual values of the indicators, evidence (without content) loaded."""
    statement = (
        sa.select(IndicatorValue)
        .where(IndicatorValue.indicator_id.in_(indicator_ids))
        .options(selectinload(IndicatorValue.evidence))
        .order_by(IndicatorValue.indicator_id, IndicatorValue.period)
    )
    return list(session.scalars(statement))


def manual_value(session: Session, indicator_id: int, period: int) -> IndicatorValue | None:
    """One manual value, evidence loaded."""
    statement = (
        sa.select(IndicatorValue)
        .where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.period == period)
        .options(selectinload(IndicatorValue.evidence))
    )
    return session.scalars(statement).one_or_none()


def evidence_with_content(session: Session, evidence_id: int) -> IndicatorEvidence | None:
    """One evidence file with its bytes."""
    statement = (
        sa.select(IndicatorEvidence)
        .where(IndicatorEvidence.id == evidence_id)
        .options(undefer(IndicatorEvidence.content))
    )
    return session.scalars(statement).one_or_none()


def evidence_of_values_by_id(session: Session, evidence_ids: list[int]) -> list[IndicatorEvidence]:
    """Evidence files with their bytes (to copy into a report), in the order uploaded."""
    if not evidence_ids:
        return []
    statement = (
        sa.select(IndicatorEvidence)
        .where(IndicatorEvidence.id.in_(evidence_ids))
        .options(undefer(IndicatorEvidence.content))
        .order_by(IndicatorEvidence.id)
    )
    return list(session.scalars(statement))


def value_owner(session: Session, value_id: int) -> int | None:
    """The indicator id of a manual value."""
    return session.scalar(
        sa.select(IndicatorValue.indicator_id).where(IndicatorValue.id == value_id)
    )


def reports(session: Session, project_id: int) -> list[IndicatorReport]:
    """The project's frozen reports, newest period and version first, lines loaded."""
    statement = (
        sa.select(IndicatorReport)
        .where(IndicatorReport.project_id == project_id)
        .options(selectinload(IndicatorReport.lines).selectinload(IndicatorReportLine.evidence))
        .order_by(IndicatorReport.period.desc(), IndicatorReport.version.desc())
    )
    return list(session.scalars(statement))


def report(session: Session, report_id: int) -> IndicatorReport | None:
    """One frozen report with its lines and evidence (without content)."""
    statement = (
        sa.select(IndicatorReport)
        .where(IndicatorReport.id == report_id)
        .options(selectinload(IndicatorReport.lines).selectinload(IndicatorReportLine.evidence))
    )
    return session.scalars(statement).one_or_none()


def last_version(session: Session, project_id: int, period: int) -> int:
    """The highest version of the project's report for the period (0 without one)."""
    statement = sa.select(sa.func.max(IndicatorReport.version)).where(
        IndicatorReport.project_id == project_id, IndicatorReport.period == period
    )
    return session.scalar(statement) or 0


def report_evidence(
    session: Session, evidence_id: int
) -> tuple[IndicatorReportEvidence, int] | None:
    """A report's evidence copy with its bytes, and the id of the report's project."""
    statement = (
        sa.select(IndicatorReportEvidence, IndicatorReport.project_id)
        .join(IndicatorReportLine, IndicatorReportLine.id == IndicatorReportEvidence.line_id)
        .join(IndicatorReport, IndicatorReport.id == IndicatorReportLine.report_id)
        .where(IndicatorReportEvidence.id == evidence_id)
        .options(undefer(IndicatorReportEvidence.content))
    )
    row = session.execute(statement).one_or_none()
    return (row[0], row[1]) if row else None


def linked_events(session: Session, project_id: int) -> list[Event]:
    """The events linked to the project, by name."""
    statement = (
        sa.select(Event)
        .join(ProjectEvent, ProjectEvent.event_id == Event.id)
        .where(ProjectEvent.project_id == project_id)
        .order_by(Event.name, Event.id)
    )
    return list(session.scalars(statement))


def linked_partnerships(session: Session, project_id: int) -> list[ExchangePartnership]:
    """The exchange partnerships linked to the project, by name."""
    statement = (
        sa.select(ExchangePartnership)
        .join(ProjectPartnership, ProjectPartnership.partnership_id == ExchangePartnership.id)
        .where(ProjectPartnership.project_id == project_id)
        .order_by(ExchangePartnership.name, ExchangePartnership.id)
    )
    return list(session.scalars(statement))


def linked_calls(session: Session, project_id: int) -> list[ProgrammeCall]:
    """The cascade calls linked to the project, by identifier."""
    statement = (
        sa.select(ProgrammeCall)
        .join(ProjectCall, ProjectCall.call_id == ProgrammeCall.id)
        .where(ProjectCall.project_id == project_id)
        .order_by(ProgrammeCall.identifier)
    )
    return list(session.scalars(statement))


def all_events(session: Session) -> list[Event]:
    """Every event, by name (the choices to link)."""
    return list(session.scalars(sa.select(Event).order_by(Event.name, Event.id)))


def all_partnerships(session: Session) -> list[ExchangePartnership]:
    """Every exchange partnership, by name."""
    statement = sa.select(ExchangePartnership).order_by(ExchangePartnership.name)
    return list(session.scalars(statement))


def cascade_calls(session: Session) -> list[ProgrammeCall]:
    """Every cascade call, by identifier."""
    statement = (
        sa.select(ProgrammeCall)
        .where(ProgrammeCall.kind == CallKind.CASCADE)
        .order_by(ProgrammeCall.identifier)
    )
    return list(session.scalars(statement))


def project_by_acronym(session: Session, acronym: str) -> MonitoredProject | None:
    """The project with this acronym (the demo finds its own)."""
    statement = sa.select(MonitoredProject).where(MonitoredProject.acronym == acronym)
    return session.scalars(statement).one_or_none()


def participant_organisation(session: Session, event_id: int, user_id: int) -> int | None:
    """The organisation a user takes part in an event for."""
    statement = sa.select(EventParticipant.organisation_id).where(
        EventParticipant.event_id == event_id, EventParticipant.user_id == user_id
    )
    return session.scalars(statement).first()


def participant_organisations(session: Session, event_id: int) -> list[int]:
    """The organisations taking part in an event, each once, by id."""
    statement = (
        sa.select(EventParticipant.organisation_id)
        .where(EventParticipant.event_id == event_id)
        .distinct()
        .order_by(EventParticipant.organisation_id)
    )
    return list(session.scalars(statement))


def accepted_meetings(session: Session, event_id: int) -> list[tuple[int, int, int, int, int]]:
    """The accepted meetings of an event as (meeting id, requester's organisation and user,
    recipient's organisation and user), by id."""
    requester, recipient = aliased(EventParticipant), aliased(EventParticipant)
    statement = (
        sa.select(
            Meeting.id,
            requester.organisation_id,
            requester.user_id,
            recipient.organisation_id,
            recipient.user_id,
        )
        .join(requester, requester.id == Meeting.requester_id)
        .join(recipient, recipient.id == Meeting.recipient_id)
        .where(Meeting.event_id == event_id, Meeting.status == MeetingStatus.ACCEPTED)
        .order_by(Meeting.id)
    )
    return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]
