"""The suggestions panel of an organisation's page: what each suggestion says beside its match."""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import (
    ConsortiumPartner,
    OrganisationTechnology,
    Participation,
    Project,
)
from clusterbridge.domain.enums import OrgType, SmeProfile, TechnologyDirection
from tests.factories.consortia import make_consortium
from tests.factories.matching import make_matching_registry, make_newcomers_registry
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.web.helpers import sign_in

pytestmark = pytest.mark.integration

OWNER = "owner@cluster.example"


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


def _section(html: str) -> str:
    found = re.findall(r'<section class="newcomers".*?</section>', html, flags=re.S)
    return found[0] if found else ""


def _items(html: str, testid: str) -> list[str]:
    return re.findall(rf'<li data-testid="{testid}".*?</ul>', html, flags=re.S)


def test_the_panel_lists_an_organisation_registered_without_projects_under_the_list(
    client: TestClient, app_state: AppState
) -> None:
    # Eight SMEs with projects fill the panel's list of 8 for Steel Works; Vision AI, next door,
    # declares the machine vision it needs but has no projects: it stands apart, under them.
    with app_state.database.unit_of_work() as session:
        made = make_newcomers_registry(session)
        steel, vision = made["steel"].id, made["vision"].id
    url = f"/organisations/{steel}/suggestions"

    fragment = client.get(url, headers={"HX-Request": "true"}).text
    page = client.get(url).text
    universities = client.get(f"{url}?kind=university&new_only=1").text

    section = _section(fragment)
    assert len(_items(fragment, "suggestion")) == 8
    assert f'data-organisation-id="{vision}"' not in "".join(_items(fragment, "suggestion"))
    assert '<h3 id="newcomers-title">Registered here, no projects yet</h3>' in section
    [item] = _items(section, "newcomer")
    assert f'data-organisation-id="{vision}"' in item
    assert "match 70/100 (strong)" in item
    assert re.findall(r"<li>(.*?)</li>", item.split('<ul class="reasons">')[1]) == [
        "declares Machine vision, which Steel Works needs (no projects yet)",
        "a tech-savvy SME, for Steel Works (a traditional SME)",
        "in the same region as Steel Works: DE21 Oberbayern",
    ]
    # On a page of its own, under the page's h1; hidden when there are none.
    assert '<h2 id="newcomers-title">Registered here, no projects yet</h2>' in _section(page)
    assert 'data-testid="no-suggestions"' in universities
    assert "newcomers" not in universities


def test_a_consortium_s_panel_lists_them_with_an_add_button_for_editors(
    client: TestClient, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        made = make_newcomers_registry(session)
        owner = make_user(session, email=OWNER, name="Olga Owner")
        consortium = make_consortium(session, owner=owner, call_id=None, strand=None)
        consortium.partners.append(ConsortiumPartner(position=1, organisation=made["steel"]))
        session.flush()
        consortium_id, vision = consortium.id, made["vision"].id
    sign_in(client, OWNER)

    fragment = client.get(
        f"/consortia/{consortium_id}/suggestions", headers={"HX-Request": "true"}
    ).text

    [item] = _items(_section(fragment), "newcomer")
    assert f'data-organisation-id="{vision}"' in item
    assert "declares Machine vision, which Steel Works needs (no projects yet)" in item
    assert re.search(
        rf'<form method="post" action="/consortia/{consortium_id}/partners/registry".*?'
        rf'name="organisation_id" value="{vision}".*?aria-label="Add Vision AI"',
        _section(fragment),
        flags=re.S,
    )


def _welding_registry(app_state: AppState) -> tuple[int, int]:
    """Rossi Gates, a traditional SME needing "welding automation" (no technology of the
    vocabulary), Weld Lab, whose two projects give "laser welding" and "repair welding" as
    keywords, and Automators, whose thirty projects are about automation."""
    with app_state.database.unit_of_work() as session:
        gates = make_organisation(session, name="Rossi Gates", pic="100000011", type=OrgType.SME,
                                  sme_profile=SmeProfile.TRADITIONAL, country="IT", nuts=None)  # fmt: skip
        lab = make_organisation(session, name="Weld Lab", pic="100000012", country="FR",
                                nuts=None, type=OrgType.RESEARCH_ORGANISATION)  # fmt: skip
        automators = make_organisation(session, name="Automators", pic="100000013",
                                       country="ES", nuts=None,
                                       type=OrgType.RESEARCH_ORGANISATION)  # fmt: skip
        session.add(OrganisationTechnology(organisation=gates, label="welding automation",
                                           direction=TechnologyDirection.NEEDED))  # fmt: skip
        projects = [
            ("LASWELD", "Laser welding cells", "laser welding, automation", lab),
            ("REWELD", "Rails repaired", "repair welding, automation", lab),
            *((f"FAB{n}", f"Factory {n}", "automation, factories", automators)
              for n in range(30)),
        ]  # fmt: skip
        for number, (acronym, title, keywords, member) in enumerate(projects):
            project = Project(grant_id=f"95{number:04d}", acronym=acronym, title=title,
                              keywords=keywords, objective=f"{title}: {keywords}",
                              start_date=date(2023, 1, 1), participations=[])  # fmt: skip
            session.add(project)
            session.flush()
            session.add(Participation(project=project, organisation=member, role="participant"))
        return gates.id, lab.id


def test_a_need_in_words_names_the_projects_that_show_its_uncommon_word(
    client: TestClient, app_state: AppState
) -> None:
    gates, lab = _welding_registry(app_state)

    page = client.get(f"/organisations/{gates}/suggestions").text

    [item] = [i for i in _items(page, "suggestion") if f'data-organisation-id="{lab}"' in i]
    assert re.findall(r"<li>(.*?)</li>", item.split('<ul class="reasons">')[1]) == [
        "its projects show welding (LASWELD, REWELD), for Rossi Gates&#39;s need: "
        "welding automation",
        "a research organisation, for Rossi Gates (a traditional SME)",
    ]
    assert "automation (" not in page
