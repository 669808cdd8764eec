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
    invitations,
    jobs,
    memberships,
    organisations,
    outcomes,
    partners,
    programme_calls,
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
    jobs.router,
    # Before organisations: its /{organisation_id} routes come after /import.
    jobs.imports,
    memberships.router,
    exchanges.router,
    exchange_steps.router,
    organisations.router,
    outcomes.router,
    partners.router,
    programme_calls.router,
    proposals.router,
    users.router,
)
