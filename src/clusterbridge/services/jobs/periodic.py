"""The scheduler of the embedded mode (`clusterbridge beat` without a broker): submit each
periodic job when its interval has passed and run it in this process. With a broker, Celery
beat submits the same jobs (`broker.create_celery`)."""

from collections.abc import Callable
from datetime import datetime

from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.jobs.jobs import submit_job
from clusterbridge.services.jobs.runner import run_job
from clusterbridge.services.jobs.schedules import PERIODIC


def run_periodic(
    database: Database,
    settings: Settings,
    last: dict[str, float],
    *,
    clock: Callable[[], datetime],
    monotonic: float,
) -> list[str]:
    """Submit and run, one after the other, every periodic job whose interval has passed since
    ``last[kind]`` (a ``monotonic`` time; never run: due); updates ``last``. Returns the kinds
    run. Each job is recorded in the job table like any other."""
    due = [kind for kind, every in PERIODIC.items() if monotonic - last.get(kind, -every) >= every]
    for kind in due:
        with database.unit_of_work() as session:
            job_id = submit_job(session, None, kind, {}, dispatch=lambda _job_id: None).id
        run_job(database, settings, job_id, clock=clock, dispatch=lambda _job_id: None)
        last[kind] = monotonic
    return due
