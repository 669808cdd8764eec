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
    indicators,
    invitations,
    jobs,
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
    # First the busiest reads (search, an organisation, its suggestions): a request is matched
    # against the routes in this order, one by one, and matching the 150 routes that came
    # before organisations took a third of the CPU of a search (benchmarks/bench_load.py).
    # Before organisations: its /{organisation_id} routes come after /import.
    jobs.imports,
    organisations.router,
    memberships.router,
    partners.router,
    account.router,
    analysis.router,
    assessments.router,
    builder.router,
    calls.router,
    invitations.router,
    consortia.router,
    events.router,
    evaluation.router,
    jobs.router,
    jobs.documents,
    exchanges.router,
    exchange_steps.router,
    indicators.router,
    outcomes.router,
    programme_calls.router,
    projects.router,
    proposals.router,
    sme_services.router,
    users.router,
)
