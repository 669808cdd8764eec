"""Accounts for tests, created through the real service (argon2 hashes and all)."""

from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_user

PASSWORD = "correct horse battery"


def make_user(
    session: Session,
    *,
    email: str = "manager@cluster.example",
    name: str = "Maria Manager",
    role: UserRole = UserRole.CLUSTER_MANAGER,
    password: str = PASSWORD,
) -> User:
    """A user with ``PASSWORD`` unless told otherwise."""
    return create_user(session, email=email, name=name, password=password, role=role)
