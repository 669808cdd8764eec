"""The organisation pages: faceted search, organisation page, create and edit forms."""

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.models import OrganisationTechnology
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import (
    OrgType,
    SmeProfile,
    TechnologyDirection,
    UserRole,
    ValueOrigin,
)
from clusterbridge.services.registry import (
    OrganisationFilters,
    get_organisation,
    search_organisations,
)
from clusterbridge.services.registry.cordis import import_cordis
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.querycount import count_queries
from tests.services.registry.cordis_fixture import ORGANISATIONS, write_cordis
from tests.web.helpers import csrf_token, sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: A ticked cluster of the edit form: its id and what it reads.
CHOSEN = re.compile(
    r'<input type="checkbox" name="cluster_ids" value="(\d+)" checked[^>]*> ([^<]*)</label>'
)

QUOTE = '"'
#: Why the cluster box's "Lyonnesse Cluster" names no cluster.
NO_LYONNESSE = (
    'no cluster organisation or network of the registry is named "Lyonnesse Cluster": give its '
    "name as the registry writes it, its PIC or its registry number"
)


@pytest.fixture
def cordis(clean_database: Database, tmp_path: Path) -> Database:
    """The test database with the tiny CORDIS export loaded."""
    with clean_database.unit_of_work() as session:
        import_cordis(session, write_cordis(tmp_path / "cordis"))
    return clean_database


def _organisation_id(database: Database, name: str) -> int:
    with database.sessions() as session:
        result = search_organisations(session, OrganisationFilters(text=name), with_facets=False)
        return result.items[0].id


def test_search_page_lists_matches_with_facets(client: TestClient, cordis: Database) -> None:
    response = client.get("/organisations", params={"q": "robots"})

    assert response.status_code == 200
    assert "1 organisation for “robots”" in response.text
    assert ">Tiny Robots GmbH</a>" in response.text
    assert "Big Steel AG" not in response.text
    assert 'name="type" value="sme" >' in response.text


#: A checkbox of the "Technology offered" facet: its value and what it reads.
TECHNOLOGY_BOX = re.compile(r'name="technology" value="([^"]+)"[^>]*>\s*([^<]+?)\s*<')


def _add_miner(database: Database) -> None:
    """Lithium Miners, which offers robotics (a vocabulary term) and lithium, a critical raw
    material that profiles read from projects under a code of its own."""
    with database.unit_of_work() as session:
        miner = make_organisation(session, name="Lithium Miners")
        session.add_all(
            [
                OrganisationTechnology(
                    organisation_id=miner.id,
                    direction=TechnologyDirection.OFFERED,
                    label=label,
                    code=code,
                    origin=ValueOrigin.DERIVED,
                )
                for label, code in [("Lithium", "crm-lithium"), ("Robotics", "ati-robotics")]
            ]
        )


def test_the_technology_facet_names_critical_raw_materials(
    client: TestClient, clean_database: Database
) -> None:
    _add_miner(clean_database)

    response = client.get("/organisations", params={"q": "Lithium Miners"})

    assert response.status_code == 200
    assert TECHNOLOGY_BOX.findall(response.text) == [
        ("ati-robotics", "Robotics"),
        ("crm-lithium", "Lithium"),
    ]


def test_the_search_filters_by_a_critical_raw_material(
    client: TestClient, clean_database: Database
) -> None:
    # Ticking "Lithium" among the facets asked for technology=crm-lithium, which was refused
    # as "not a technology code".
    _add_miner(clean_database)
    with clean_database.unit_of_work() as session:
        make_organisation(session, name="Lithium Traders")

    response = client.get("/organisations", params={"q": "Lithium", "technology": "crm-lithium"})

    assert response.status_code == 200
    assert re.findall(r'<a href="/organisations/\d+">([^<]+)</a>', response.text) == [
        "Lithium Miners"
    ]
    assert 'name="technology" value="crm-lithium" checked' in response.text


