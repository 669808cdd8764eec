"""``clusterbridge jobs``: read, wait for and cancel background jobs, and settle those whose
worker died. The command line is the operator: it sees every job."""

import json
from typing import Annotated, Any

import typer

from clusterbridge.cli.common import EXIT_BAD_INPUT, database, now, user_errors
from clusterbridge.cli.messages import print_error
from clusterbridge.cli.values import seconds_from
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID

app = typer.Typer(
    help="Background jobs: show, wait for, cancel, recover, prune.", no_args_is_help=True
)

JobArgument = Annotated[int, typer.Argument(help="The job's id.", min=1, max=MAX_ID)]
#: The exit status of a job that failed or was cancelled (a job still running: 3).
EXIT_JOB_FAILED = 1
EXIT_STILL_RUNNING = 3


def describe_job(job: Any) -> dict[str, Any]:
    """The job as JSON-ready values (the fields of the API's JobRead)."""
    from clusterbridge.services.jobs import job_title  # noqa: PLC0415 -- slow import

    return {
        "id": job.id,
        "kind": job.kind,
        "title": job_title(job),
        "state": job.state.value,
        "progress": job.progress,
        "progress_note": job.progress_note,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "worker": job.worker,
        "not_before": job.not_before.isoformat() if job.not_before else None,
    }


def print_job(job: Any, *, as_json: bool) -> None:
    """Print the job (JSON, or a few lines) and exit 0 when it succeeded, 1 when it failed or
    was cancelled, 3 while it is not over."""
    values = describe_job(job)
    if as_json:
        typer.echo(json.dumps(values, indent=2, default=str))
    else:
        typer.echo(f"Job {values['id']} ({values['title']}): {values['state']}")
        if values["worker"]:
            typer.echo(f"Last run by worker {values['worker']}")
        if values["result"] and values["result"].get("summary"):
            typer.echo(values["result"]["summary"])
        if values["error"]:
            print_error(values["error"])
        if values["state"] in ("queued", "running"):
            typer.echo(f"{values['progress'] * 100:.0f} % {values['progress_note']}")
    states = {"succeeded": 0, "failed": EXIT_JOB_FAILED, "cancelled": EXIT_JOB_FAILED}
    code = states.get(values["state"], EXIT_STILL_RUNNING)
    if code:
        raise typer.Exit(code)


JsonOption = Annotated[bool, typer.Option("--json", help="Print the job as JSON.")]


@app.command("show")
def show(job_id: JobArgument, as_json: JsonOption = False) -> None:
    """Show a job: its state, progress, and result or error.

    Exit status: 0 succeeded, 1 failed or cancelled, 2 no such job, 3 not over yet.
    """
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db, db.unit_of_work() as session:
        job = jobs.get_visible_job(session, None, job_id)
    print_job(job, as_json=as_json)


@app.command("wait")
def wait(
    job_id: JobArgument,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", parser=seconds_from(0), metavar="SECONDS", help="Seconds to wait at most."
        ),
    ] = 600.0,
    as_json: JsonOption = False,
) -> None:
    """Wait until a job is over, then show it (exit status as for ``jobs show``)."""
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db:

        def read() -> Any:
            with db.unit_of_work() as session:
                return jobs.get_visible_job(session, None, job_id)

        job = jobs.wait_for_job(read, timeout=timeout)
    print_job(job, as_json=as_json)


@app.command("list")
def list_jobs(
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only jobs of this kind (such as mail.send).")
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            help="Only jobs in this state: queued, running, succeeded, failed or cancelled.",
        ),
    ] = None,
) -> None:
    """The 50 newest jobs (of --kind, in --state): id, state, kind, attempts. Exit status 2
    for an unknown kind or state."""
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    with user_errors():
        wanted = _read_filter(kind, state)
    with database() as db, db.unit_of_work() as session:
        for job in jobs.list_visible_jobs(session, None, wanted=wanted):
            typer.echo(
                f"{job.id}\t{job.state.value}\t{job.kind}\t{job.attempts}/{job.max_attempts}"
            )


def _read_filter(kind: str | None, state: str | None) -> Any:
    """The service's filter; its issues name the options (``--kind``, ``--state``)."""
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    try:
        return jobs.read_job_filter(kind=kind, state=state)
    except InvalidInputError as error:
        issues = [InputIssue("", f"--{i.field}", i.reason) for i in error.issues]
        raise InvalidInputError(error.summary, issues) from None


