"""The demo: real organisations from CORDIS, an account to try everything with and an
administrator who approves what the other accounts ask for."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.db.repositories import users as user_repository
from clusterbridge.domain.enums import RecordSource, UserRole
from clusterbridge.services.accounts import users
from clusterbridge.services.registry.cordis import (
    CordisImportSummary,
    ProgressCallback,
    import_cordis,
    shipped_cordis_folder,
)

DEMO_EMAIL = "demo@clusterbridge.example"
DEMO_NAME = "Demo Cluster Manager"
ADMIN_EMAIL = "admin@clusterbridge.example"
ADMIN_NAME = "Demo Administrator"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """The demo account's sign-in; ``password`` is the one set by this run, None when the
    account kept the password it had."""

    email: str
    password: str | None
    created: bool


def load_demo_data(
    session: Session, *, reload: bool = False, progress: ProgressCallback | None = None
) -> CordisImportSummary | None:
    """Import the CORDIS copy shipped in the package, unless CORDIS organisations are already
    there (``reload`` imports again, updating them). Returns what was imported, or None."""
    if not reload and organisation_repository.count_by_source(session, RecordSource.CORDIS):
        return None
    return import_cordis(session, shipped_cordis_folder(), progress=progress)


def reset_demo_account(
    session: Session, *, now: datetime, reset_password: bool = False
) -> DemoAccount:
    """Create the demo account (a cluster manager) with a random password. An existing account
    keeps its password unless ``reset_password`` (then a new random one is set, which ends its
    sessions and tokens like any password change)."""
    return _reset_account(
        session, DEMO_EMAIL, DEMO_NAME, UserRole.CLUSTER_MANAGER, now=now, reset=reset_password
    )


def reset_demo_administrator(
    session: Session, *, now: datetime, reset_password: bool = False
) -> DemoAccount:
    """Create the demo's administrator (who approves claims of organisations, manages users)
    with a random password; an existing account keeps its password (and role) unless
    ``reset_password``, as ``reset_demo_account``."""
    return _reset_account(
        session, ADMIN_EMAIL, ADMIN_NAME, UserRole.ADMINISTRATOR, now=now, reset=reset_password
    )


def _reset_account(
    session: Session, email: str, name: str, role: UserRole, *, now: datetime, reset: bool
) -> DemoAccount:
    password = secrets.token_urlsafe(12)
    user = user_repository.get_user_by_email(session, email)
    if user is None:
        users.create_user(session, email=email, name=name, password=password, role=role)
        return DemoAccount(email, password, created=True)
    if not reset:
        return DemoAccount(email, None, created=False)
    users.set_password(session, user, password, now=now)
    return DemoAccount(email, password, created=False)
