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

    def dispatch_at(self, job_id: int, not_before: datetime) -> None:
        """Have job ``job_id`` run once ``not_before`` has passed (a retry's back-off)."""

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
        self._timers: set[threading.Timer] = set()
        self._timers_lock = threading.Lock()

    def dispatch(self, job_id: int) -> None:
        """Run the job in a thread of the pool (after those handed over before it)."""
        self._pool.submit(self._run, job_id)

    def dispatch_short(self, job_id: int) -> None:
        """Run a short job now in this thread (after the commit that queued it, as the mail of
        a request always went): it never waits behind a long solve in the pool. A failed
        attempt is retried in the pool."""
        self._run(job_id)

    def dispatch_at(self, job_id: int, not_before: datetime) -> None:
        """Run the job in the pool once ``not_before`` (by this queue's clock) has passed: a
        timer thread waits until then. A job whose timer this process did not live to fire
        stays queued for the recovery (`start_recovery`, `clusterbridge worker`)."""
        wait = (not_before - self._clock()).total_seconds()
        if wait <= 0:
            self.dispatch(job_id)
            return
        timer = threading.Timer(wait, self._dispatch_timed, args=(job_id,))
        timer.daemon = True
        with self._timers_lock:
            self._timers.add(timer)
        timer.start()

    def _dispatch_timed(self, job_id: int) -> None:
        with self._timers_lock:
            self._timers.difference_update(
                {timer for timer in self._timers if timer.finished.is_set()}
            )
        try:
            self.dispatch(job_id)
        except RuntimeError:  # the pool was shut down: the job waits in the table
            logger.info("Job %s: its retry is left to the recovery", job_id)

    def _run(self, job_id: int) -> None:
        try:
            run_job(
                self._database,
                self._settings,
                job_id,
                clock=self._clock,
                dispatch=self.dispatch,
                dispatch_at=self.dispatch_at,
            )
        except Exception:
            logger.exception("Job %s could not be run", job_id)

    def close(self) -> None:
        """Wait for the running jobs and stop the threads; the retries still waiting for their
        time stay queued in the table (for the recovery of the next process)."""
        with self._timers_lock:
            timers, self._timers = self._timers, set()
        for timer in timers:
            timer.cancel()
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
            ids = repository.list_queued_ids(
                session, limit=BATCH, due_at=now, created_before=waiting_since
            )
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
    with ``resend_waiting``, also dispatch again the queued jobs due at ``now`` (a message the
    broker lost; a job dispatched twice still runs once; a retry still waiting for its back-off
    is left to the message that carries its time). Returns the ids dispatched."""
    with database.unit_of_work() as session:
        ids = [job.id for job in recover_stale_jobs(session, now=now)]
        if resend_waiting:
            ids += [
                key
                for key in repository.list_queued_ids(session, limit=BATCH, due_at=now)
                if key not in ids
            ]
    for job_id in ids:
        queue.dispatch(job_id)
    return ids


def run_queued(database: Database, settings: Settings, *, clock: Callable[[], datetime]) -> int:
    """Run every queued job in this thread, oldest first (the embedded worker: `clusterbridge
    worker` without a broker); returns how many it ran. A job a failed attempt queues again
    is picked up by the first pass after its back-off, and the mail the jobs queue by the
    next pass."""
    with database.unit_of_work() as session:
        ids = repository.list_queued_ids(session, limit=BATCH, due_at=clock())
    ran = 0
    for job_id in ids:
        state = run_job(database, settings, job_id, clock=clock, dispatch=lambda _job_id: None)
        ran += state is not None
    return ran
