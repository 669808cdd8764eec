"""The Celery side of the task queue (the ``queue`` extra; ADR 0027): the Celery application
with its one task (run a job by id), the queue that sends jobs to it, and the periodic jobs
its scheduler (beat) submits.

Celery only carries job ids: the job table is the truth about every job, so a lost message or
a dead worker is settled by the lease (`runner.recover_stale_jobs`), not by the broker.
"""

import logging
from datetime import UTC, datetime
from functools import cache
from typing import Any

from celery import Celery, signals

from clusterbridge.config import Settings, get_settings
from clusterbridge.db.session import Database
from clusterbridge.services.jobs.jobs import submit_job
from clusterbridge.services.jobs.queue import recover_and_dispatch
from clusterbridge.services.jobs.runner import run_job
from clusterbridge.services.jobs.schedules import PERIODIC, RECOVER_EVERY_SECONDS

logger = logging.getLogger(__name__)

#: The name of the Celery task that runs a job.
RUN_JOB = "clusterbridge.run_job"
SUBMIT_PERIODIC = "clusterbridge.submit_periodic"
RECOVER = "clusterbridge.recover_jobs"


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class CeleryQueue:
    """Sends jobs to the Celery workers of the configured broker."""

    def __init__(self, settings: Settings) -> None:
        self._app = create_celery(settings)

    def dispatch(self, job_id: int) -> None:
        """Put the job's id on the broker for a worker."""
        self._app.send_task(RUN_JOB, args=[job_id])

    def dispatch_short(self, job_id: int) -> None:
        """A short job (e-mail) goes to the workers like any other."""
        self.dispatch(job_id)

    def dispatch_at(self, job_id: int, not_before: datetime) -> None:
        """Put the job's id on the broker with Celery's ``eta``: a worker receives it at once
        and runs it once ``not_before`` has passed (the claim refuses it before). A wait longer
        than Redis's visibility timeout (one hour; the default cap is 15 min) has the message
        delivered again: the job still runs once (`repository.claim_job`)."""
        self._app.send_task(RUN_JOB, args=[job_id], eta=not_before)

    def close(self) -> None:
        """Nothing runs here: the workers have the jobs."""


def create_celery(settings: Settings) -> Celery:
    """The Celery application of ``settings``' broker, with the job task and the beat
    schedule of the periodic jobs."""
    app = Celery("clusterbridge", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_ignore_result=True,
        task_default_queue=settings.queue_name,
        # The job table keeps state; a message is taken off the broker when a worker starts it.
        task_acks_late=False,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
        beat_schedule={
            **{
                f"periodic-{kind}": {
                    "task": SUBMIT_PERIODIC,
                    "schedule": seconds,
                    "args": [kind],
                }
                for kind, seconds in PERIODIC.items()
            },
            "recover-jobs": {"task": RECOVER, "schedule": float(RECOVER_EVERY_SECONDS)},
        },
    )
    app.task(name=RUN_JOB)(_run_job_task)
    app.task(name=SUBMIT_PERIODIC)(_submit_periodic_task)
    app.task(name=RECOVER)(_recover_task)
    return app


@cache
def _worker_database() -> Database:
    # The tasks' sessions send the messages they queue to the workers.
    database = Database.connect(get_settings().resolved_database_url())
    return database.with_dispatch(lambda job_id: _queue().dispatch(job_id))


@cache
def _queue() -> CeleryQueue:
    return CeleryQueue(get_settings())


def _run_job_task(job_id: int) -> None:
    settings = get_settings()
    queue = _queue()
    run_job(
        _worker_database(),
        settings,
        job_id,
        clock=utc_now,
        dispatch=queue.dispatch,
        dispatch_at=queue.dispatch_at,
    )


def _submit_periodic_task(kind: str) -> None:
    queue = _queue()
    with _worker_database().unit_of_work() as session:
        submit_job(session, None, kind, {}, dispatch=queue.dispatch)


def _recover_task() -> None:
    recover_and_dispatch(_worker_database(), _queue(), now=utc_now())


@signals.worker_ready.connect  # type: ignore[untyped-decorator]
def _recover_at_start(**_kwargs: Any) -> None:
    """A worker that starts settles the jobs of workers that died before it. Its own database
    connection is closed again: pool processes forked later must not share it."""
    database = Database.connect(get_settings().resolved_database_url())
    try:
        recover_and_dispatch(database, _queue(), now=utc_now())
    except Exception:
        logger.exception("Could not recover the jobs of stopped workers")
    finally:
        database.dispose()
