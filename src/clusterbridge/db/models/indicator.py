"""Indicators of a monitored project (issue 19, part 2; ADR 0029): the activities that count
for the project (its linked events, exchange partnerships and cascade calls), each indicator
with its targets by reporting period, the manual values with their evidence, and the frozen
periodic reports."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin, utcnow
from clusterbridge.db.types import UTCDateTime

#: Values with two decimals (counts, euros and cents).
Value = sa.Numeric(14, 2)


class ProjectEvent(Base):
    """A match-making event whose activity counts for the project."""

    __tablename__ = "project_event"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProjectPartnership(Base):
    """An exchange partnership whose credited exchanges count for the project."""

    __tablename__ = "project_partnership"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), primary_key=True
    )
    partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_partnership.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProjectCall(Base):
    """A cascade call whose payments to SMEs count for the project."""

    __tablename__ = "project_call"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), primary_key=True
    )
    call_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme_call.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Indicator(IdMixin, TimestampMixin, Base):
    """One indicator of a project: computed from ``source`` (an ``IndicatorSource``), or
    entered by hand with evidence when ``source`` is None. ``target`` is the end-of-project
    target; the targets by period are ``IndicatorTarget`` rows."""

    __tablename__ = "indicator"
    __table_args__ = (sa.UniqueConstraint("project_id", "name"),)

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(40))
    definition: Mapped[str] = mapped_column(sa.Text, default="")
    baseline: Mapped[Decimal | None] = mapped_column(Value)
    target: Mapped[Decimal | None] = mapped_column(Value)
    source: Mapped[str | None] = mapped_column(sa.String(40))

    targets: Mapped[list["IndicatorTarget"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="IndicatorTarget.period"
    )


class IndicatorTarget(Base):
    """The value an indicator should reach in one reporting period (numbered from 1)."""

    __tablename__ = "indicator_target"
    __table_args__ = (sa.CheckConstraint("period >= 1", name="period_positive"),)

    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[Decimal] = mapped_column(Value)


class IndicatorValue(IdMixin, Base):
    """A manual indicator's value for one period, with a note and its evidence files."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "period"),
        sa.CheckConstraint("period >= 1", name="period_positive"),
    )

    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[int]
    value: Mapped[Decimal] = mapped_column(Value)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    evidence: Mapped[list["IndicatorEvidence"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="IndicatorEvidence.id"
    )


class IndicatorEvidence(IdMixin, Base):
    """A file supporting a manual value (minutes, attendance lists, invoices)."""

    __tablename__ = "indicator_evidence"
    __table_args__ = (sa.CheckConstraint("size > 0", name="not_empty"),)

    value_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator_value.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IndicatorReport(IdMixin, Base):
    """The values of every indicator of a project for one period, frozen when issued; issuing
    again makes the next ``version`` and leaves this one as it was."""

    __tablename__ = "indicator_report"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "period", "version"),
        sa.CheckConstraint("period >= 1 AND version >= 1", name="numbers_positive"),
    )

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[int]
    version: Mapped[int]
    #: The period's first and last day, as they were when the report was issued.
    period_label: Mapped[str] = mapped_column(sa.String(80))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    lines: Mapped[list["IndicatorReportLine"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="IndicatorReportLine.position"
    )


class IndicatorReportLine(IdMixin, Base):
    """One indicator in a frozen report: copies of its wording, target, value, breakdown
    (``[[group, value], ...]``) and manual note, so that later edits change nothing here."""

    __tablename__ = "indicator_report_line"

    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator_report.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("indicator.id", ondelete="SET NULL")
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(40))
    source: Mapped[str | None] = mapped_column(sa.String(40))
    baseline: Mapped[Decimal | None] = mapped_column(Value)
    target: Mapped[Decimal | None] = mapped_column(Value)
    value: Mapped[Decimal | None] = mapped_column(Value)
    breakdown: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    evidence: Mapped[list["IndicatorReportEvidence"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="IndicatorReportEvidence.id"
    )


class IndicatorReportEvidence(IdMixin, Base):
    """A copy of a manual value's evidence file as it was when the report was issued."""

    __tablename__ = "indicator_report_evidence"
    __table_args__ = (sa.CheckConstraint("size > 0", name="not_empty"),)

    line_id: Mapped[int] = mapped_column(
        sa.ForeignKey("indicator_report_line.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
