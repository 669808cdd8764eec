"""The app factory the search benchmark serves with ``uvicorn --factory`` (settings from the
environment, as ``clusterbridge serve`` does)."""

from fastapi import FastAPI

from clusterbridge.config import get_settings
from clusterbridge.web.app import build_app


def app() -> FastAPI:
    """The whole application on the configured database."""
    return build_app(get_settings())
