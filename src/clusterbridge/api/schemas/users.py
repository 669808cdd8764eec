"""Accounts as an administrator sees them."""

from pydantic import BaseModel

from clusterbridge.db.models import User
from clusterbridge.domain.enums import UserRole


class UserRead(BaseModel):
    """An account: who, their role, and whether it is active."""

    id: int
    email: str
    name: str
    role: UserRole
    is_active: bool

    @classmethod
    def from_row(cls, row: User) -> "UserRead":
        """The account of ``row``."""
        return cls(
            id=row.id, email=row.email, name=row.name, role=row.role, is_active=row.is_active
        )
