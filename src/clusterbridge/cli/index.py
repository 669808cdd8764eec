"""``clusterbridge index``: the shared partner-matching index that every web process reads."""

from datetime import UTC, datetime

import typer

from clusterbridge.cli.common import FormatOption, OutputFormat, database, emit_json, user_errors
from clusterbridge.config import get_settings
from clusterbridge.services.matching.shared import build_matching_index, index_status

app = typer.Typer(
    help="The shared partner-matching index: build it, see its state.", no_args_is_help=True
)


@app.command("build")
def build(output: FormatOption = OutputFormat.TEXT) -> None:
    """Build the shared index (or update it for the organisations that changed) into the cache
    folder, for every web process; nothing when it is up to date."""
    settings = get_settings()
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
