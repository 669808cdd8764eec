"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import (
    account,
    assessments,
    builder,
    calls,
    consortia,
    evaluation,
    events,
    exchange_steps,
    exchanges,
    indicators,
    invitations,
    memberships,
    organisations,
    outcomes,
    partners,
    programme_calls,
    projects,
    proposals,
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
    evaluation.router,
    memberships.router,
    exchanges.router,
    exchange_steps.router,
    indicators.router,
    organisations.router,
    outcomes.router,
    partners.router,
    programme_calls.router,
    projects.router,
    proposals.router,
    users.router,
)
