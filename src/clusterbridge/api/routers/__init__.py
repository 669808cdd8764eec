"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import calls, consortia, events, organisations

ROUTERS: tuple[APIRouter, ...] = (
    calls.router,
    consortia.router,
    events.router,
    organisations.router,
)
