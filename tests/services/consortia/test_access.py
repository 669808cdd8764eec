"""Who may see and change a consortium, through the services (the web and API tests repeat
the important cases over HTTP)."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.services.calls.catalogue import Catalogue, load_catalogue
from clusterbridge.services.consortia import consortia
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.consortia.access import ConsortiumNotFoundError
from tests.conftest import NOW
from tests.factories.consortia import add_member, make_consortium
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

Action = Callable[[Session, User, int], object]
CATALOGUE: Catalogue = load_catalogue()

ACTIONS: dict[str, Action] = {
    "view": consortia.get_consortium,
    "edit": lambda s, u, i: consortia.update_consortium(
        s, u, i, {"name": "Changed"}, catalogue=CATALOGUE
    ),
    "add partner": lambda s, u, i: consortium_partners.add_typed_partner(
        s, u, i, {"name": "Lyon Cluster", "country": "FR"}
    ),
    "share": lambda s, u, i: consortia.update_consortium(
        s, u, i, {"shared": True}, catalogue=CATALOGUE
    ),
    "delete": consortia.delete_consortium,
}
OK, HIDDEN, DENIED = "ok", 404, 403

#: Expected outcome per actor for view, edit, add partner, share, delete.
TABLE = {
    "owner": (OK, OK, OK, OK, OK),
    "editing member": (OK, OK, OK, DENIED, DENIED),
    "reading member": (OK, DENIED, DENIED, DENIED, DENIED),
    "stranger": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "stranger, shared": (OK, DENIED, DENIED, DENIED, DENIED),
    "programme officer": (OK, DENIED, DENIED, DENIED, DENIED),
    "administrator": (OK, OK, OK, OK, OK),
}


def _actor(session: Session, who: str, owner: User) -> tuple[User, bool]:
    """The acting user, and whether the consortium is shared."""
    if who == "owner":
        return owner, False
    role = {
        "programme officer": UserRole.PROGRAMME_OFFICER,
        "administrator": UserRole.ADMINISTRATOR,
    }.get(who, UserRole.CLUSTER_MANAGER)
    return make_user(session, email="actor@example.eu", role=role), who.endswith("shared")


def _outcome(action: Action, session: Session, actor: User, consortium_id: int) -> str | int:
    try:
        action(session, actor, consortium_id)
    except (ConsortiumNotFoundError, AccessDeniedError) as error:
        return error.status
    return OK


@pytest.mark.parametrize("who", list(TABLE))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_access(session: Session, who: str, action: str) -> None:
    owner = make_user(session, email="owner@example.eu")
    actor, shared = _actor(session, who, owner)
    consortium = make_consortium(session, owner=owner, shared=shared)
    if who.endswith("member"):
        add_member(session, consortium, actor, can_edit=who == "editing member")

    outcome = _outcome(ACTIONS[action], session, actor, consortium.id)

    assert outcome == TABLE[who][list(ACTIONS).index(action)]


def test_the_list_holds_only_visible_consortia(session: Session) -> None:
    owner = make_user(session, email="owner@example.eu")
    stranger = make_user(session, email="stranger@example.eu")
    make_consortium(session, owner=owner, name="Secret Hydrogen Alliance")
    make_consortium(session, owner=owner, name="Open Alliance", shared=True)
    make_consortium(session, owner=stranger, name="Stranger's Own")

    names = [
        item.consortium.name
        for item in consortia.list_consortia(session, stranger, catalogue=CATALOGUE, now=NOW)
    ]

    assert sorted(names) == ["Open Alliance", "Stranger's Own"]


def test_an_unknown_id_is_not_found_like_a_hidden_one(session: Session) -> None:
    owner = make_user(session, email="owner@example.eu")

    with pytest.raises(ConsortiumNotFoundError) as raised:
        consortia.get_consortium(session, owner, 987654)

    assert str(raised.value) == "There is no consortium 987654"
