"""Registering: a second registration of an address never makes a second account, and
answers like the first even when the two race."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from clusterbridge.db.repositories.users import list_users
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.passwords import AccountMail
from clusterbridge.services.accounts.registration import register
from clusterbridge.services.mail import FileMailer, pending_mail
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

EMAIL = "race@cluster.example"
#: How long the first registration holds its uncommitted account while the second one runs.
HOLD_SECONDS = 0.5


def hold_an_account_then_commit(database: Database, flushed: threading.Event) -> None:
    with database.unit_of_work() as session:
        make_user(session, email=EMAIL, name="First")
        flushed.set()
        threading.Event().wait(HOLD_SECONDS)


def test_a_registration_racing_another_for_its_address_answers_alike(
    clean_database: Database, tmp_path: Path
) -> None:
    mail = AccountMail(
        FileMailer(tmp_path, "noreply@example.org"), "https://cb.example", timedelta(hours=1)
    )
    flushed = threading.Event()
    first = threading.Thread(target=hold_an_account_then_commit, args=(clean_database, flushed))
    first.start()
    assert flushed.wait(5)

    with clean_database.unit_of_work() as session:
        register(
            session, mail, email=EMAIL, name="Second", password="a long enough password",
            role=UserRole.CLUSTER_MANAGER,
        )  # fmt: skip
        subjects = [message.subject for message in pending_mail(session)]
    first.join()

    assert subjects == ["Somebody tried to register with your address"]
    with clean_database.unit_of_work() as session:
        assert [(user.email, user.name) for user in list_users(session)] == [(EMAIL, "First")]
