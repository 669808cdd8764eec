"""Who may see and change a consortium.

- A consortium is visible to its members (the owner is a member who can edit) and, when it is
  ``shared``, read-only to every signed-in user.
- Members with ``can_edit`` change it; only the owner shares it, manages its members, deletes it.
- Administrators see and change everything; programme officers see everything, read-only.

A consortium the actor may not see is reported as not found (404), so that its existence is not
revealed; one the actor sees but may not change answers 403.
"""

from clusterbridge.db.models import Consortium, User
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, DomainError

#: Roles that see every consortium.
READ_ALL_ROLES: frozenset[UserRole] = frozenset(
    {UserRole.ADMINISTRATOR, UserRole.PROGRAMME_OFFICER}
)


class ConsortiumNotFoundError(DomainError):
    """No consortium with this id, or none the actor may see (the two are not told apart)."""

    status = 404

    def __init__(self, consortium_id: int) -> None:
        self.consortium_id = consortium_id
        super().__init__(f"There is no consortium {consortium_id}")


def sees_everything(actor: User) -> bool:
    """Whether ``actor`` may read every consortium (administrators and programme officers)."""
    return actor.role in READ_ALL_ROLES


def can_view(consortium: Consortium, actor: User) -> bool:
    """Whether ``actor`` may see ``consortium`` (its ``members`` must be loaded)."""
    return (
        sees_everything(actor)
        or consortium.shared
        or consortium.owner_id == actor.id
        or any(member.user_id == actor.id for member in consortium.members)
    )


def can_edit(consortium: Consortium, actor: User) -> bool:
    """Whether ``actor`` may change ``consortium``: its data and partners."""
    return (
        actor.role is UserRole.ADMINISTRATOR
        or consortium.owner_id == actor.id
        or any(member.user_id == actor.id and member.can_edit for member in consortium.members)
    )


def can_manage(consortium: Consortium, actor: User) -> bool:
    """Whether ``actor`` may share, delete and choose the members of ``consortium``."""
    return actor.role is UserRole.ADMINISTRATOR or consortium.owner_id == actor.id


def require_view(consortium: Consortium | None, actor: User, consortium_id: int) -> Consortium:
    """``consortium`` if ``actor`` may see it; otherwise ConsortiumNotFoundError (404)."""
    if consortium is None or not can_view(consortium, actor):
        raise ConsortiumNotFoundError(consortium_id)
    return consortium


def require_edit(consortium: Consortium | None, actor: User, consortium_id: int) -> Consortium:
    """``consortium`` if ``actor`` may change it: 404 if it is invisible to them, else 403."""
    visible = require_view(consortium, actor, consortium_id)
    if not can_edit(visible, actor):
        raise AccessDeniedError("You may see this consortium but not change it")
    return visible


def require_manage(consortium: Consortium | None, actor: User, consortium_id: int) -> Consortium:
    """``consortium`` if ``actor`` owns it (or administers the platform): 404 or 403 otherwise."""
    visible = require_view(consortium, actor, consortium_id)
    if not can_manage(visible, actor):
        raise AccessDeniedError("Only the owner of this consortium may do this")
    return visible
