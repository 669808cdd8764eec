"""The suggestions panel of an organisation's page: what each suggestion says beside its match."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from tests.factories.matching import make_matching_registry

pytestmark = pytest.mark.integration


def test_the_panel_marks_a_past_partner_when_new_partners_only_is_not_ticked(
    client: TestClient, app_state: AppState
) -> None:
    # Steel Works was in a project with the cluster: asked without "new partners only", the
    # panel may suggest it, and says that it is a past partner.
    with app_state.database.unit_of_work() as session:
        registry = make_matching_registry(session)
        steel, cluster = registry["steel"].id, registry["cluster"].id
    url = f"/organisations/{steel}/suggestions?kind=cluster_organisation"

    every = client.get(url).text
    new = client.get(f"{url}&new_only=1").text

    [item] = re.findall(r'<li data-testid="suggestion".*?</p>', every, flags=re.S)
    assert f'data-organisation-id="{cluster}"' in item
    assert item.endswith('· <span data-testid="past-partner">past partner</span></span></p>')
    assert 'data-testid="past-partner"' not in new
