"""``clusterbridge serve``: the web application and the API."""

import ctypes
import errno
import os
import socket
from typing import Annotated

import typer
import uvicorn
from uvicorn.supervisors import Multiprocess

from clusterbridge.cli.common import EXIT_BAD_INPUT, user_errors
from clusterbridge.cli.messages import print_error
from clusterbridge.config import Settings, get_settings
from clusterbridge.services.database import open_database
from clusterbridge.web.app import build_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

HostOption = Annotated[str, typer.Option("--host", help="The address to listen on.")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")]
#: The most web processes one ``serve`` starts.
MAX_WORKERS = 64
WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        min=1,
        max=MAX_WORKERS,
        help="Web processes sharing the port, the database and the matching index.",
    ),
]
#: glibc's allocator settings for web processes (an administrator's own values win): two
#: arenas instead of eight per core, and a fixed threshold above which blocks are mapped and
#: given back when freed. With glibc's defaults a process kept 150 MB more after a request
#: mix (449 MB of its own instead of 302 MB, same throughput; benchmarks/bench_load.py).
ALLOCATOR_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "131072"}
#: ``mallopt`` parameters (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
#: The application factory each web process of ``--workers`` imports and calls.
APP_FACTORY = "clusterbridge.web.app:app_from_environment"
#: The variable of the ``public_url`` setting, which the web processes of ``--workers`` read.
PUBLIC_URL_VARIABLE = "CLUSTERBRIDGE_PUBLIC_URL"
#: Addresses that listen on every interface, and the one of this machine links use instead.
WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104 -- compared, not bound


def serve(
    host: HostOption = DEFAULT_HOST, port: PortOption = DEFAULT_PORT, workers: WorkersOption = 1
) -> None:
    """Serve the web application and the API on the configured database (migrated first)."""
    listener = bind(host, port)
    limit_allocator_retention()
    if workers > 1:
        refuse_per_process_limits(get_settings(), workers)
    settings = served_settings(get_settings(), host=host, port=port)
    if workers == 1:
        with user_errors():
            app = build_app(settings)
        run(app, listener, host=host, port=port)
        return
    with user_errors():
        # Migrated once here, so that the web processes start on the newest schema together.
        open_database(settings).dispose()
    run_workers(listener, workers=workers, host=host, port=port)


def limit_allocator_retention() -> None:
    """Apply ``ALLOCATOR_ENVIRONMENT`` to this process (``mallopt``, before the request threads
    start) and, through the environment, to the web processes of ``--workers``. A value the
    environment already sets is kept (glibc read it at start); without glibc nothing is done."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return
    parameters = {"MALLOC_ARENA_MAX": _M_ARENA_MAX, "MALLOC_MMAP_THRESHOLD_": _M_MMAP_THRESHOLD}
    for name, value in ALLOCATOR_ENVIRONMENT.items():
        if name in os.environ:
            continue
        os.environ[name] = value
        mallopt(parameters[name], int(value))


def refuse_per_process_limits(settings: Settings, workers: int) -> None:
    """Exit with code 2 when several web processes would each count sign-in attempts in their
    own memory (an attacker would get ``workers`` times the allowed guesses)."""
    if settings.rate_limit_storage.startswith("memory://"):
        print_error(
            f"--workers {workers} needs a shared store for sign-in limits; set "
            "CLUSTERBRIDGE_RATE_LIMIT_STORAGE (e.g. redis://127.0.0.1:6379/0), "
            "see docs/admin/deployment.md."
        )
        raise typer.Exit(EXIT_BAD_INPUT)


def served_settings(settings: Settings, *, host: str, port: int) -> Settings:
    """``settings`` whose ``public_url`` (the start of links in mails) is the address served on
    when none is configured, which is then printed; the environment gets it too, for the web
    processes of ``--workers``. A configured one is kept."""
    if "public_url" in settings.model_fields_set:
        return settings
    address = WILDCARD_HOSTS.get(host, host)
    url = f"http://[{address}]:{port}" if ":" in address else f"http://{address}:{port}"
    os.environ[PUBLIC_URL_VARIABLE] = url
    typer.echo(
        f"Links in e-mails point to {url} (set {PUBLIC_URL_VARIABLE} to the address users reach)."
    )
    return settings.model_copy(update={"public_url": url})


def bind(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``; a port already taken (or an address that cannot
    be used) is a clear error with exit code 2, before anything else is done."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = f"port {port} is already in use by another program"
            hint = "stop that program or choose another port with --port (e.g. --port 8001)"
        else:
            reason = error.strerror or str(error)
            hint = "check --host and --port"
        print_error(f"cannot listen on {host}:{port}: {reason}; {hint}.")
        raise typer.Exit(2) from error


def run(app: object, listener: socket.socket, *, host: str, port: int) -> None:
    """Serve ``app`` on ``listener`` (bound by ``bind``) until interrupted; its address is
    printed once the socket is bound, so the line is never shown for a server that cannot start."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))  # type: ignore[arg-type]
    typer.echo(f"clusterbridge is running on http://{host}:{port}  (press Ctrl+C to stop)")
    server.run(sockets=[listener])


def run_workers(listener: socket.socket, *, workers: int, host: str, port: int) -> None:
    """Serve with ``workers`` processes accepting on ``listener`` (uvicorn's supervisor, which
    restarts a process that dies) until interrupted; each builds the app from the settings of
    the environment (``APP_FACTORY``)."""
    config = uvicorn.Config(APP_FACTORY, factory=True, workers=workers, log_level="warning")
    typer.echo(
        f"clusterbridge is running on http://{host}:{port} with {workers} web processes  "
        "(press Ctrl+C to stop)"
    )
    Multiprocess(config, sockets=[listener]).run()
