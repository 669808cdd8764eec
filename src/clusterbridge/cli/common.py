"""What every command shares: error handling, exit codes, output, the catalogue and the clock."""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.core import Context
from typer._click.globals import get_current_context
from typer.core import TyperArgument

from clusterbridge.cli.messages import print_error
from clusterbridge.config import SQLITE_FILE_NAME, Settings, get_settings
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.services.calls.catalogue import Catalogue, load_catalogue
from clusterbridge.services.workbooks import TableFormat

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from clusterbridge.db.session import Database
    from clusterbridge.services.jobs import JobQueue
    from clusterbridge.services.matching.index import MatchIndexCache

#: ``--wait/--no-wait`` of a command that runs a background job.
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait/--no-wait",
        help="Wait for the job and print what it did, or print the job's id at once.",
    ),
]

EXIT_OK = 0
EXIT_NOT_ELIGIBLE = 1
EXIT_BAD_INPUT = 2

#: The most days ahead a daily reminder (``--days-before``) looks: a year.
MAX_DAYS_BEFORE = 365


class OutputFormat(StrEnum):
    """Formats of listings."""

    TEXT = "text"
    JSON = "json"


CallsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--calls-dir",
        help="A folder of extra call files (*.toml); default: $CLUSTERBRIDGE_CALLS_DIR.",
        show_default=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a user's mistake (bad file, unknown call...) to stderr and exit with status 2."""
    try:
        yield
    except InvalidInputError as error:
        print_error(_as_typed(error))
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except DomainError as error:
        print_error(str(error))
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _as_typed(error: InvalidInputError) -> str:
    """``error`` with each issue about a parameter of the running command named as the user
    typed it (``--region-category``, ``PIC``) instead of by the service's field
    (``region_category``); the issues in a file keep their location."""
    names = _parameter_names(get_current_context(silent=True))
    issues = [
        InputIssue("", names[issue.field], issue.reason)
        if not issue.location and issue.field in names
        else issue
        for issue in error.issues
    ]
    return InvalidInputError(error.summary, issues).render()


def _parameter_names(context: Context | None) -> dict[str, str]:
    """The options (``--top``) and arguments (``PIC``) of the command running in ``context``,
    by the parameter's name and by the option's name in snake case (``call_id`` and ``call``
    for ``--call``)."""
    if context is None:
        return {}
    names: dict[str, str] = {}
    for param in context.command.params:
        if isinstance(param, TyperArgument):
            names[param.name or ""] = param.display_name_raw
            continue
        long = [opt for opt in param.opts if opt.startswith("--")]
        if long:
            names[param.name or ""] = long[0]
            names[long[0][2:].replace("-", "_")] = long[0]
    return names


def existing_file(
    context: typer.Context, param: typer.CallbackParam, path: Path | None
) -> Path | None:
    """The callback of a file the command reads: ``path`` when it is a file, else the
    parameter as typed and the reason (``FILE: no such file: 99``) and exit status 2."""
    if path is None or path.is_file():
        return path
    reason = f"{path} is a folder, not a file" if path.is_dir() else f"no such file: {path}"
    print_error(f"{_parameter_names(context).get(param.name or '')}: {reason}")
    raise typer.Exit(EXIT_BAD_INPUT)


def open_catalogue(calls_dir: Path | None) -> Catalogue:
    """The shipped calls plus the user's folder (option first, then the setting)."""
    folder = calls_dir or get_settings().calls_dir
    return load_catalogue([folder] if folder else [])


def open_calls_catalogue(calls_dir: Path | None) -> Catalogue:
    """The whole catalogue: the call files (`open_catalogue`) with the published calls written
    in the app, read from the configured database. Without a database (no URL set and no
    SQLite file created yet) nobody has written a call: the files alone, and no database is
    created or loaded."""
    files = open_catalogue(calls_dir)
    if not has_database(get_settings()):
        return files
    with database() as db, db.unit_of_work() as session:
        return catalogue_in(session, files)


def catalogue_in(session: "Session", files: Catalogue) -> Catalogue:
    """``files`` with the published calls written in the app, read in ``session``."""
    from clusterbridge.services.selection.calls import catalogue_with_calls  # noqa: PLC0415 -- slow import

    return catalogue_with_calls(session, files)


def has_database(settings: Settings) -> bool:
    """Whether there is a database to read: a configured URL, or the default SQLite file
    already created in the data directory."""
    return bool(settings.database_url) or (settings.data_dir / SQLITE_FILE_NAME).exists()


