"""``clusterbridge serve``: the web application and the API."""

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
    with user_errors():
        app = build_app(get_settings())
    run(app, host=host, port=port)


def run(app: object, *, host: str, port: int) -> None:
    """Serve ``app`` until interrupted, after printing its address."""
    typer.echo(f"clusterbridge is running on http://{host}:{port}  (press Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")  # type: ignore[arg-type]
