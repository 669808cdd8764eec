"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import (
    account,
    builder,
    calls,
    consortia,
    evaluation,
    events,
    exchange_steps,
    exchanges,
    invitations,
    memberships,
    organisations,
    partners,
    programme_calls,
    proposals,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    account.router,
    builder.router,
    calls.router,
    invitations.router,
    consortia.router,
    events.router,
    evaluation.router,
    memberships.router,
    exchanges.router,
    exchange_steps.router,
    organisations.router,
    partners.router,
    programme_calls.router,
    proposals.router,
    users.router,
)
