"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import (
    builder,
    calls,
    consortia,
    events,
    exchanges,
    organisations,
    partners,
)

ROUTERS: tuple[APIRouter, ...] = (
    builder.router,
    calls.router,
    consortia.router,
    events.router,
    exchanges.router,
    organisations.router,
    partners.router,
)
