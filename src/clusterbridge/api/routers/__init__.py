"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import (
    builder,
    calls,
    consortia,
    events,
    organisations,
    partners,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    builder.router,
    calls.router,
    consortia.router,
    events.router,
    organisations.router,
    partners.router,
    users.router,
)
