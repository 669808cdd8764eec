"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import (
    account,
    assessments,
    builder,
    calls,
    consortia,
    events,
    exchanges,
    invitations,
    memberships,
    organisations,
    partners,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    account.router,
    assessments.router,
    builder.router,
    calls.router,
    invitations.router,
    consortia.router,
    events.router,
    memberships.router,
    exchanges.router,
    organisations.router,
    partners.router,
    users.router,
)
