"""The web pages, one module per feature."""

from fastapi import APIRouter

from clusterbridge.web.routes import (
    account,
    admin_users,
    assessments,
    builder,
    call_authoring,
    calls,
    cluster_memberships,
    consortia,
    consortium_partners,
    evaluation,
    event_admin,
    events,
    exchange_pages,
    exchanges,
    home,
    jobs,
    organisation_claims,
    organisations,
    outcomes,
    passwords,
    payments,
    proposals,
)

WEB_ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    account.router,
    admin_users.router,
    assessments.router,
    builder.router,
    # Before calls: its /{call_id} would take /calls/new.
    call_authoring.router,
    calls.router,
    cluster_memberships.router,
    consortia.router,
    consortium_partners.router,
    evaluation.router,
    payments.router,
    event_admin.router,
    events.router,
    exchanges.router,
    # After exchanges: its /{exchange_id} would take /exchanges/enrol and the others.
    exchange_pages.router,
    jobs.router,
    organisation_claims.router,
    organisations.router,
    outcomes.router,
    passwords.router,
    proposals.router,
)
