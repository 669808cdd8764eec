"""Claiming an organisation's record: asking, the mails, approving and refusing, who sees and
decides, and the one open claim per user and organisation that the database keeps.
Runs on SQLite and PostgreSQL."""

from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationClaim, User
from clusterbridge.domain.enums import ClaimStatus, UserRole
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.services.mail import FileMailer, Mail, pending_mail
from clusterbridge.services.registry import (
    ClaimConflictError,
    ClaimNotFoundError,
    ClaimNotifier,
    OrganisationNotFoundError,
    can_edit,
    create_claim,
    decide_claim,
    get_claim,
    latest_claim,
    list_my_claims,
    list_organisation_claims,
    list_pending_claims,
)
from tests.conftest import NOW
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

MESSAGE = "I am Rita, managing director of Tiny Robots."
LINK = "https://cb.example.org/organisations/{id}#claims"


@dataclass
class People:
    """Ada (administrator), Mia (member of Tiny Robots), Rita (asks), Sam (a stranger)."""

    admin: User
    member: User
    requester: User
    stranger: User
    robots: Organisation
    orphan: Organisation


@pytest.fixture
def notifier(tmp_path: Path) -> ClaimNotifier:
    return ClaimNotifier(
        FileMailer(tmp_path / "mail", "claims@example.org"), "https://cb.example.org"
    )


@pytest.fixture
def people(session: Session) -> People:
    admin = make_user(
        session, email="ada@example.org", name="Ada Admin", role=UserRole.ADMINISTRATOR
    )
    member = make_user(session, email="mia@robots.example", name="Mia Member")
    requester = make_user(session, email="rita@robots.example", name="Rita Requester")
    stranger = make_user(session, email="sam@example.org", name="Sam Stranger")
    robots = make_organisation(session, name="Tiny Robots GmbH", pic="999000002")
    orphan = make_organisation(session, name="Orphan Lab", country="PT", nuts=None)
    add_member(session, robots, member)
    return People(admin, member, requester, stranger, robots, orphan)


def _ask(session: Session, people: People, notifier: ClaimNotifier) -> OrganisationClaim:
    return create_claim(
        session, people.requester, people.robots.id, message=f"  {MESSAGE}\n", notifier=notifier
    )


def _decide(
    session: Session,
    actor: User,
    claim: OrganisationClaim,
    notifier: ClaimNotifier,
    *,
    approve: bool,
    reason: str = "",
) -> OrganisationClaim:
    return decide_claim(
        session, actor, claim.id, approve=approve, reason=reason, now=NOW, notifier=notifier
    )


def test_a_claim_waits_and_mails_the_organisations_members(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)

    assert (claim.status, claim.is_open, claim.message) == (ClaimStatus.PENDING, True, MESSAGE)
    assert (claim.organisation_id, claim.requester_id) == (people.robots.id, people.requester.id)
    assert can_edit(session, people.requester, people.robots) is False
    assert pending_mail(session) == [
        Mail(
            ("mia@robots.example",),
            "Rita Requester asks to manage Tiny Robots GmbH",
            "Hello Mia Member,\n\n"
            "Rita Requester (rita@robots.example) asks to manage the record of Tiny Robots GmbH"
            " in clusterbridge. You are told because you are a member of it.\n\n"
            f"Their message:\n\n{MESSAGE}\n\n"
            f"Approve or refuse it here: {LINK.format(id=people.robots.id)}\n",
        )
    ]


