"""Background jobs (ADR 0027): one row per slow or periodic task, what it was asked to do, where
it is, and what came of it. A worker holds a running job by a lease it renews; a job whose lease
ran out is retried (when its task is safe to run again) or failed."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from clusterbridge.db.base import Base, IdMixin, utcnow
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import JobState

#: The longest worker name kept ("host:pid"; a host name has at most 253 characters).
MAX_WORKER_NAME = 300
#: A finished job has its end time, and only a finished one.
_FINISHED_IFF_ENDED = "(state IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL)"


class Job(IdMixin, Base):
    """A task run by a worker: its ``kind`` (a name of the task registry) and JSON
    ``arguments``; ``progress`` from 0 to 1 with a note; the JSON ``result`` or the ``error``
    message; how many times a worker started it (``attempts``) and which one started the last
    attempt (``worker``, "host:pid"); who started it (None for the periodic jobs of the
    scheduler and for e-mail). A running job's worker renews ``lease_expires_at``. A job queued
    again after a failed attempt is not started before ``not_before`` (the back-off)."""

    __tablename__ = "job"
    __table_args__ = (
        sa.CheckConstraint(_FINISHED_IFF_ENDED, name="finished_iff_ended"),
        sa.CheckConstraint("progress >= 0 AND progress <= 1", name="progress_fraction"),
        sa.CheckConstraint("attempts >= 0", name="attempts_positive"),
        sa.CheckConstraint(
            "(state = 'running') = (lease_expires_at IS NOT NULL)", name="running_iff_leased"
        ),
    )

    kind: Mapped[str] = mapped_column(sa.String(64), index=True)
    arguments: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    state: Mapped[JobState] = mapped_column(str_enum(JobState), index=True)
    progress: Mapped[float] = mapped_column(sa.Float(), default=0.0)
    progress_note: Mapped[str] = mapped_column(sa.String(200), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=1)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    worker: Mapped[str | None] = mapped_column(sa.String(MAX_WORKER_NAME))
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
