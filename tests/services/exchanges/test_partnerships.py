"""Creating partnerships: administrators only, every problem of the form at once, a name
used once, nothing written on a mistake. Runs on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import ExchangePartnership
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.services.exchanges import create_partnership, create_partnership_from_form
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


def test_partnership_from_the_form_with_its_members(session: Session) -> None:
    ada = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
    paula = make_user(session, email="paula@example.org", name="Paula")

    created = create_partnership_from_form(
        session,
        ada,
        name=" Baltic CXC ",
        country="Estonia",
        member_emails="PAULA@example.org,\npaula@example.org",
    )

    assert (created.name, created.country, [m.user_id for m in created.members]) == (
        "Baltic CXC",
        "EE",
        [paula.id],
    )


def test_partnership_form_reports_every_problem_and_writes_nothing(session: Session) -> None:
    ada = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
    create_partnership(session, ada, name="Alpine", country="AT", members=[ada])

    with pytest.raises(InvalidInputError) as caught:
        create_partnership_from_form(
            session, ada, name="Alpine", country="XX", member_emails="a@x.org b@x.org"
        )

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("name", "Alpine already exists"),
        (
            "country",
            '"XX" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK',
        ),
        ("members", "there is no active account for a@x.org"),
        ("members", "there is no active account for b@x.org"),
    ]
    assert session.scalars(sa.select(ExchangePartnership.name)).all() == ["Alpine"]


def test_only_administrators_create_partnerships(session: Session) -> None:
    paula = make_user(session, email="paula@example.org", name="Paula")

    with pytest.raises(AccessDeniedError):
        create_partnership_from_form(session, paula, name="P", country="AT", member_emails="")


def test_partnership_form_needs_a_country_and_a_member(session: Session) -> None:
    ada = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)

    with pytest.raises(InvalidInputError) as caught:
        create_partnership_from_form(session, ada, name="Baltic", country=" ", member_emails=" ")

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("country", "is required"),
        ("members", "is required: give the e-mail of at least one person who acts for it"),
    ]
    assert session.scalars(sa.select(ExchangePartnership.name)).all() == []


def test_a_partnership_without_members_is_refused(session: Session) -> None:
    ada = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)

    with pytest.raises(InvalidInputError) as caught:
        create_partnership(session, ada, name="Baltic", country="EE", members=[])

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("members", "is required: give the e-mail of at least one person who acts for it"),
    ]