@app.command("cancel")
def cancel(job_id: JobArgument) -> None:
    """Cancel a job: a queued one at once, a running one at its next check (it then writes
    nothing). Exit status 2 when it is already over."""
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db, db.unit_of_work() as session:
        job = jobs.cancel_job(session, None, job_id, now=now())
        typer.echo(
            f"Job {job.id}: {job.state.value}"
            + (" (stopping)" if job.state.value == "running" else "")
        )


@app.command("recover")
def recover(
    resend: Annotated[
        bool,
        typer.Option("--resend-queued", help="Also hand every queued job to the workers again."),
    ] = False,
) -> None:
    """Settle the running jobs whose worker stopped (their lease ran out): retried when that
    is safe, failed otherwise. Workers and the scheduler do this by themselves every minute."""
    from clusterbridge.config import get_settings  # noqa: PLC0415 -- slow import
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db:
        queue = jobs.build_queue(get_settings(), db, now)
        ids = jobs.recover_and_dispatch(db, queue, now=now(), resend_waiting=resend)
    typer.echo(f"Jobs handed to the workers: {len(ids)}.")


@app.command("prune")
def prune(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be removed; remove nothing.")
    ] = False,
) -> None:
    """Remove the jobs that finished long ago (succeeded or cancelled: after
    CLUSTERBRIDGE_JOB_RETENTION_DAYS; failed: after CLUSTERBRIDGE_FAILED_JOB_RETENTION_DAYS) and
    the documents CLUSTERBRIDGE_DOCUMENT_RETENTION_DAYS after their job finished, or whose job
    is gone; print what went. The scheduler does this daily (``jobs.prune``)."""
    from clusterbridge.config import get_settings  # noqa: PLC0415 -- slow import
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db:
        report = jobs.prune(db, get_settings(), now=now(), dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    for (kind, state), count in sorted(report.jobs.items(), key=lambda item: item[0]):
        typer.echo(f"{verb} {count} {state.value} {kind} job(s)")
    for folder in report.documents:
        typer.echo(f"{verb} document folder {folder}")
    typer.echo(report.describe())


def submit_and_follow(submit: Any, *, wait: bool, timeout: float) -> None:
    """Run ``submit(session, dispatch)`` (which queues a job) in a unit of work; then wait for
    the job and print its result's summary (``wait``; a failed job's error exits 2), or print
    its id. Without a broker the job runs in this process when waited for, and is left for
    ``clusterbridge worker`` otherwise."""
    job = submit_and_wait(submit, wait=wait, timeout=timeout)
    if job is None:
        return
    if job.state.value == "succeeded" and job.result and "summary" in job.result:
        typer.echo(job.result["summary"])
        return
    print_job(job, as_json=False)


def submit_and_wait(submit: Any, *, wait: bool, timeout: float, prepare: Any = None) -> Any | None:
    """Queue the job ``submit(session, dispatch)`` makes and, with ``wait``, return it once
    over (a failed job's error is printed and exits 2; one still running after ``timeout`` is
    returned as it is); without, print its id and return None. ``prepare(database)`` runs
    first (to give the jobs run in this process what they need)."""
    from clusterbridge.config import get_settings  # noqa: PLC0415 -- slow import
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    settings = get_settings()
    with user_errors(), database() as db:
        if prepare is not None:
            prepare(db)
        queue = jobs.build_queue(settings, db, now)
        dispatch = queue.dispatch if wait or settings.broker_url else _leave_queued
        with db.unit_of_work() as session:
            job_id = submit(session, dispatch).id
        if not wait:
            typer.echo(f"Job {job_id} queued: clusterbridge jobs wait {job_id}")
            return None

        def read() -> Any:
            with db.unit_of_work() as session:
                return jobs.get_visible_job(session, None, job_id)

        job = jobs.wait_for_job(read, timeout=timeout)
    if job.state.value == "failed":
        print_error(job.error or "")
        raise typer.Exit(EXIT_BAD_INPUT)
    return job


def _leave_queued(_job_id: int) -> None:
    """No broker and no wait: ``clusterbridge worker`` runs the job."""
