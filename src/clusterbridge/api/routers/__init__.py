"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import calls, consortia, organisations, partners

ROUTERS: tuple[APIRouter, ...] = (
    calls.router,
    consortia.router,
    organisations.router,
    partners.router,
)