def test_an_organisation_page_downloads_its_record_as_the_import_reads_it(
    client: TestClient, clean_database: Database
) -> None:
    _add_miner(clean_database)
    miner = _organisation_id(clean_database, "Lithium Miners")

    page = client.get(f"/organisations/{miner}").text
    response = client.get(f"/organisations/{miner}/export", params={"format": "csv"})

    assert f'href="/organisations/{miner}/export?format=csv" download' in page
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="organisation-{miner}.csv"'
    )
    assert response.text.splitlines() == [
        "pic,name,short_name,type,is_sme,sme_profile,country,nuts,city,latitude,longitude,"
        "website,email,legal_entity,eccp_registered,description,ecosystems,"
        "technologies_offered,technologies_needed,clusters,category_2021_2027,"
        "category_2014_2020,source",
        ",Lithium Miners,,cluster_organisation,,,DE,DE212,,,,,,yes,yes,,,Lithium; Robotics,,,,,"
        "manual",
    ]


def test_a_record_download_in_an_unknown_format_is_refused(
    client: TestClient, clean_database: Database
) -> None:
    _add_miner(clean_database)
    miner = _organisation_id(clean_database, "Lithium Miners")

    response = client.get(f"/organisations/{miner}/export", params={"format": "pdf"})
    missing = client.get("/organisations/999999/export", params={"format": "csv"})

    assert response.status_code == 422
    assert "<li>Format: must be one of &#39;csv&#39; or &#39;xlsx&#39;</li>" in response.text
    assert missing.status_code == 404


def test_search_page_finds_an_organisation_by_its_pic(client: TestClient, cordis: Database) -> None:
    response = client.get("/organisations", params={"q": "999000003 "})

    assert response.status_code == 200
    assert "1 organisation for “999000003 ”" in response.text
    assert re.findall(r'<a href="/organisations/\d+">([^<]+)</a>', response.text) == [
        "Big Steel AG"
    ]


