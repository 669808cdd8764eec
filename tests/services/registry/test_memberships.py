"""Cluster membership needs the cluster's consent."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.mail import FileMailer, pending_mail
from clusterbridge.services.registry import (
    ClaimNotifier,
    MembershipRequestNotFoundError,
    decide_membership_request,
    get_organisation,
    list_requests_of,
    list_requests_to,
    update_organisation,
)
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def notifier(tmp_path: Path) -> ClaimNotifier:
    return ClaimNotifier(FileMailer(tmp_path, "noreply@example.org"), "https://cb.example")


def test_listing_a_cluster_one_does_not_manage_asks_it_and_mails_its_members(
    session: Session, notifier: ClaimNotifier
) -> None:
    sme_editor = make_user(session, email="sme@example.org", name="Sam")
    cluster_manager = make_user(session, email="cm@example.org", name="Clara")
    cluster = make_organisation(session, name="Munich Cluster")
    sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME)
    add_member(session, sme, sme_editor)
    add_member(session, cluster, cluster_manager)

    update_organisation(
        session, sme_editor, sme.id, {"cluster_ids": [cluster.id]}, notifier=notifier
    )

    assert get_organisation(session, sme.id).clusters == []
    assert [r.cluster.name for r in list_requests_of(session, sme.id)] == ["Munich Cluster"]
    assert [r.member.name for r in list_requests_to(session, cluster_manager, cluster.id)] == [
        "Tiny Robots"
    ]
    assert list_requests_to(session, sme_editor, cluster.id) == []
    [mail] = pending_mail(session)
    assert (mail.to, mail.subject) == (
        ("cm@example.org",),
        "Tiny Robots asks to be listed as a member of Munich Cluster",
    )
    assert f"https://cb.example/organisations/{cluster.id}#membership-requests" in mail.body


def test_the_cluster_accepts_and_the_membership_is_made(
    session: Session, notifier: ClaimNotifier
) -> None:
    sme_editor = make_user(session, email="sme@example.org", name="Sam")
    cluster_manager = make_user(session, email="cm@example.org", name="Clara")
    outsider = make_user(session, email="x@example.org", name="Xavier")
    cluster = make_organisation(session, name="Munich Cluster")
    sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME)
    add_member(session, sme, sme_editor)
    add_member(session, cluster, cluster_manager)
    update_organisation(session, sme_editor, sme.id, {"cluster_ids": [cluster.id]})
    [request] = list_requests_of(session, sme.id)

    with pytest.raises(MembershipRequestNotFoundError):
        decide_membership_request(session, outsider, request.id, accept=True, notifier=notifier)
    decide_membership_request(session, cluster_manager, request.id, accept=True, notifier=notifier)

    session.expire_all()
    assert [m.cluster.name for m in get_organisation(session, sme.id).clusters] == [
        "Munich Cluster"
    ]
    assert list_requests_of(session, sme.id) == []
    [mail] = pending_mail(session)
    assert (mail.to, mail.subject) == (
        ("sme@example.org",),
        "Munich Cluster accepted Tiny Robots",
    )


def test_a_refusal_makes_no_membership_and_unlisting_withdraws_a_request(
    session: Session, notifier: ClaimNotifier
) -> None:
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
    sme_editor = make_user(session, email="sme@example.org", name="Sam")
    first = make_organisation(session, name="First Cluster")
    second = make_organisation(session, name="Second Cluster")
    sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME)
    add_member(session, sme, sme_editor)
    update_organisation(session, sme_editor, sme.id, {"cluster_ids": [first.id, second.id]})
    [to_first, _to_second] = list_requests_of(session, sme.id)

    decide_membership_request(session, admin, to_first.id, accept=False, notifier=notifier)
    update_organisation(session, sme_editor, sme.id, {"cluster_ids": []})

    session.expire_all()
    assert get_organisation(session, sme.id).clusters == []
    assert list_requests_of(session, sme.id) == []
