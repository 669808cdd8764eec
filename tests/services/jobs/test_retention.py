"""Retention (ADR 0036): ``retention.prune`` removes the jobs and documents kept past their
periods, exactly at the boundaries, in batches; a dry run removes nothing; the periodic
``jobs.prune`` job does the same."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.config import Settings
from clusterbridge.db.models import Job
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState
from clusterbridge.services import jobs
from clusterbridge.services.jobs.document_job import document_folder
from clusterbridge.services.jobs.periodic import run_periodic
from tests.conftest import NOW
from tests.factories.jobs import make_job

pytestmark = [pytest.mark.integration, pytest.mark.db]

SECOND = timedelta(seconds=1)
DAYS_30, DAYS_90, DAYS_7 = timedelta(days=30), timedelta(days=90), timedelta(days=7)
RENDER = "reports.render"


def _job(
    database: Database,
    state: JobState,
    finished: datetime | None,
    *,
    kind: str = "mail.send",
) -> int:
    """A job of ``kind`` in ``state`` that finished at ``finished`` (None: not over)."""
    with database.unit_of_work() as session:
        job = make_job(session, owner=None, kind=kind, state=state)
        if finished is not None:
            job.created_at = job.started_at = finished - timedelta(minutes=1)
            job.finished_at = finished
        return job.id


def _document(settings: Settings, job_id: int) -> Path:
    """A document file of job ``job_id`` in its folder."""
    folder = document_folder(settings, job_id)
    folder.mkdir(parents=True)
    (folder / "checklist.pdf").write_bytes(b"%PDF-1.7")
    return folder


def _ids(database: Database) -> list[int]:
    with database.unit_of_work() as session:
        return list(session.scalars(sa.select(Job.id).order_by(Job.id)))


def test_prune_removes_exactly_the_jobs_and_documents_past_their_period(
    clean_database: Database, settings: Settings
) -> None:
    db = clean_database
    kept = {
        "succeeded at the limit": _job(db, JobState.SUCCEEDED, NOW - DAYS_30),
        "cancelled at the limit": _job(db, JobState.CANCELLED, NOW - DAYS_30),
        "failed a month ago": _job(db, JobState.FAILED, NOW - DAYS_30 - SECOND),
        "failed at its limit": _job(db, JobState.FAILED, NOW - DAYS_90),
        "queued long ago": _job(db, JobState.QUEUED, None),
        "running": _job(db, JobState.RUNNING, None),
        "document at its limit": _job(db, JobState.SUCCEEDED, NOW - DAYS_7, kind=RENDER),
        "document past its limit": _job(db, JobState.SUCCEEDED, NOW - DAYS_7 - SECOND, kind=RENDER),
        "document being rendered": _job(db, JobState.RUNNING, None, kind=RENDER),
    }
    removed = {
        "succeeded": _job(db, JobState.SUCCEEDED, NOW - DAYS_30 - SECOND),
        "cancelled": _job(db, JobState.CANCELLED, NOW - DAYS_30 - SECOND),
        "failed": _job(db, JobState.FAILED, NOW - DAYS_90 - SECOND),
        "old document": _job(db, JobState.SUCCEEDED, NOW - DAYS_30 - SECOND, kind=RENDER),
    }
    fresh = _document(settings, kept["document at its limit"])
    stale = _document(settings, kept["document past its limit"])
    rendering = _document(settings, kept["document being rendered"])
    old = _document(settings, removed["old document"])
    orphan = _document(settings, max([*kept.values(), *removed.values()]) + 100)
    stranger = settings.resolved_cache_dir() / "documents" / "notes"
    stranger.mkdir()
    before = _ids(db)

    dry = jobs.prune(db, settings, now=NOW, dry_run=True)
    after_dry = (
        _ids(db),
        sorted(p.name for p in (fresh, stale, rendering, old, orphan) if p.exists()),
    )
    report = jobs.prune(db, settings, now=NOW)

    expected_jobs = {
        ("mail.send", JobState.SUCCEEDED): 1,
        ("mail.send", JobState.CANCELLED): 1,
        ("mail.send", JobState.FAILED): 1,
        (RENDER, JobState.SUCCEEDED): 1,
    }
    expected_documents = sorted([stale, old, orphan])
    assert (dry.dry_run, dry.jobs, sorted(dry.documents)) == (
        True,
        expected_jobs,
        expected_documents,
    )
    assert after_dry == (before, sorted(p.name for p in (fresh, stale, rendering, old, orphan)))
    assert dry.describe() == "Would remove 4 job(s) and 3 document(s)."
    assert (report.jobs, sorted(report.documents)) == (expected_jobs, expected_documents)
    assert report.describe() == "Removed 4 job(s) and 3 document(s)."
    assert _ids(db) == sorted(kept.values())
    assert [p.exists() for p in (fresh, stale, rendering, old, orphan, stranger)] == [
        True,
        False,
        True,
        False,
        False,
        True,
    ]


def test_the_periods_are_settings(clean_database: Database, settings: Settings) -> None:
    short = settings.model_copy(
        update={
            "job_retention_days": 1,
            "failed_job_retention_days": 2,
            "document_retention_days": 1,
        }
    )
    day = timedelta(days=1)
    succeeded = _job(clean_database, JobState.SUCCEEDED, NOW - day - SECOND)
    failed_kept = _job(clean_database, JobState.FAILED, NOW - day - SECOND)
    failed = _job(clean_database, JobState.FAILED, NOW - 2 * day - SECOND)

    report = jobs.prune(clean_database, short, now=NOW)

    assert report.job_count == 2
    assert _ids(clean_database) == [failed_kept]
    assert {succeeded, failed}.isdisjoint(_ids(clean_database))


def test_prune_deletes_a_big_backlog_in_batches(
    clean_database: Database, settings: Settings
) -> None:
    old = NOW - DAYS_90 - SECOND
    states = [JobState.SUCCEEDED] * 5 + [JobState.CANCELLED] * 2 + [JobState.FAILED] * 3
    for state in states:
        _job(clean_database, state, old)
    young = _job(clean_database, JobState.SUCCEEDED, NOW)
    statements: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    sa.event.listen(clean_database.engine, "before_cursor_execute", record)
    try:
        report = jobs.prune(clean_database, settings, now=NOW, batch=3)
    finally:
        sa.event.remove(clean_database.engine, "before_cursor_execute", record)
    deletes = [s for s in statements if s.lstrip().upper().startswith("DELETE FROM JOB")]

    assert report.job_count == 10
    assert _ids(clean_database) == [young]
    # Three full batches of three and one of one: four DELETE statements.
    assert len(deletes) == 4


def test_the_daily_prune_job_runs_from_the_scheduler(
    clean_database: Database, settings: Settings
) -> None:
    old = _job(clean_database, JobState.SUCCEEDED, NOW - DAYS_30 - SECOND)
    kept = _job(clean_database, JobState.SUCCEEDED, NOW - DAYS_30)

    ran = run_periodic(clean_database, settings, {}, clock=lambda: NOW, monotonic=0.0)

    with clean_database.unit_of_work() as session:
        prune_job = session.scalars(sa.select(Job).where(Job.kind == "jobs.prune")).one()
        result = (prune_job.state, prune_job.result)
    assert "jobs.prune" in ran
    assert old not in _ids(clean_database)
    assert kept in _ids(clean_database)
    assert result == (
        JobState.SUCCEEDED,
        {"summary": "Removed 1 job(s) and 0 document(s).", "jobs": 1, "documents": 0},
    )
