"""The demo account keeps its password on later runs unless a reset is asked for."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.services.accounts.users import authenticate
from clusterbridge.services.demo import DEMO_EMAIL, reset_demo_account
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
