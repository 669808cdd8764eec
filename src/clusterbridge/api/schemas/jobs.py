"""Background jobs as the API shows them."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.db.models import Job
from clusterbridge.domain.enums import JobState
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.jobs import job_title

#: The longest kind or state a job list's filter takes.
MAX_FILTER_LENGTH = 100


class JobRead(BaseModel):
    """A background job: its kind and title, its state (``queued``, ``running``, ``succeeded``,
    ``failed``, ``cancelled``), its progress from 0 to 1 with a note, the result (JSON, with a
    ``link`` to the page that shows it) or the error message, and how many times a worker
    started it, with the last worker that did (``worker``, "host:pid"; None before the first
    start); a job queued again after a failed attempt is not started before ``not_before``
    (its back-off; None otherwise). Poll ``GET /api/jobs/{id}`` until the state is one of the last three."""

    id: int
    kind: str
    title: str
    state: JobState
    progress: float
    progress_note: str
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    max_attempts: int
    worker: str | None
    not_before: datetime | None
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def from_row(cls, row: Job) -> "JobRead":
        """The job ``row``."""
        return cls(
            id=row.id,
            kind=row.kind,
            title=job_title(row),
            state=row.state,
            progress=row.progress,
            progress_note=row.progress_note,
            result=row.result,
            error=row.error,
            attempts=row.attempts,
            max_attempts=row.max_attempts,
            worker=row.worker,
            not_before=row.not_before,
            cancel_requested=row.cancel_requested,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )


class DocumentRequest(BaseModel):
    """A document to render: its name (``consortium-checklist``, ``analysis-pdf``,
    ``analysis-docx``, ``selection``, ``summary``, ``commitment``) and the id of its record."""

    model_config = ConfigDict(extra="forbid")

    document: str = Field(min_length=1, max_length=40)
    id: int = Field(ge=1, le=MAX_ID)