def test_search_page_htmx_returns_results_fragment(client: TestClient, cordis: Database) -> None:
    response = client.get(
        "/organisations", params={"country": "EL"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div class="layout">')
    assert "Hydro Cluster Association" in response.text
    assert "Tiny Robots GmbH" not in response.text
    assert 'name="country" value="EL" checked' in response.text


def test_back_to_a_search_htmx_did_not_save_gets_the_whole_page(
    client: TestClient, cordis: Database
) -> None:
    # htmx puts the answer in place of the whole body: a fragment would leave no search box.
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}

    response = client.get("/organisations", params={"q": "robots"}, headers=headers)

    assert response.status_code == 200
    assert response.text.startswith("<!doctype html>")
    assert '<input id="q" name="q" type="search" value="robots"' in response.text
    assert "1 organisation for “robots”" in response.text


def _problems(page: str) -> list[str]:
    """The problems the page lists in its alert, as a reader sees them."""
    alert = page.split('data-testid="page-error"', 1)[1].split("</ul>", 1)[0]
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", alert)]


@pytest.mark.parametrize("page", ["2", "99999", "1" + "0" * 30])
def test_a_page_past_the_results_says_so_and_links_the_last_page(
    client: TestClient, cordis: Database, page: str
) -> None:
    response = client.get("/organisations", params={"q": "robots", "page": page})

    alert = response.text.split('data-testid="page-error">', 1)[1].split("</div>", 1)[0]
    assert (response.status_code, " ".join(re.sub(r"<[^>]+>", " ", alert).split())) == (
        404,
        f"Page {int(page):,} does not exist. The search finds 1 organisation, on 1 page: "
        "go to the last page, page 1 .",
    )
    assert '<a href="/organisations?q=robots&amp;page=1">' in alert
    assert "Tiny Robots GmbH" not in response.text


def test_search_page_refuses_a_country_no_list_knows(client: TestClient, cordis: Database) -> None:
    response = client.get("/organisations", params={"q": "robots", "country": ["DE", "ZZ"]})

    assert response.status_code == 422
    assert _problems(response.text) == [
        'Country: "ZZ" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK'
    ]
    assert '<input id="q" name="q" type="search" value="robots"' in response.text
    assert "Tiny Robots GmbH" not in response.text
    assert 'name="country"' not in response.text


def test_search_page_checks_each_filter_once(client: TestClient, cordis: Database) -> None:
    # The page's values were checked by ``read_filters``, then again by the search: a country
    # code no list knows was looked up in the registry twice.
    with cordis.unit_of_work() as session:
        make_organisation(session, name="Far Away Labs", country="XH", nuts=None)

    with count_queries(cordis.engine) as log:
        response = client.get("/organisations", params={"country": "xh"})

    looked_up = [s for s in log.statements if "WHERE organisation.country = " in s]
    assert (response.status_code, len(looked_up)) == (200, 1)
    assert "Far Away Labs" in response.text


def test_search_page_names_every_filter_with_a_bad_value(
    client: TestClient, cordis: Database
) -> None:
    params = {
        "type": "spaceship",
        "sme_profile": "hipster",
        "ecosystem": "moon-mining",
        "category": "outer",
        "technology": "warp-drive",
    }

    response = client.get("/organisations", params=params, headers={"HX-Request": "true"})

    assert response.status_code == 422
    assert response.text.startswith('<div class="notice error" role="alert"')
    assert [problem.split(":")[0] for problem in _problems(response.text)] == [
        "Type",
        "SME profile",
        "Region category 2021–2027",
        "Industrial ecosystem",
        "Technology offered",
    ]
    assert _problems(response.text)[1] == (
        'SME profile: "hipster" is not an SME profile; use one of traditional, tech_savvy'
    )


def test_organisation_page_shows_projects_with_cordis_links(
    client: TestClient, cordis: Database
) -> None:
    organisation_id = _organisation_id(cordis, "Tiny Robots")

    response = client.get(f"/organisations/{organisation_id}")

    assert response.status_code == 200
    assert (
        '<a href="https://cordis.europa.eu/project/id/101000002" rel="noopener">ROBOWELD</a>'
        in response.text
    )
    assert "Keywords: robotics, welding, hydrogen, islands" in response.text
    assert "<dt>Record from</dt><dd>CORDIS</dd>" in response.text
    assert "/edit" not in response.text


def test_organisation_page_writes_a_project_start_in_words_and_a_cordis_role_plainly(
    client: TestClient, cordis: Database
) -> None:
    organisation_id = _organisation_id(cordis, "Future University")

    response = client.get(f"/organisations/{organisation_id}")

    assert response.status_code == 200
    assert '<td data-label="Role">associated partner</td>' in response.text
    assert '<td data-label="Start" class="nowrap">01 March 2025</td>' in response.text
    assert "associatedPartner" not in response.text
    assert "2025-03-01" not in response.text


def test_the_sme_profile_reads_tech_savvy_on_the_page_and_in_the_results(
    client: TestClient, clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        found = make_organisation(
            session, name="Sensor Smiths", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY
        ).id

    page = client.get(f"/organisations/{found}").text
    results = client.get("/organisations?q=sensor").text

    # Of type SME with the SME flag unknown: an SME, as the call rules count it (ADR 0029).
    assert re.findall(r"<dt>SME</dt><dd>([^<]*)", page) == ["yes, by its type (Tech-savvy)"]
    assert '<br><span class="muted">Tech-savvy</span>' in results


@pytest.mark.parametrize(
    ("org_type", "is_sme", "shown"),
    [
        (OrgType.SME, None, "yes, by its type"),
        (OrgType.SME, False, "no"),
        (OrgType.RESEARCH_ORGANISATION, None, "not known"),
        (OrgType.RESEARCH_ORGANISATION, True, "yes"),
    ],
)
def test_the_sme_line_says_what_the_call_rules_count(
    client: TestClient,
    clean_database: Database,
    org_type: OrgType,
    is_sme: bool | None,
    shown: str,
) -> None:
    # It read "not known" beside "Type: SME", although the rules count such an organisation
    # as an SME (``counts_as_sme``).
    with clean_database.unit_of_work() as session:
        found = make_organisation(session, name="Flagged", type=org_type, is_sme=is_sme).id

    page = client.get(f"/organisations/{found}").text

    assert re.findall(r"<dt>SME</dt><dd>([^<]*)", page) == [shown]


def test_organisation_page_unknown_id_is_404(client: TestClient, clean_database: Database) -> None:
    response = client.get("/organisations/123456")

    assert response.status_code == 404


def test_create_organisation_through_form(client: TestClient, clean_database: Database) -> None:
    with clean_database.unit_of_work() as session:
        make_user(session, email="maria@cluster.example")
    sign_in(client, "maria@cluster.example")
    token = csrf_token(client, "/organisations/new")

    bad = client.post(
        "/organisations/new",
        data={"name": "Sofia Robotics", "country": "BG", "nuts": "DE212", "csrf_token": token},
    )
    good = client.post(
        "/organisations/new",
        data={
            "name": "Sofia Robotics",
            "country": "BG",
            "nuts": "BG411",
            "ecosystems": ["digital"],
            "technologies_offered": "Robotics\nwelding",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    page = client.get(good.headers["location"])

    assert bad.status_code == 422
    assert (
        '<p class="field-error" id="nuts-error" data-testid="error-nuts">'
        "DE212 is in DE, not in BG</p>"
    ) in bad.text
    assert good.status_code == 303
    # The technology by its name alone: its vocabulary code is the registry's, not the reader's.
    assert "<li>Robotics</li>" in page.text
    assert "ati-robotics" not in page.text
    assert f'<a class="button small" href="{good.headers["location"]}/edit">Edit</a>' in page.text


def test_the_form_files_a_raw_material_typed_in_words_under_its_code(
    client: TestClient, clean_database: Database
) -> None:
    # "Lithium" typed on the form had no code: ticking Lithium among the facets missed it.
    with clean_database.unit_of_work() as session:
        make_user(session, email="maria@cluster.example")
    sign_in(client, "maria@cluster.example")
    token = csrf_token(client, "/organisations/new")
    client.post(
        "/organisations/new",
        data={
            "name": "Sofia Mining",
            "country": "BG",
            "technologies_offered": "Lithium\nwelding",
            "csrf_token": token,
        },
    )

    response = client.get("/organisations", params={"technology": "crm-lithium"})

    assert re.findall(r'<a href="/organisations/\d+">([^<]+)</a>', response.text) == [
        "Sofia Mining"
    ]


def test_the_form_stores_a_bare_domain_as_a_website_and_refuses_garbage_beside_it(
    client: TestClient, clean_database: Database
) -> None:
    # "samco.ie" was refused: "is not a web address starting with http:// or https://".
    with clean_database.unit_of_work() as session:
        make_user(session, email="maria@cluster.example")
    sign_in(client, "maria@cluster.example")
    token = csrf_token(client, "/organisations/new")
    fields = {"name": "Samco", "country": "IE", "csrf_token": token}

    bad = client.post("/organisations/new", data=fields | {"website": "not a site"})
    good = client.post(
        "/organisations/new", data=fields | {"website": "www.samco.ie"}, follow_redirects=False
    )
    page = client.get(good.headers["location"])

    assert bad.status_code == 422
    assert invalid_fields(bad.text) == [
        (
            "website",
            '"not a site" is not a website; give an http(s) address or a domain like example.org',
        )
    ]
    assert good.status_code == 303
    assert 'href="https://www.samco.ie"' in page.text


def test_edit_someone_elses_organisation_is_forbidden(
    client: TestClient, clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        make_user(session, email="eve@example.org", role=UserRole.ORGANISATION_MEMBER)
        organisation_id = make_organisation(session, name="Not Yours").id
    sign_in(client, "eve@example.org")
    token = csrf_token(client, "/account")

    page = client.get(f"/organisations/{organisation_id}/edit")
    post = client.post(
        f"/organisations/{organisation_id}/edit",
        data={"name": "Mine now", "country": "DE", "csrf_token": token},
    )

    assert (page.status_code, post.status_code) == (403, 403)
    assert "Not Yours" in client.get(f"/organisations/{organisation_id}").text


@pytest.mark.parametrize("path", ["/organisations", "/organisations?q=cluster"])
def test_search_page_query_count_does_not_grow_with_items(
    client: TestClient, clean_database: Database, path: str
) -> None:
    counts = []
    for first, last in ((0, 1), (1, 3)):
        with clean_database.unit_of_work() as session:
            for number in range(first, last):
                make_organisation(session, name=f"Cluster {number}")
        with count_queries(clean_database.engine) as log:
            response = client.get(path)
        assert f"{last} organisation" in response.text
        counts.append(log.count)

    # the search version, the page of items, the facet combinations, the ecosystem and the
    # technology counts
    assert counts == [5, 5]


def test_the_edit_form_sets_and_clears_cluster_memberships(
    client: TestClient, clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
        sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME).id
        cluster = make_organisation(session, name="Munich Cluster").id
        other_sme = make_organisation(session, name="Other SME", type=OrgType.SME).id
    sign_in(client, "admin@example.org")
    token = csrf_token(client, "/account")
    form = client.get(f"/organisations/{sme}/edit").text
    fields = {"name": "Tiny Robots", "country": "DE", "csrf_token": token}

    joined = client.post(
        f"/organisations/{sme}/edit", data={**fields, "cluster_ids": [str(cluster)]}
    )
    refused = client.post(
        f"/organisations/{sme}/edit", data={**fields, "cluster_ids": [str(other_sme)]}
    )
    edit_again = client.get(f"/organisations/{sme}/edit").text
    left = client.post(f"/organisations/{sme}/edit", data=fields)

    # No cluster is listed until one is chosen: the form ticks the chosen ones only.
    assert CHOSEN.findall(form) == []
    assert f'<a href="/organisations/{cluster}">Munich Cluster</a>' in joined.text
    assert refused.status_code == 422
    assert (
        '<p class="field-error" id="cluster_ids-error" data-testid="error-cluster_ids">'
        "Other SME is not a cluster organisation or cluster network</p>"
    ) in refused.text
    assert CHOSEN.findall(edit_again) == [(str(cluster), "Munich Cluster (DE)")]
    assert "No cluster memberships recorded." in left.text


@pytest.mark.parametrize(
    ("country", "nuts", "shown"),
    [
        # Swiss regions have NUTS codes but no cohesion-policy category in either period.
        ("CH", "CH032", ("none: only EU regions have one", "none: only EU regions have one")),
        # The United Kingdom had categories until 2020.
        ("UK", None, ("none: only EU regions have one", "not known")),
        ("DE", None, ("not known", "not known")),
    ],
)
def test_the_region_category_says_none_outside_the_eu_and_not_known_inside(
    client: TestClient,
    clean_database: Database,
    country: str,
    nuts: str | None,
    shown: tuple[str, str],
) -> None:
    with clean_database.unit_of_work() as session:
        organisation_id = make_organisation(session, country=country, nuts=nuts).id

    page = client.get(f"/organisations/{organisation_id}").text

    found = re.findall(r"<dt>Region category 20\d\d–20\d\d</dt><dd>([^<]*)</dd>", page)
    assert tuple(found) == shown


@pytest.mark.parametrize(
    ("country", "nuts", "city", "shown"),
    [
        (
            "ES",
            "ES523",
            "SOLLANA VALENCIA",
            ("Spain (ES)", "ES523 Valencia/València", "SOLLANA VALENCIA"),
        ),
        ("EL", "EL301", None, ("Greece (EL)", "EL301 Voreios Tomeas Athinon", "—")),
        ("DE", None, "Berlin", ("Germany (DE)", "—", "Berlin")),
        # A code the NUTS files do not have is shown as it was recorded.
        ("FR", "FRQ99", None, ("France (FR)", "FRQ99", "—")),
    ],
)
def test_the_place_reads_with_the_names_of_the_country_and_the_region(
    client: TestClient,
    clean_database: Database,
    country: str,
    nuts: str | None,
    city: str | None,
    shown: tuple[str, str, str],
) -> None:
    with clean_database.unit_of_work() as session:
        organisation = make_organisation(session, country=country, nuts=nuts)
        organisation.city = city
        organisation_id = organisation.id

    page = html.unescape(client.get(f"/organisations/{organisation_id}").text)

    found = re.findall(r"<dt>(?:Country|Region|City)</dt><dd>([^<]*)</dd>", page)
    assert tuple(found) == shown


def test_organisation_page_says_why_it_is_a_technology_centre(
    client: TestClient, clean_database: Database, tmp_path: Path
) -> None:
    row = ("999000011", "FUNDACION CENTRO TECNOLOGICO DE COMPONENTES", "CTC", "REC", "False",
           "False", "ES", "ES130")  # fmt: skip
    with clean_database.unit_of_work() as session:
        import_cordis(session, write_cordis(tmp_path, organisations=[*ORGANISATIONS, row]))
    organisation_id = _organisation_id(clean_database, "CENTRO TECNOLOGICO DE COMPONENTES")

    response = client.get(f"/organisations/{organisation_id}")

    [shown] = re.findall(r'<dd data-testid="type">(.*?)</dd>', response.text, re.S)
    assert html.unescape(shown) == (
        'Technology centre <span class="evidence">(derived: the name says a technology centre '
        "('centro tecnologico'); CORDIS: research organisation)</span>"
    )


def test_a_member_confirms_the_technology_centre_type_on_the_page(
    client: TestClient, clean_database: Database, tmp_path: Path
) -> None:
    row = ("999000011", "FUNDACION CENTRO TECNOLOGICO DE COMPONENTES", "CTC", "REC", "False",
           "False", "ES", "ES130")  # fmt: skip
    with clean_database.unit_of_work() as session:
        import_cordis(session, write_cordis(tmp_path, organisations=[*ORGANISATIONS, row]))
        make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
    organisation_id = _organisation_id(clean_database, "CENTRO TECNOLOGICO DE COMPONENTES")
    sign_in(client, "admin@example.org")
    token = csrf_token(client, "/account")
    before = client.get(f"/organisations/{organisation_id}").text

    client.post(
        f"/organisations/{organisation_id}/confirm", data={"field": "type", "csrf_token": token}
    )

    [shown] = re.findall(
        r'<dd data-testid="type">(.*?)</dd>', client.get(f"/organisations/{organisation_id}").text
    )
    assert '<input type="hidden" name="field" value="type">' in before
    assert shown == "Technology centre"


def test_saving_the_edit_form_says_the_organisation_is_saved(
    client: TestClient, clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
        organisation_id = make_organisation(session, name="Tiny Robots").id
    sign_in(client, "admin@example.org")
    token = csrf_token(client, "/account")

    saved = client.post(
        f"/organisations/{organisation_id}/edit",
        data={"name": "Tiny Robots GmbH", "country": "DE", "csrf_token": token},
        follow_redirects=False,
    )
    page = client.get(saved.headers["location"]).text
    plain = client.get(f"/organisations/{organisation_id}").text

    assert saved.status_code == 303
    assert saved.headers["location"] == f"/organisations/{organisation_id}?saved=1"
    assert re.findall(r'<div class="notice success" role="status".*?</div>', page, re.S) == [
        '<div class="notice success" role="status" data-testid="saved">'
        "<p>The organisation is saved.</p></div>"
    ]
    assert 'data-testid="saved"' not in plain


@pytest.fixture
def clusters(clean_database: Database) -> dict[str, int]:
    """An administrator, an SME to edit, three clusters (two in Munich) and a Munich SME."""
    with clean_database.unit_of_work() as session:
        make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
        made = {
            "sme": make_organisation(session, name="Tiny Robots", type=OrgType.SME),
            "aerospace": make_organisation(
                session, name="Munich Aerospace Cluster", pic="900000001"
            ),
            "munich": make_organisation(session, name="Munich Cluster"),
            "textiles": make_organisation(
                session, name="Porto Textile Cluster", country="PT", nuts=None
            ),
            "munich_sme": make_organisation(session, name="Munich Robots", type=OrgType.SME),
        }
        return {key: organisation.id for key, organisation in made.items()}


def test_the_cluster_search_lists_clusters_only_and_marks_the_chosen_ones(
    client: TestClient, clusters: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")

    found = client.get(
        "/organisations/clusters",
        params={
            "add_cluster": "munich",
            "exclude": clusters["sme"],
            "cluster_ids": [str(clusters["munich"])],
        },
        headers={"HX-Request": "true"},
    )
    by_pic = client.get("/organisations/clusters", params={"add_cluster": "900000001"})
    itself = client.get(
        "/organisations/clusters",
        params={"add_cluster": "munich cluster", "exclude": clusters["munich"]},
    )
    nothing = client.get("/organisations/clusters", params={"add_cluster": "lyonnesse"})

    assert found.status_code == 200
    # Best match first: the two databases rank these two alike, and break the tie each its way.
    assert sorted(re.findall(r"<strong>([^<]+)</strong>", found.text)) == [
        "Munich Aerospace Cluster",
        "Munich Cluster",
    ]
    assert re.findall(r'aria-label="Add ([^"]+)"', found.text) == ["Munich Aerospace Cluster"]
    assert '<span class="badge status-pass">added</span>' in found.text
    assert re.findall(r"<strong>([^<]+)</strong>", by_pic.text) == ["Munich Aerospace Cluster"]
    assert re.findall(r"<strong>([^<]+)</strong>", itself.text) == ["Munich Aerospace Cluster"]
    assert html.unescape(re.sub(r"<[^>]+>", "", nothing.text)).strip() == (
        "No cluster organisation matches “lyonnesse”."
    )


def test_adding_a_found_cluster_ticks_it_in_the_form(
    client: TestClient, clusters: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")

    added = client.get(
        f"/organisations/clusters/{clusters['textiles']}/choice", headers={"HX-Request": "true"}
    )
    not_a_cluster = client.get(f"/organisations/clusters/{clusters['munich_sme']}/choice")

    assert added.status_code == 200
    assert CHOSEN.findall(added.text) == [(str(clusters["textiles"]), "Porto Textile Cluster (PT)")]
    assert 'hx-swap-oob="beforeend:#chosen-clusters"' in added.text
    assert '<span class="badge status-pass">added</span>' in added.text
    assert not_a_cluster.status_code == 422
    assert "Munich Robots is not a cluster organisation or cluster network" in not_a_cluster.text


def test_without_javascript_a_cluster_is_added_by_typing_its_name(
    client: TestClient, clean_database: Database, clusters: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    token = csrf_token(client, "/account")
    edit = f"/organisations/{clusters['sme']}/edit"
    fields = {"name": "Tiny Robots", "country": "DE", "csrf_token": token}

    several = client.post(edit, data={**fields, "add_cluster": "Munich"})
    none = client.post(edit, data={**fields, "add_cluster": "Lyonnesse Cluster"})
    unchanged = client.get(edit).text
    by_name = client.post(
        edit,
        data={
            **fields,
            "add_cluster": "munich cluster",
            "cluster_ids": [str(clusters["textiles"])],
        },
        follow_redirects=False,
    )
    saved = client.get(edit).text

    assert (several.status_code, none.status_code) == (422, 422)
    # A part of a name lists the clusters it matches, with their country and PIC (or registry
    # number), as a delivery's organisation does (services/registry/named.py).
    [named] = re.findall(
        r'<p class="field-error" id="add_cluster-error" data-testid="error-add_cluster">'
        r"no cluster organisation or network of the registry is named &#34;Munich&#34; "
        r"\(it matches (.*)\): give the whole name, the PIC or the registry number</p>",
        several.text,
    )
    assert sorted(named.split("; ")) == [
        "Munich Aerospace Cluster (DE, PIC 900000001)",
        f"Munich Cluster (DE, registry number {clusters['munich']})",
    ]
    assert (
        '<p class="field-error" id="add_cluster-error" data-testid="error-add_cluster">'
        "no cluster organisation or network of the registry is named &#34;Lyonnesse "
        "Cluster&#34;: give its name as the registry writes it, its PIC or its registry "
        "number</p>"
    ) in none.text
    assert CHOSEN.findall(unchanged) == []
    assert by_name.status_code == 303
    assert CHOSEN.findall(saved) == [
        (str(clusters["textiles"]), "Porto Textile Cluster (PT)"),
        (str(clusters["munich"]), "Munich Cluster (DE)"),
    ]


def test_cluster_ids_that_are_no_ids_are_refused_beside_the_field(
    client: TestClient, clusters: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    fields = {"name": "Tiny Robots", "country": "DE", "csrf_token": csrf_token(client, "/account")}

    refused = client.post(
        f"/organisations/{clusters['sme']}/edit",
        data={**fields, "cluster_ids": ["²", str(clusters["munich"])]},
    )

    assert refused.status_code == 422
    assert (
        '<p class="field-error" id="cluster_ids-error" data-testid="error-cluster_ids">'
        "must be a list of organisation ids</p>"
    ) in refused.text
    assert CHOSEN.findall(refused.text) == [(str(clusters["munich"]), "Munich Cluster (DE)")]


def test_a_box_that_names_no_cluster_is_refused_with_the_forms_other_mistakes(
    client: TestClient, clean_database: Database, clusters: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    edit = f"/organisations/{clusters['sme']}/edit"
    fields = {"name": " ", "country": "DE", "pic": "12", "add_cluster": "Lyonnesse Cluster",
              "cluster_ids": [str(clusters["munich_sme"])],
              "csrf_token": csrf_token(client, "/account")}  # fmt: skip

    refused = client.post(edit, data=fields)

    assert refused.status_code == 422
    assert summary_items(refused.text) == [
        "Name: is required",
        'PIC: "12" is not a PIC: a PIC has exactly 9 digits',
        "Member of these cluster organisations: Munich Robots is not a cluster organisation or "
        "cluster network",
        f"Add a cluster: {NO_LYONNESSE}",
    ]
    assert invalid_fields(refused.text) == [
        ("name", "is required"),
        ("pic", '"12" is not a PIC: a PIC has exactly 9 digits'),
        ("cluster_ids", "Munich Robots is not a cluster organisation or cluster network"),
        ("add_cluster", NO_LYONNESSE),
    ]
    assert (
        f'<input type="checkbox" name="cluster_ids" value="{clusters["munich_sme"]}" checked '
        'aria-invalid="true" aria-describedby="cluster_ids-error cluster_ids-hint">'
    ) in refused.text
    assert 'aria-invalid="true" aria-describedby="add_cluster-error add_cluster-hint"' in (
        refused.text
    )
    assert (
        '<p class="field-error" id="add_cluster-error" data-testid="error-add_cluster">'
        f"{NO_LYONNESSE.replace(QUOTE, '&#34;')}</p>"
    ) in refused.text
    with clean_database.unit_of_work() as session:
        sme = get_organisation(session, clusters["sme"])
        assert (sme.name, sme.pic, list(sme.clusters)) == ("Tiny Robots", None, [])


def test_a_new_organisation_whose_box_names_no_cluster_names_every_mistake(
    client: TestClient, clean_database: Database, clusters: dict[str, int]
) -> None:
    sign_in(client, "admin@example.org")
    fields = {"name": "Lyon Robots", "country": "Atlantis", "add_cluster": "Lyonnesse Cluster",
              "csrf_token": csrf_token(client, "/account")}  # fmt: skip

    refused = client.post("/organisations/new", data=fields)

    assert refused.status_code == 422
    assert summary_items(refused.text) == [
        'Country: "Atlantis" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK',
        f"Add a cluster: {NO_LYONNESSE}",
    ]
    with clean_database.unit_of_work() as session:
        found = search_organisations(session, OrganisationFilters(text="Lyon Robots"))
        assert found.total == 0
