"""``clusterbridge index``: the shared partner-matching index that every web process reads."""

from datetime import UTC, datetime
from typing import Annotated

import typer

from clusterbridge.cli.common import (
    FormatOption,
    OutputFormat,
    database,
    emit_json,
    now,
    user_errors,
)
from clusterbridge.config import get_settings
from clusterbridge.services.matching.shared import build_matching_index, index_status

app = typer.Typer(
    help="The shared partner-matching index: build it, see its state.", no_args_is_help=True
)


@app.command("build")
def build(
    output: FormatOption = OutputFormat.TEXT,
    no_wait: Annotated[
        bool,
        typer.Option(
            "--no-wait",
            help="Queue an index.build job for the workers and print its id (none is queued "
            "while one is queued or running).",
        ),
    ] = False,
) -> None:
    """Build the shared index (or update it for the organisations that changed) into the cache
    folder, for every web process; nothing when it is up to date. Runs here, unless
    --no-wait hands it to the workers as a job."""
    settings = get_settings()
    if no_wait:
        _queue_build()
        return
    with user_errors(), database() as db:
        done = build_matching_index(db, settings)
    if output is OutputFormat.JSON:
        emit_json(
            {
                "action": done.action,
                "version": done.version,
                "organisations": done.organisations,
                "seconds": round(done.seconds, 3),
            }
        )
        return
    if done.action == "busy":
        typer.echo("Another build of the index is running; nothing done.")
        return
    verb = {"read": "is up to date", "updated": "updated", "built": "built"}[done.action]
    typer.echo(
        f"Partner-matching index {verb}: {done.organisations:,} organisations, "
        f"version {done.version} ({done.seconds:.1f} s)."
    )


def _queue_build() -> None:
    """Queue an ``index.build`` job: for the broker's workers, or without a broker for
    ``clusterbridge worker``."""
    from clusterbridge.services import jobs  # noqa: PLC0415 -- slow import

    settings = get_settings()
    with user_errors(), database() as db:
        queue = jobs.build_queue(settings, db, now) if settings.broker_url else None
        with db.unit_of_work() as session:
            job = jobs.submit_index_build(session, dispatch=queue.dispatch if queue else _leave)
            job_id = None if job is None else job.id
    if job_id is None:
        typer.echo("An index build is already queued or running; nothing queued.")
        return
    typer.echo(f"Job {job_id} queued: clusterbridge jobs wait {job_id}")


def _leave(_job_id: int) -> None:
    """No broker: ``clusterbridge worker`` runs the job."""


@app.command("status")
def status(output: FormatOption = OutputFormat.TEXT) -> None:
    """Show the shared index's current version: when it was made, its size, whether a build
    is running."""
    manifest = index_status(get_settings())
    if output is OutputFormat.JSON:
        emit_json(manifest)
        return
    if manifest is None:
        typer.echo("No partner-matching index has been built yet (run: clusterbridge index build).")
        return
    made = datetime.fromtimestamp(manifest["created"], UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    building = " A build is running." if manifest["building"] else ""
    typer.echo(
        f"Version {manifest['version']}, made {made}: {manifest['organisations']:,} organisations, "
        f"{manifest['array_bytes'] / 1e6:.0f} MB of arrays (memory-mapped).{building}"
    )
