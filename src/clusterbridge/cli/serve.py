"""``clusterbridge serve``: the web application and the API."""

import errno
import socket
from typing import Annotated

import typer
import uvicorn

from clusterbridge.cli.common import user_errors
from clusterbridge.config import get_settings
from clusterbridge.web.app import build_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

HostOption = Annotated[str, typer.Option("--host", help="The address to listen on.")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")]


def serve(host: HostOption = DEFAULT_HOST, port: PortOption = DEFAULT_PORT) -> None:
    """Serve the web application and the API on the configured database (migrated first)."""
    listener = bind(host, port)
    with user_errors():
        app = build_app(get_settings())
    run(app, listener, host=host, port=port)


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
        typer.echo(f"Error: cannot listen on {host}:{port}: {reason}; {hint}.", err=True)
        raise typer.Exit(2) from error


def run(app: object, listener: socket.socket, *, host: str, port: int) -> None:
    """Serve ``app`` on ``listener`` (bound by ``bind``) until interrupted; its address is
    printed once the socket is bound, so the line is never shown for a server that cannot start."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))  # type: ignore[arg-type]
    typer.echo(f"clusterbridge is running on http://{host}:{port}  (press Ctrl+C to stop)")
    server.run(sockets=[listener])
