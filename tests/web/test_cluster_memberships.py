"""A cluster's members accept an organisation that lists itself as a member (web and API)."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def ids(clean_database: Database) -> tuple[int, int, str, str]:
    with clean_database.unit_of_work() as session:
        sme_editor = make_user(session, email="sme@example.org", name="Sam")
        manager = make_user(session, email="cm@example.org", name="Clara")
        cluster = make_organisation(session, name="Munich Cluster")
        sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME)
        add_member(session, sme, sme_editor)
        add_member(session, cluster, manager)
        token = create_api_token(session, manager, name="cm")[1]
        sme_token = create_api_token(session, sme_editor, name="sme")[1]
        return cluster.id, sme.id, token, sme_token


def test_listing_a_cluster_waits_for_its_members_to_accept_on_its_page(
    client: TestClient, ids: tuple[int, int, str, str]
) -> None:
    cluster, sme, _token, _sme_token = ids
    sign_in(client, "sme@example.org")
    fields = {"name": "Tiny Robots", "country": "DE", "cluster_ids": [str(cluster)]}
    edited = client.post(
        f"/organisations/{sme}/edit", data={**fields, "csrf_token": csrf_token(client, "/account")}
    )
    assert "No cluster memberships recorded." in edited.text
    assert '<li data-testid="asked-cluster">Munich Cluster</li>' in edited.text
    assert 'data-testid="membership-requests"' not in client.get(f"/organisations/{cluster}").text

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, "cm@example.org")
    page = client.get(f"/organisations/{cluster}").text
    found = re.search(r"/organisations/membership-requests/(\d+)/accept", page)
    assert found is not None
    accepted = client.post(
        found.group(0), data={"csrf_token": csrf_token(client, "/account")}, follow_redirects=False
    )

    assert accepted.headers["location"] == f"/organisations/{cluster}#membership-requests"
    assert (
        f'<a href="/organisations/{cluster}">Munich Cluster</a>'
        in client.get(f"/organisations/{sme}").text
    )


def test_the_api_lists_and_refuses_requests_for_the_clusters_members_only(
    client: TestClient, ids: tuple[int, int, str, str]
) -> None:
    cluster, sme, token, sme_token = ids
    patched = client.patch(
        f"/api/organisations/{sme}",
        json={"cluster_ids": [cluster]},
        headers={"Authorization": f"Bearer {sme_token}"},
    )
    outsider = client.get(
        f"/api/organisations/{cluster}/membership-requests",
        headers={"Authorization": f"Bearer {sme_token}"},
    )
    listed = client.get(
        f"/api/organisations/{cluster}/membership-requests",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    refused = client.post(
        f"/api/organisations/membership-requests/{listed[0]['id']}/refuse",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert patched.status_code == 200
    assert patched.json()["clusters"] == []
    assert outsider.status_code == 403
    assert [(item["member_id"], item["member_name"]) for item in listed] == [(sme, "Tiny Robots")]
    assert refused.status_code == 204
    assert client.get(f"/api/organisations/{sme}").json()["clusters"] == []
