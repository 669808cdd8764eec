"""One router per feature."""

from fastapi import APIRouter

from clusterbridge.api.routers import (
    account,
    analysis,
    assessments,
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
    outcomes,
    partners,
    programme_calls,
    projects,
    proposals,
    sme_services,
    users,
)

ROUTERS: tuple[APIRouter, ...] = (
    account.router,
    analysis.router,
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
    organisations.router,
    outcomes.router,
    partners.router,
    programme_calls.router,
    projects.router,
    proposals.router,
    sme_services.router,
    users.router,
)
