"""An administrator grants and revokes the event organiser role; nobody else may."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.services.accounts import roles
from tests.factories.events import make_person

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def admin(session: Session) -> User:
    return make_person(session, email="root@example.org", name="Root", role=UserRole.ADMINISTRATOR)


@pytest.mark.parametrize("role", [UserRole.ORGANISATION_MEMBER, UserRole.CLUSTER_MANAGER])
def test_grant_makes_a_member_or_manager_an_event_organiser(
    session: Session, admin: User, role: UserRole
) -> None:
    ana = make_person(session, email="ana@example.org", name="Ana", role=role)

    changed = roles.grant_event_organiser(session, admin, ana.id)
    again = roles.grant_event_organiser(session, admin, ana.id)

    assert (changed, again.role) == (ana, UserRole.EVENT_ORGANISER)


def test_revoke_makes_an_organiser_an_organisation_member(session: Session, admin: User) -> None:
    olga = make_person(
        session, email="olga@example.org", name="Olga", role=UserRole.EVENT_ORGANISER
    )

    roles.revoke_event_organiser(session, admin, olga.id)

    assert olga.role is UserRole.ORGANISATION_MEMBER


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (UserRole.ADMINISTRATOR, "Pat is an administrator: that role stays"),
        (UserRole.PROGRAMME_OFFICER, "Pat is a programme officer: that role stays"),
    ],
)
def test_grant_leaves_administrators_and_officers_as_they_are(
    session: Session, admin: User, role: UserRole, message: str
) -> None:
    pat = make_person(session, email="pat@example.org", name="Pat", role=role)

    with pytest.raises(roles.RoleChangeError) as raised:
        roles.grant_event_organiser(session, admin, pat.id)

    assert (raised.value.status, str(raised.value), pat.role) == (409, message, role)


def test_revoke_of_someone_who_is_no_organiser_is_409(session: Session, admin: User) -> None:
    ana = make_person(session, email="ana@example.org", name="Ana")

    with pytest.raises(roles.RoleChangeError) as raised:
        roles.revoke_event_organiser(session, admin, ana.id)

    assert str(raised.value) == "Ana is an organisation member, not an event organiser"


@pytest.mark.parametrize("role", [UserRole.EVENT_ORGANISER, UserRole.PROGRAMME_OFFICER])
def test_only_administrators_change_roles(session: Session, role: UserRole) -> None:
    actor = make_person(session, email="eve@example.org", name="Eve", role=role)
    ana = make_person(session, email="ana@example.org", name="Ana")

    with pytest.raises(AccessDeniedError) as raised:
        roles.grant_event_organiser(session, actor, ana.id)

    assert (str(raised.value), ana.role) == (
        "Only administrators manage accounts",
        UserRole.ORGANISATION_MEMBER,
    )


def test_an_unknown_account_is_404(session: Session, admin: User) -> None:
    with pytest.raises(roles.AccountNotFoundError) as raised:
        roles.grant_event_organiser(session, admin, 999999)

    assert (raised.value.status, str(raised.value)) == (404, "There is no account 999999")
