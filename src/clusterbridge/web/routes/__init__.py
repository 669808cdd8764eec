"""The web pages, one module per feature."""

from fastapi import APIRouter

from clusterbridge.web.routes import (
    account,
    builder,
    calls,
    consortia,
    consortium_partners,
    event_admin,
    events,
    exchanges,
    home,
    organisation_claims,
    organisations,
)

WEB_ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    account.router,
    builder.router,
    calls.router,
    consortia.router,
    consortium_partners.router,
    event_admin.router,
    events.router,
    exchanges.router,
    organisation_claims.router,
    organisations.router,
)