@contextmanager
def database(*, upgrade: bool = True) -> Iterator["Database"]:
    """The configured database, migrated to the newest schema unless ``upgrade`` is false;
    its connections are closed when the block ends. The mail a command queues (ADR 0035) goes
    to the broker's workers, or without a broker is sent by this process after the commit."""
    # SQLAlchemy and Alembic load only for the commands that open the database.
    from clusterbridge.services.database import open_database  # noqa: PLC0415 -- slow import

    settings = get_settings()
    try:
        db = open_database(settings, upgrade=upgrade)
    except DomainError as error:
        # A database this version cannot migrate (a newer version's, a refused migration).
        print_error(str(error))
        raise typer.Exit(EXIT_BAD_INPUT) from None
    queues: list[JobQueue] = []

    def dispatch(job_id: int) -> None:
        # The queue, and the task registry it imports (the builder, the documents: about 1 s),
        # load only once a command has queued a message.
        if not queues:
            from clusterbridge.services.jobs import build_queue  # noqa: PLC0415 -- slow import

            queues.append(build_queue(settings, db, now))
        queues[0].dispatch_short(job_id)

    try:
        yield db.with_dispatch(dispatch)
    finally:
        for queue in queues:
            queue.close()
        db.dispose()


def match_index_cache() -> "MatchIndexCache":
    """A matching index cache that keeps the index in the configured cache folder, so that the
    next command reads it instead of building it (while the registry is unchanged)."""
    # NumPy, SciPy and scikit-learn load only for the commands that match partners.
    from clusterbridge.services.matching.index import configured_cache  # noqa: PLC0415 -- slow import

    return configured_cache(get_settings())


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def today(moment: datetime | None = None) -> date:
    """The site's calendar date at ``moment`` (default: now) in the configured time zone."""
    return get_settings().today(moment or now())


def emit_json(data: Any) -> None:
    """Print ``data`` as indented JSON."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def require_output_file(output: Path | None, *, what: str) -> None:
    """Exit with 2 unless ``output`` is given: ``what`` (e.g. "an XLSX file") is binary, so it
    is written to a file, as the commands writing workbooks or PDFs always ask for one."""
    if output is None:
        print_error(f"--output: {what} must be written to a file; give --output FILE")
        raise typer.Exit(EXIT_BAD_INPUT)


def output_file(
    context: typer.Context, param: typer.CallbackParam, path: Path | None
) -> Path | None:
    """The callback of a file the command writes: ``path`` when its folder exists and it is
    not a folder itself, else the parameter as typed and the reason (``--out: cannot write
    x.pdf: the folder out does not exist``) and exit status 2, before any work is done."""
    if path is None:
        return path
    reason = _unwritable_reason(path)
    if reason is not None:
        _refuse_output(_parameter_names(context).get(param.name or "", ""), path, reason)
    return path


#: The format of a table a command writes (``--format csv|xlsx``).
TableFormatOption = Annotated[TableFormat, typer.Option("--format", help="The file format.")]
#: The file a table is written to (``--output``, checked by ``output_file``); XLSX needs one.
TableOutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        callback=output_file,
        help="Write to this file instead of stdout (required for xlsx).",
        show_default=False,
    ),
]


def _unwritable_reason(path: Path) -> str | None:
    """Why ``path`` cannot be written before trying: a missing folder (never created, so a
    typo does not leave a tree of folders behind) or a folder in its place; else None."""
    folder = path.parent
    try:
        if not folder.is_dir():
            return (
                f"{folder} is a file, not a folder"
                if folder.exists()
                else f"the folder {folder} does not exist"
            )
        if path.is_dir():
            return f"{path} is a folder"
    except OSError as error:
        return error.strerror or str(error)
    return None


def _refuse_output(option: str, path: Path, reason: str) -> NoReturn:
    print_error(f"{option}: cannot write {path}: {reason}")
    raise typer.Exit(EXIT_BAD_INPUT)


def write_file(content: str | bytes, path: Path, *, option: str) -> None:
    """Write ``content`` to ``path`` (text as UTF-8), overwriting it; the one place where the
    commands write a file. A missing folder, a folder in the file's place or a file the system
    refuses (``/proc/x.pdf``, a read-only disk, no permission) exits with status 2 and
    ``Error: <option>: cannot write <path>: <reason>``; a file that was not there before is
    removed again when the write fails half-way."""
    reason = _unwritable_reason(path)
    if reason is not None:
        _refuse_output(option, path, reason)
    data = content.encode("utf-8") if isinstance(content, str) else content
    existed = _exists(path)
    try:
        with path.open("wb") as file:
            file.write(data)
    except OSError as error:
        if not existed:
            with suppress(OSError):
                path.unlink(missing_ok=True)
        _refuse_output(option, path, error.strerror or str(error))


def _exists(path: Path) -> bool:
    """Whether there is anything at ``path`` (a dangling link too); True when that cannot be
    told, so that a failed write never removes what it did not create."""
    try:
        return path.exists() or path.is_symlink()
    except OSError:
        return True


def write_output(content: str | bytes, output: Path | None, *, option: str = "--output") -> None:
    """Write ``content`` to ``output`` (`write_file`), or to stdout when no path is given."""
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            typer.echo(content, nl=False)
        return
    write_file(content, output, option=option)
    typer.echo(f"Written to {output}", err=True)
