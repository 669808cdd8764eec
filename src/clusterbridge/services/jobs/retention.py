"""Retention (ADR 0036): the daily ``jobs.prune`` job (and ``clusterbridge jobs prune``)
removes the jobs that finished long ago (succeeded or cancelled after
``job_retention_days``, failed after ``failed_job_retention_days``) and the rendered documents
``document_retention_days`` after their job finished, or whose job is gone.

A queued or running job is never removed, nor its document. Files go before rows (a crash in
between leaves a job whose document expired, which its page says, never a stray file that
is not removed later), and rows go in batches of ``PRUNE_BATCH``, one short transaction each.
"""

import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from clusterbridge.config import Settings
from clusterbridge.db.repositories import jobs as job_repository
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState
from clusterbridge.services.jobs.document_job import DOCUMENTS_FOLDER

PRUNE_JOBS = "jobs.prune"
#: Jobs (and document folders) handled per transaction.
PRUNE_BATCH = 500
_JOB_FOLDER = re.compile(r"job-([1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class Limits:
    """The ends before which a job or a document is removed."""

    finished_before: datetime
    failed_before: datetime
    documents_before: datetime

    @classmethod
    def of(cls, settings: Settings, now: datetime) -> "Limits":
        """The limits at ``now``."""
        return cls(
            now - timedelta(days=settings.job_retention_days),
            now - timedelta(days=settings.failed_job_retention_days),
            now - timedelta(days=settings.document_retention_days),
        )

    def document_expired(self, state: JobState, finished_at: datetime | None) -> bool:
        """Whether the document of a job in ``state`` that ended at ``finished_at`` goes."""
        if finished_at is None:  # queued or running
            return False
        ends = {JobState.FAILED: self.failed_before}
        return finished_at < max(self.documents_before, ends.get(state, self.finished_before))


@dataclass(slots=True)
class PruneReport:
    """What a prune removed (or, in a dry run, would remove): jobs by kind and state, and the
    document folders."""

    dry_run: bool
    jobs: dict[tuple[str, JobState], int] = field(default_factory=dict)
    documents: list[Path] = field(default_factory=list)

    @property
    def job_count(self) -> int:
        """Jobs removed in all."""
        return sum(self.jobs.values())

    def describe(self) -> str:
        """One sentence for people."""
        verb = "Would remove" if self.dry_run else "Removed"
        return f"{verb} {self.job_count} job(s) and {len(self.documents)} document(s)."


def prune(
    database: Database,
    settings: Settings,
    *,
    now: datetime,
    dry_run: bool = False,
    batch: int = PRUNE_BATCH,
) -> PruneReport:
    """Remove the expired documents, then the expired jobs, in batches of ``batch`` (nothing
    in a ``dry_run``); what went (or would go)."""
    limits = Limits.of(settings, now)
    report = PruneReport(dry_run)
    report.documents = _expired_documents(database, settings, limits, batch)
    if not dry_run:
        for folder in report.documents:
            shutil.rmtree(folder, ignore_errors=True)
    with database.unit_of_work() as session:
        report.jobs = job_repository.count_prunable(
            session, finished_before=limits.finished_before, failed_before=limits.failed_before
        )
    if not dry_run:
        _delete_jobs(database, limits, batch)
    return report


def _expired_documents(
    database: Database, settings: Settings, limits: Limits, batch: int
) -> list[Path]:
    """The document folders whose job is gone or whose document expired, by job id."""
    root = settings.resolved_cache_dir() / DOCUMENTS_FOLDER
    folders: dict[int, Path] = {}
    if root.is_dir():
        for path in root.iterdir():
            match = _JOB_FOLDER.fullmatch(path.name)
            if match and path.is_dir():
                folders[int(match.group(1))] = path
    ids = sorted(folders)
    expired: list[Path] = []
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with database.unit_of_work() as session:
            ends = job_repository.ends_of(session, chunk)
        expired += [
            folders[job_id]
            for job_id in chunk
            if job_id not in ends or limits.document_expired(*ends[job_id])
        ]
    return expired


def _delete_jobs(database: Database, limits: Limits, batch: int) -> None:
    """Delete the expired jobs, ``batch`` at a time, each batch its own transaction."""
    while True:
        with database.unit_of_work() as session:
            ids = job_repository.list_prunable_ids(
                session,
                finished_before=limits.finished_before,
                failed_before=limits.failed_before,
                limit=batch,
            )
            deleted = job_repository.delete_prunable(
                session,
                ids,
                finished_before=limits.finished_before,
                failed_before=limits.failed_before,
            )
        if len(ids) < batch or deleted == 0:
            return
