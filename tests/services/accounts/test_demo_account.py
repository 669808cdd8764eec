"""The demo account and the demo's administrator keep their passwords on later runs unless a
reset is asked for."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import authenticate
from clusterbridge.services.demo import (
    ADMIN_EMAIL,
    DEMO_EMAIL,
    reset_demo_account,
    reset_demo_administrator,
)
from tests.conftest import NOW

pytestmark = [pytest.mark.integration, pytest.mark.db]


def test_a_second_run_keeps_the_demo_password_and_prints_none(session: Session) -> None:
    first = reset_demo_account(session, now=NOW)
    again = reset_demo_account(session, now=NOW)

    assert (first.created, again.created) == (True, False)
    assert first.password is not None
    assert again.password is None
    assert authenticate(session, email=DEMO_EMAIL, password=first.password) is not None


def test_reset_password_gives_the_demo_account_a_new_password(session: Session) -> None:
    first = reset_demo_account(session, now=NOW)

    reset = reset_demo_account(session, now=NOW, reset_password=True)

    assert reset.password not in (None, first.password)
    assert authenticate(session, email=DEMO_EMAIL, password=first.password or "") is None
    assert authenticate(session, email=DEMO_EMAIL, password=reset.password or "") is not None


def test_the_demo_administrator_is_made_once_and_keeps_its_password(session: Session) -> None:
    first = reset_demo_administrator(session, now=NOW)
    again = reset_demo_administrator(session, now=NOW)

    assert (first.email, first.created, again.created, again.password) == (
        "admin@clusterbridge.example",
        True,
        False,
        None,
    )
    user = authenticate(session, email=ADMIN_EMAIL, password=first.password or "")
    assert user is not None
    assert (user.name, user.role) == ("Demo Administrator", UserRole.ADMINISTRATOR)


def test_reset_password_gives_the_demo_administrator_a_new_password(session: Session) -> None:
    first = reset_demo_administrator(session, now=NOW)

    reset = reset_demo_administrator(session, now=NOW, reset_password=True)

    assert reset.password not in (None, first.password)
    assert authenticate(session, email=ADMIN_EMAIL, password=first.password or "") is None
    assert authenticate(session, email=ADMIN_EMAIL, password=reset.password or "") is not None
