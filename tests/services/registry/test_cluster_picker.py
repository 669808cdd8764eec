"""Finding the cluster an organisation's form adds: by part of its name, its PIC or its name."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.registry import find_clusters, get_cluster, list_listings
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]


def test_find_clusters_lists_clusters_only_never_the_organisation_itself(
    session: Session,
) -> None:
    own = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
    network = make_organisation(
        session, name="Porto Cluster Network", country="PT", nuts=None,
        type=OrgType.CLUSTER_NETWORK,
    )  # fmt: skip
    make_organisation(session, name="Porto Robots", country="PT", nuts=None, type=OrgType.SME)

    found = find_clusters(session, "porto", exclude_id=own.id)
    blank = find_clusters(session, " ,; ")

    assert [item.name for item in found] == [network.name]
    assert blank == []


def test_get_cluster_refuses_what_saving_would_refuse(session: Session) -> None:
    cluster = make_organisation(session, name="Munich Cluster")
    sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME)

    with pytest.raises(InvalidInputError) as itself:
        get_cluster(session, cluster.id, own_id=cluster.id)
    with pytest.raises(InvalidInputError) as not_cluster:
        get_cluster(session, sme.id)
    with pytest.raises(InvalidInputError) as unknown:
        get_cluster(session, 999_999)

    assert get_cluster(session, cluster.id, own_id=sme.id).id == cluster.id
    assert [i.reason for i in itself.value.issues] == ["an organisation cannot be its own member"]
    assert [i.reason for i in not_cluster.value.issues] == [
        "Tiny Robots is not a cluster organisation or cluster network"
    ]
    assert [(i.field, i.reason) for i in unknown.value.issues] == [
        ("cluster_ids", "no organisation 999999")
    ]


def test_list_listings_keeps_the_order_asked_and_skips_unknown_ids(session: Session) -> None:
    first = make_organisation(session, name="Munich Cluster")
    second = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)

    listed = list_listings(session, [second.id, 999_999, first.id, second.id])

    assert [item.name for item in listed] == ["Porto Cluster", "Munich Cluster"]
