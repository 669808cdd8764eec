"""``clusterbridge worker`` and ``clusterbridge beat``: run background jobs and submit the
periodic ones. With ``CLUSTERBRIDGE_BROKER_URL`` set they start a Celery worker and Celery
beat; without it, they run the jobs queued in the database in this process (ADR 0027)."""

import time
from typing import Annotated

import typer

from clusterbridge.cli.common import database, now
from clusterbridge.config import get_settings
from clusterbridge.domain.numbers import STORAGE_MAX

#: Seconds the embedded worker and scheduler sleep between two passes.
POLL_SECONDS = 1.0

OnceOption = Annotated[
    bool,
    typer.Option("--once", help="Without a broker: do what is due now, then stop (for cron)."),
]


def worker(
    pool: Annotated[
        str,
        typer.Option(
            "--pool",
            help="Celery's pool: threads, solo or prefork. Not prefork for schedule solves: the "
            "solver starts processes of its own, which prefork's daemonic processes may not.",
        ),
    ] = "threads",
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", min=1, max=STORAGE_MAX, help="Jobs run at once (Celery)."),
    ] = 2,
    loglevel: Annotated[str, typer.Option("--loglevel", help="Celery's log level.")] = "info",
    once: OnceOption = False,
) -> None:
    """Run background jobs (a Celery worker when a broker is configured).

    Without a broker, runs the jobs queued in the database, oldest first, and settles those
    of workers that died.
    """
    settings = get_settings()
    if settings.broker_url:
        from clusterbridge.services.jobs.broker import create_celery  # noqa: PLC0415 -- optional dependency

        arguments = ["worker", f"--pool={pool}", f"--concurrency={concurrency}"]
        create_celery(settings).worker_main([*arguments, f"--loglevel={loglevel}"])
        return
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    with database() as db:
        queue = jobs.build_queue(settings, db, now)
        while True:
            jobs.recover_and_dispatch(db, queue, now=now())
            ran = jobs.run_queued(db, settings, clock=now)
            if once:
                typer.echo(f"Jobs run: {ran}.")
                return
            if not ran:
                time.sleep(POLL_SECONDS)


def beat(once: OnceOption = False) -> None:
    """Submit the periodic jobs (Celery beat when a broker is configured).

    Follow-ups and label reminders daily, the recovery of jobs whose worker died every minute.
    Without a broker, this process also runs them.
    """
    settings = get_settings()
    if settings.broker_url:
        from clusterbridge.services.jobs.broker import create_celery  # noqa: PLC0415 -- optional dependency

        create_celery(settings).Beat(loglevel="INFO").run()
        return
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import
    from clusterbridge.services.jobs.periodic import run_periodic  # noqa: PLC0415 -- slow import

    with database() as db:
        queue = jobs.build_queue(settings, db, now)
        last: dict[str, float] = {}
        while True:
            jobs.recover_and_dispatch(db, queue, now=now())
            ran = run_periodic(db, settings, last, clock=now, monotonic=time.monotonic())
            for kind in ran:
                typer.echo(f"Submitted and ran {kind}")
            if once:
                return
            time.sleep(POLL_SECONDS)
