"""Cluster membership needs the cluster's consent.

An organisation's editor who lists it as a member of a cluster they do not manage makes a
request; the cluster's own members (or, while it has none, the administrators) accept it, which
makes the membership, or refuse it. Leaving a cluster needs nobody's consent. Administrators and
the cluster's members make memberships at once.
"""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from clusterbridge.db.models import (
    ClusterMembership,
    ClusterMembershipRequest,
    Organisation,
    OrganisationMember,
    User,
)
from clusterbridge.db.repositories import claims as claim_repository
from clusterbridge.db.repositories import organisations as repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import DomainError
from clusterbridge.services.mail import Mail, queue_mail
from clusterbridge.services.registry.notifier import ClaimNotifier


class MembershipRequestNotFoundError(DomainError):
    """No such request, or none the actor may decide (the two are not told apart)."""

    status = 404

    def __init__(self, request_id: int) -> None:
        super().__init__(f"There is no membership request {request_id} for you to decide")


def may_decide(session: Session, actor: User, cluster_id: int) -> bool:
    """Whether ``actor`` speaks for the cluster: an administrator or one of its members."""
    if not actor.is_active:
        return False
    return actor.role is UserRole.ADMINISTRATOR or repository.is_member(
        session, cluster_id, actor.id
    )


def split_by_consent(
    session: Session, actor: User, organisation: Organisation | None, clusters: list[Organisation]
) -> tuple[list[Organisation], list[Organisation]]:
    """``clusters`` (wanted memberships of ``organisation``) as (made at once, to be asked):
    a membership it has already, or one ``actor`` may decide, is made; the others are asked."""
    current = {row.cluster_id for row in organisation.clusters} if organisation else set()
    direct, asked = [], []
    for cluster in clusters:
        if cluster.id in current or may_decide(session, actor, cluster.id):
            direct.append(cluster)
        else:
            asked.append(cluster)
    return direct, asked


def request_memberships(
    session: Session,
    actor: User,
    organisation: Organisation,
    clusters: Iterable[Organisation],
    *,
    notifier: ClaimNotifier | None,
    keep_only_asked: bool = True,
) -> None:
    """Ask each of ``clusters`` to accept ``organisation`` (flushed, with an id) as a member;
    an open request is not repeated. With ``keep_only_asked``, open requests of the organisation
    to other clusters are withdrawn (it no longer lists them). Mails each cluster's members (or
    the administrators) through ``notifier`` after the commit; none without one."""
    wanted = {cluster.id: cluster for cluster in clusters}
    open_requests = {row.cluster_id: row for row in _requests_of(session, organisation.id)}
    if keep_only_asked:
        for cluster_id, row in open_requests.items():
            if cluster_id not in wanted:
                session.delete(row)
    for cluster_id, cluster in wanted.items():
        if cluster_id in open_requests:
            continue
        session.add(
            ClusterMembershipRequest(
                cluster_id=cluster_id, member_id=organisation.id, requested_by_id=actor.id
            )
        )
        if notifier is not None:
            _announce(session, notifier, actor, organisation, cluster)
    session.flush()


def list_requests_to(
    session: Session, actor: User, cluster_id: int
) -> list[ClusterMembershipRequest]:
    """The open requests to the cluster, oldest first, with their organisations; empty unless
    ``actor`` may decide them."""
    if not may_decide(session, actor, cluster_id):
        return []
    statement = (
        sa.select(ClusterMembershipRequest)
        .where(ClusterMembershipRequest.cluster_id == cluster_id)
        .options(joinedload(ClusterMembershipRequest.member))
        .order_by(ClusterMembershipRequest.id)
    )
    return list(session.scalars(statement))


def count_requests_to_mine(session: Session, actor: User) -> dict[int, int]:
    """Per organisation ``actor`` is a member of (and so decides for), how many open requests
    to join it wait, those with none left out; empty for an inactive account. One query."""
    if not actor.is_active:
        return {}
    mine = sa.select(OrganisationMember.organisation_id).where(
        OrganisationMember.user_id == actor.id
    )
    statement = (
        sa.select(ClusterMembershipRequest.cluster_id, sa.func.count())
        .where(ClusterMembershipRequest.cluster_id.in_(mine))
        .group_by(ClusterMembershipRequest.cluster_id)
    )
    return {row[0]: row[1] for row in session.execute(statement)}


def list_requests_of(session: Session, organisation_id: int) -> list[ClusterMembershipRequest]:
    """The organisation's open requests to clusters, with the clusters, oldest first."""
    return _requests_of(session, organisation_id)


def decide_membership_request(
    session: Session, actor: User, request_id: int, *, accept: bool, notifier: ClaimNotifier
) -> Organisation:
    """Accept (the membership is made) or refuse a request; either way it is deleted and the
    user who asked is told by mail. MembershipRequestNotFoundError (404) unless ``actor`` may
    decide for the cluster. Returns the cluster."""
    statement = (
        sa.select(ClusterMembershipRequest)
        .where(ClusterMembershipRequest.id == request_id)
        .options(
            joinedload(ClusterMembershipRequest.cluster),
            joinedload(ClusterMembershipRequest.member),
            joinedload(ClusterMembershipRequest.requested_by),
        )
        .execution_options(populate_existing=True)
    )
    request = session.scalars(statement).one_or_none()
    if request is None or not may_decide(session, actor, request.cluster_id):
        raise MembershipRequestNotFoundError(request_id)
    cluster, member, requester = request.cluster, request.member, request.requested_by
    if accept and session.get(ClusterMembership, (cluster.id, member.id)) is None:
        session.add(ClusterMembership(cluster_id=cluster.id, member_id=member.id))
    session.delete(request)
    session.flush()
    if requester is not None:
        verdict = "accepted" if accept else "refused"
        body = (
            f"Hello {requester.name},\n\n{cluster.name} {verdict} {member.name} as a member."
            f"\n\nThe page of {member.name}: {notifier.link(member)}\n"
        )
        mail = Mail((requester.email,), f"{cluster.name} {verdict} {member.name}", body)
        queue_mail(session, notifier.mailer, [mail])
    return cluster


def _requests_of(session: Session, organisation_id: int) -> list[ClusterMembershipRequest]:
    statement = (
        sa.select(ClusterMembershipRequest)
        .where(ClusterMembershipRequest.member_id == organisation_id)
        .options(joinedload(ClusterMembershipRequest.cluster))
        .order_by(ClusterMembershipRequest.id)
    )
    return list(session.scalars(statement))


def _announce(
    session: Session,
    notifier: ClaimNotifier,
    actor: User,
    organisation: Organisation,
    cluster: Organisation,
) -> None:
    recipients = claim_repository.active_members(session, cluster.id)
    to_whom = "you are a member of it"
    if not recipients:
        recipients = claim_repository.active_administrators(session)
        to_whom = "it has no members yet and you are an administrator"
    subject = f"{organisation.name} asks to be listed as a member of {cluster.name}"
    body = (
        f"{actor.name} ({actor.email}) lists {organisation.name} as a member of {cluster.name} "
        f"in clusterbridge. You are told because {to_whom}. It becomes a member only if you "
        f"accept.\n\nAccept or refuse it here: "
        f"{notifier.public_url}/organisations/{cluster.id}#membership-requests\n"
    )
    mails = [Mail((user.email,), subject, f"Hello {user.name},\n\n{body}") for user in recipients]
    queue_mail(session, notifier.mailer, mails)
