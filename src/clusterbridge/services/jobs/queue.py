"""Where jobs are handed to be run: `EmbeddedQueue` runs them in threads of this process (the
default, so that `make demo` needs no service); with a broker configured, `broker.CeleryQueue`
sends them to Celery workers, possibly on other machines (ADR 0027)."""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Protocol

from clusterbridge.config import Settings
from clusterbridge.db.repositories import jobs as repository
from clusterbridge.db.session import Database
from clusterbridge.domain.errors import MissingDependencyError
from clusterbridge.services.jobs.runner import recover_stale_jobs, run_job
from clusterbridge.services.jobs.schedules import RECOVER_EVERY_SECONDS

logger = logging.getLogger(__name__)

#: Queued jobs `run_queued` takes in one pass.
BATCH = 100


class JobQueue(Protocol):
    """Hands a committed, queued job to whatever runs jobs."""

    def dispatch(self, job_id: int) -> None:
        """Have job ``job_id`` run (now or soon); returns at once."""

    def dispatch_short(self, job_id: int) -> None:
        """Have a short job (a message of the mail outbox) run as soon as possible."""

    def close(self) -> None:
        """Let the jobs handed over in this process finish."""


class EmbeddedQueue:
    """Runs jobs in a small pool of threads of this process; short ones (e-mail) at once in
    the thread that hands them over."""

    def __init__(
        self, database: Database, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        # The tasks' own sessions hand their messages over to this queue.
        self._database = database.with_dispatch(self.dispatch_short)
        self._settings, self._clock = settings, clock
        self._pool = ThreadPoolExecutor(
            settings.embedded_job_threads, thread_name_prefix="clusterbridge-job"
        )

    def dispatch(self, job_id: int) -> None:
        """Run the job in a thread of the pool (after those handed over before it)."""
        self._pool.submit(self._run, job_id)

    def dispatch_short(self, job_id: int) -> None:
        """Run a short job now in this thread (after the commit that queued it, as the mail of
        a request always went): it never waits behind a long solve in the pool. A failed
        attempt is retried in the pool."""
        self._run(job_id)

    def _run(self, job_id: int) -> None:
        try:
            run_job(
                self._database, self._settings, job_id, clock=self._clock, dispatch=self.dispatch
            )
        except Exception:
            logger.exception("Job %s could not be run", job_id)

    def close(self) -> None:
        """Wait for the running jobs and stop the threads."""
        self._pool.shutdown(wait=True, cancel_futures=False)

    def start_recovery(self, *, every: float = RECOVER_EVERY_SECONDS) -> threading.Thread:
        """Start a daemon thread that, now and then every ``every`` seconds, settles the jobs
        whose worker died (another process of the site, or an earlier run of this one) and
        hands over again the jobs queued for more than a lease that nobody started (their
        process stopped before running them). For the application's own process (`serve`)."""

        def recover() -> None:
            while True:
                try:
                    self._recover_once()
                except Exception:
                    logger.exception("Could not recover the abandoned jobs")
                time.sleep(every)

        thread = threading.Thread(target=recover, name="clusterbridge-job-recovery", daemon=True)
        thread.start()
        return thread

    def _recover_once(self) -> None:
        now = self._clock()
        recover_and_dispatch(self._database, self, now=now)
        waiting_since = now - timedelta(seconds=self._settings.job_lease_seconds)
        with self._database.unit_of_work() as session:
            ids = repository.list_queued_ids(session, limit=BATCH, created_before=waiting_since)
        for job_id in ids:
            self.dispatch(job_id)


def build_queue(settings: Settings, database: Database, clock: Callable[[], datetime]) -> JobQueue:
    """Celery (`broker.CeleryQueue`) when ``broker_url`` is set, else an `EmbeddedQueue`.
    MissingDependencyError (501) when a broker is set without the ``queue`` extra."""
    if not settings.broker_url:
        return EmbeddedQueue(database, settings, clock)
    try:
        from clusterbridge.services.jobs.broker import CeleryQueue  # noqa: PLC0415 -- optional dependency
    except ImportError as error:
        raise MissingDependencyError(
            f"A broker is configured but Celery is not installed: pip install 'clusterbridge[queue]' ({error})"
        ) from None
    return CeleryQueue(settings)


def recover_and_dispatch(
    database: Database, queue: JobQueue, *, now: datetime, resend_waiting: bool = False
) -> list[int]:
    """Settle the jobs whose worker died (`recover_stale_jobs`) and dispatch those queued again;
    with ``resend_waiting``, also dispatch again the jobs queued before ``now`` (a message the
    broker lost; a job dispatched twice still runs once). Returns the ids dispatched."""
    with database.unit_of_work() as session:
        ids = [job.id for job in recover_stale_jobs(session, now=now)]
        if resend_waiting:
            ids += [
                key for key in repository.list_queued_ids(session, limit=BATCH) if key not in ids
            ]
    for job_id in ids:
        queue.dispatch(job_id)
    return ids


def run_queued(database: Database, settings: Settings, *, clock: Callable[[], datetime]) -> int:
    """Run every queued job in this thread, oldest first (the embedded worker: `clusterbridge
    worker` without a broker); returns how many it ran. A job a failed attempt queues again,
    and the mail the jobs queue, are picked up by the next pass."""
    with database.unit_of_work() as session:
        ids = repository.list_queued_ids(session, limit=BATCH)
    ran = 0
    for job_id in ids:
        state = run_job(database, settings, job_id, clock=clock, dispatch=lambda _job_id: None)
        ran += state is not None
    return ran
