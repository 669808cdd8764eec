"""The demo: real organisations from CORDIS and an account to try everything with."""

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
    password = secrets.token_urlsafe(12)
    user = user_repository.get_user_by_email(session, DEMO_EMAIL)
    if user is None:
        users.create_user(
            session,
            email=DEMO_EMAIL,
            name=DEMO_NAME,
            password=password,
            role=UserRole.CLUSTER_MANAGER,
        )
        return DemoAccount(DEMO_EMAIL, password, created=True)
    if not reset_password:
        return DemoAccount(DEMO_EMAIL, None, created=False)
    users.set_password(session, user, password, now=now)
    return DemoAccount(DEMO_EMAIL, password, created=False)