def test_a_claim_on_an_organisation_without_members_mails_the_active_administrators(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    make_user(session, email="bo@example.org", name="Bo Admin", role=UserRole.ADMINISTRATOR)
    gone = make_user(session, email="old@example.org", name="Old", role=UserRole.ADMINISTRATOR)
    gone.is_active = False

    create_claim(
        session, people.requester, people.orphan.id, message="Lab manager.", notifier=notifier
    )

    assert [(mail.to, mail.subject) for mail in pending_mail(session)] == [
        (("ada@example.org",), "Rita Requester asks to manage Orphan Lab"),
        (("bo@example.org",), "Rita Requester asks to manage Orphan Lab"),
    ]
    assert pending_mail(session)[0].body.startswith(
        "Hello Ada Admin,\n\nRita Requester (rita@robots.example) asks to manage the record of"
        " Orphan Lab in clusterbridge. You are told because it has no members yet and you are"
        " an administrator.\n\n"
    )


def test_an_approved_requester_becomes_a_member_and_can_edit(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)

    decided = _decide(session, people.member, claim, notifier, approve=True)

    assert (decided.status, decided.is_open, decided.reason) == (ClaimStatus.APPROVED, None, "")
    assert (decided.decided_by, decided.decided_at) == (people.member, NOW)
    assert can_edit(session, people.requester, people.robots) is True
    assert pending_mail(session)[-1] == Mail(
        ("rita@robots.example",),
        "You now manage Tiny Robots GmbH",
        "Hello Rita Requester,\n\n"
        "Your request to manage Tiny Robots GmbH was approved: you can edit it now.\n\n"
        f"The organisation's page: {LINK.format(id=people.robots.id)}\n",
    )


def test_a_refused_requester_still_cannot_edit_and_may_ask_again(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    first = _ask(session, people, notifier)

    refused = _decide(
        session, people.member, first, notifier, approve=False, reason="We do not know you."
    )
    again = _ask(session, people, notifier)

    assert (refused.status, refused.is_open, refused.reason) == (
        ClaimStatus.REFUSED,
        None,
        "We do not know you.",
    )
    assert can_edit(session, people.requester, people.robots) is False
    assert [(m.to[0], m.subject) for m in pending_mail(session)] == [
        ("mia@robots.example", "Rita Requester asks to manage Tiny Robots GmbH"),
        ("rita@robots.example", "Tiny Robots GmbH: your request was refused"),
        ("mia@robots.example", "Rita Requester asks to manage Tiny Robots GmbH"),
    ]
    assert pending_mail(session)[1].body == (
        "Hello Rita Requester,\n\n"
        "Your request to manage Tiny Robots GmbH was refused.\n\n"
        "The reason given:\n\nWe do not know you.\n\n"
        f"The organisation's page: {LINK.format(id=people.robots.id)}\n"
    )
    assert (again.status, again.id != first.id) == (ClaimStatus.PENDING, True)
    assert latest_claim(session, people.requester, people.robots) == again


def test_an_administrator_decides_a_claim_on_an_organisation_with_members(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)

    decided = _decide(session, people.admin, claim, notifier, approve=True)

    assert (decided.status, decided.decided_by) == (ClaimStatus.APPROVED, people.admin)


def test_a_second_open_claim_is_a_conflict(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    _ask(session, people, notifier)

    with pytest.raises(ClaimConflictError) as caught:
        _ask(session, people, notifier)

    assert (caught.value.status, str(caught.value)) == (
        409,
        "You already asked to manage Tiny Robots GmbH: wait for the answer",
    )


def test_the_database_keeps_one_open_claim_per_user_and_organisation(
    session: Session, people: People
) -> None:
    def claim(status: ClaimStatus) -> OrganisationClaim:
        is_open = True if status is ClaimStatus.PENDING else None
        decided_at = None if status is ClaimStatus.PENDING else NOW
        return OrganisationClaim(
            organisation=people.robots,
            requester=people.requester,
            message="me",
            status=status,
            is_open=is_open,
            decided_at=decided_at,
        )

    session.add_all([claim(ClaimStatus.REFUSED), claim(ClaimStatus.REFUSED)])
    session.add(claim(ClaimStatus.PENDING))
    session.flush()
    session.add(claim(ClaimStatus.PENDING))

    with pytest.raises(IntegrityError):
        session.flush()


@pytest.mark.parametrize(
    ("is_open", "decided"), [(None, False), (True, True), (False, False)], ids=str
)
def test_the_database_refuses_a_claim_whose_state_does_not_add_up(
    session: Session, people: People, is_open: bool | None, decided: bool
) -> None:
    session.add(
        OrganisationClaim(
            organisation=people.robots,
            requester=people.requester,
            message="me",
            status=ClaimStatus.PENDING,
            is_open=is_open,
            decided_at=NOW if decided else None,
        )
    )

    with pytest.raises(IntegrityError):
        session.flush()


@pytest.mark.parametrize("who", ["member", "admin"])
def test_who_can_edit_already_cannot_claim(
    session: Session, people: People, notifier: ClaimNotifier, who: str
) -> None:
    with pytest.raises(ClaimConflictError) as caught:
        create_claim(
            session, getattr(people, who), people.robots.id, message="me", notifier=notifier
        )

    assert str(caught.value) == "You can already edit Tiny Robots GmbH: nothing to claim"
    assert pending_mail(session) == []


def test_a_stranger_neither_sees_nor_decides_a_claim(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)

    with pytest.raises(ClaimNotFoundError) as seen:
        get_claim(session, people.stranger, claim.id)
    with pytest.raises(ClaimNotFoundError):
        _decide(session, people.stranger, claim, notifier, approve=True)
    with pytest.raises(AccessDeniedError) as listed:
        list_organisation_claims(session, people.stranger, people.robots.id)

    assert (seen.value.status, str(seen.value)) == (404, f"There is no claim {claim.id}")
    assert str(listed.value) == "Only the organisation's members and administrators see its claims"
    assert claim.status is ClaimStatus.PENDING


def test_a_stranger_deciding_a_claim_the_caller_sees_is_told_who_may(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)

    with pytest.raises(AccessDeniedError) as caught:
        decide_claim(
            session,
            people.stranger,
            claim.id,
            approve=True,
            now=NOW,
            notifier=notifier,
            sees_every_claim=True,
        )
    with pytest.raises(ClaimNotFoundError) as missing:
        decide_claim(
            session,
            people.admin,
            claim.id + 1,
            approve=True,
            now=NOW,
            notifier=notifier,
            sees_every_claim=True,
        )

    assert (caught.value.status, str(caught.value)) == (
        403,
        "sam@example.org may not decide claims on Tiny Robots GmbH: only its members and the"
        " administrators may",
    )
    assert str(missing.value) == f"There is no claim {claim.id + 1}"
    assert claim.status is ClaimStatus.PENDING


def test_the_requester_sees_but_cannot_decide_their_own_claim(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)

    seen = get_claim(session, people.requester, claim.id)
    with pytest.raises(AccessDeniedError) as caught:
        _decide(session, people.requester, claim, notifier, approve=True)

    assert seen == claim
    assert (caught.value.status, str(caught.value)) == (403, "You cannot decide on your own claim")
    assert can_edit(session, people.requester, people.robots) is False


def test_the_requester_cannot_decide_their_own_claim_even_as_a_new_administrator(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)
    people.requester.role = UserRole.ADMINISTRATOR

    with pytest.raises(AccessDeniedError):
        _decide(session, people.requester, claim, notifier, approve=True)


def test_a_decided_claim_cannot_be_decided_again(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    claim = _ask(session, people, notifier)
    _decide(session, people.member, claim, notifier, approve=True)

    with pytest.raises(ClaimConflictError) as caught:
        _decide(session, people.admin, claim, notifier, approve=False)

    assert (caught.value.status, str(caught.value)) == (409, "This claim is already approved")
    assert claim.status is ClaimStatus.APPROVED


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("  ", "is required: say who you are and how you belong to the organisation"),
        ("x" * 1001, "must be at most 1,000 characters, not 1,001"),
        ("Rita\x00", "must not contain control characters"),
    ],
)
def test_a_claim_needs_a_message(
    session: Session, people: People, notifier: ClaimNotifier, message: str, reason: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        create_claim(
            session, people.requester, people.robots.id, message=message, notifier=notifier
        )

    assert caught.value.issues == (InputIssue("", "message", reason),)


def test_a_reason_is_bounded(session: Session, people: People, notifier: ClaimNotifier) -> None:
    claim = _ask(session, people, notifier)

    with pytest.raises(InvalidInputError) as caught:
        _decide(session, people.member, claim, notifier, approve=False, reason="y" * 1001)

    assert caught.value.issues == (
        InputIssue("", "reason", "must be at most 1,000 characters, not 1,001"),
    )
    assert claim.status is ClaimStatus.PENDING


def test_claiming_an_unknown_organisation_is_404(
    session: Session, people: People, notifier: ClaimNotifier
) -> None:
    with pytest.raises(OrganisationNotFoundError):
        create_claim(session, people.requester, 2**31 - 1, message="me", notifier=notifier)


def test_the_lists_of_claims(session: Session, people: People, notifier: ClaimNotifier) -> None:
    first = _ask(session, people, notifier)
    _decide(session, people.member, first, notifier, approve=False)
    second = _ask(session, people, notifier)
    orphan = create_claim(
        session, people.requester, people.orphan.id, message="Lab.", notifier=notifier
    )
    other = create_claim(
        session, people.stranger, people.robots.id, message="Sam.", notifier=notifier
    )

    assert list_my_claims(session, people.requester) == [orphan, second, first]
    assert list_organisation_claims(session, people.member, people.robots.id) == [
        first,
        second,
        other,
    ]
    assert list_organisation_claims(
        session, people.admin, people.robots.id, status=ClaimStatus.PENDING
    ) == [second, other]
    assert list_pending_claims(session) == [second, orphan, other]
    assert session.scalar(sa.select(sa.func.count()).select_from(OrganisationClaim)) == 4
