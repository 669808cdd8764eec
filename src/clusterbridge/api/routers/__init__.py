"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import (
    account,
    builder,
    calls,
    consortia,
    events,
    exchange_steps,
    exchanges,
    invitations,
    memberships,
    organisations,
    partners,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    account.router,
    builder.router,
    calls.router,
    invitations.router,
    consortia.router,
    events.router,
    memberships.router,
    exchanges.router,
    exchange_steps.router,
    organisations.router,
    partners.router,
    users.router,
)
