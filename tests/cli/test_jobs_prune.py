"""``clusterbridge jobs prune [--dry-run]``: what it removes (or would), at the current time."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.db.models import Job
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState
from tests.cli.conftest import Invoke
from tests.factories.jobs import make_job

pytestmark = [pytest.mark.e2e, pytest.mark.db]


def _job(database: Database, state: JobState, age: timedelta, kind: str = "mail.send") -> int:
    with database.unit_of_work() as session:
        job = make_job(session, owner=None, kind=kind, state=state)
        job.finished_at = datetime.now(UTC) - age
        job.created_at = job.started_at = job.finished_at - timedelta(minutes=1)
        return job.id


def test_prune_prints_what_it_would_remove_then_removes_it(
    invoke: Invoke, cli_database: Database, data_dir: Path
) -> None:
    month, day = timedelta(days=31), timedelta(days=1)
    old_mail = _job(cli_database, JobState.SUCCEEDED, month)
    young_mail = _job(cli_database, JobState.SUCCEEDED, day)
    failed = _job(cli_database, JobState.FAILED, month)
    document = _job(cli_database, JobState.SUCCEEDED, timedelta(days=8), kind="reports.render")
    folder = data_dir / "cache" / "documents" / f"job-{document}"
    folder.mkdir(parents=True)
    (folder / "summary-1.pdf").write_bytes(b"%PDF-1.7")

    dry = invoke("jobs", "prune", "--dry-run")
    with cli_database.unit_of_work() as session:
        after_dry = list(session.scalars(sa.select(Job.id).order_by(Job.id)))
    real = invoke("jobs", "prune")
    again = invoke("jobs", "prune")
    with cli_database.unit_of_work() as session:
        left = list(session.scalars(sa.select(Job.id).order_by(Job.id)))

    assert (dry.exit_code, dry.stdout) == (
        0,
        "Would remove 1 succeeded mail.send job(s)\n"
        f"Would remove document folder {folder}\n"
        "Would remove 1 job(s) and 1 document(s).\n",
    )
    assert after_dry == [old_mail, young_mail, failed, document]
    assert (real.exit_code, real.stdout) == (
        0,
        "Removed 1 succeeded mail.send job(s)\n"
        f"Removed document folder {folder}\n"
        "Removed 1 job(s) and 1 document(s).\n",
    )
    assert left == [young_mail, failed, document]
    assert not folder.exists()
    assert (again.exit_code, again.stdout) == (0, "Removed 0 job(s) and 0 document(s).\n")
