"""The consortium pages: list, create, the live eligibility panel, partner tools, access, PDF."""

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Consortium, ConsortiumPartner
from clusterbridge.db.repositories.consortia import get_consortium
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import OrgType, Role, SmeProfile, UserRole
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

OWNER = "owner@cluster.example"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OTHER = "other@cluster.example"
VERDICT = re.compile(r'data-testid="verdict">([^<]+)<')


@pytest.fixture
def users(app_state: AppState) -> None:
    with app_state.database.unit_of_work() as session:
        make_user(session, email=OWNER, name="Olga Owner")
        make_user(session, email=OTHER, name="Otto Other")


def _consortium(app_state: AppState, email: str = OWNER, **kwargs: object) -> int:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, email)
        assert owner is not None
        return make_consortium(session, owner=owner, **kwargs).id  # type: ignore[arg-type]


def _htmx(client: TestClient, page: str) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": csrf_token(client, page)}


def _verdict(html: str) -> str:
    found = VERDICT.findall(html)
    assert len(found) == 1, html
    return found[0]


# ------------------------------------------------------------------------- list and create


def test_the_list_shows_my_consortia_and_not_someone_elses(
    client: TestClient, app_state: AppState, users: None
) -> None:
    _consortium(app_state, name="Isar Eurocluster")
    _consortium(app_state, OTHER, name="Secret Hydrogen Alliance")
    sign_in(client, OWNER)

    page = client.get("/consortia")

    assert page.status_code == 200
    assert "Isar Eurocluster" in page.text
    assert "Secret Hydrogen Alliance" not in page.text
    assert re.findall(
        r'class="badge status-(\w+)" data-testid="consortium-verdict">', page.text
    ) == ["ineligible"]


def test_the_list_needs_signing_in(client: TestClient) -> None:
    response = client.get("/consortia", follow_redirects=False)

    assert response.headers["location"] == "/sign-in?next=/consortia"


def test_create_opens_the_new_consortium(client: TestClient, users: None) -> None:
    sign_in(client, OWNER)

    response = client.post(
        "/consortia",
        data={
            "name": "Isar Eurocluster",
            "call_id": "SMP-COSME-2024-CLUSTER",
            "strand": "1",
            "duration_months": "36",
            "requested_grant_eur": "4 000 000",
            "csrf_token": csrf_token(client, "/consortia"),
        },
        follow_redirects=False,
    )
    page = client.get(response.headers["location"])

    assert response.status_code == 303
    assert re.fullmatch(r"/consortia/\d+", response.headers["location"])
    assert '<h1 data-testid="consortium-title">Isar Eurocluster</h1>' in page.text
    assert 'value="4000000"' in page.text
    assert _verdict(page.text) == "ineligible"
    assert re.findall(r'data-testid="verdict-call">([^<]+)</span>([^<]*)', page.text) == [
        ("Joint Cluster Initiatives (EUROCLUSTERS) for Europe&#39;s recovery", ", strand 1  ")
    ]


def test_create_names_every_bad_field(client: TestClient, users: None) -> None:
    sign_in(client, OWNER)

    response = client.post(
        "/consortia",
        data={
            "name": "",
            "strand": "cluster-x",
            "duration_months": "three",
            "requested_grant_eur": "-5",
            "csrf_token": csrf_token(client, "/consortia"),
        },
    )

    assert response.status_code == 422
    assert re.findall(r'id="([a-z_]+)-error">([^<]+)<', response.text) == [
        ("name", "is required"),
        ("strand", "choose a call before its strand"),
        ("duration_months", "&#34;three&#34; is not a whole number"),
        (
            "requested_grant_eur",
            "must be a positive amount up to EUR 1,000,000,000,000, not -5",
        ),
    ]
    assert 'name="duration_months" value="three"' in response.text
    assert 'name="requested_grant_eur" value="-5"' in response.text


def test_a_negative_or_huge_number_is_told_the_range_not_that_it_is_no_number(
    client: TestClient, users: None
) -> None:
    sign_in(client, OWNER)

    response = client.post(
        "/consortia",
        data={
            "name": "Isar Eurocluster",
            "duration_months": "-5",
            "requested_grant_eur": "999999999999999999999",
            "csrf_token": csrf_token(client, "/consortia"),
        },
    )

    assert response.status_code == 422
    assert re.findall(r'id="([a-z_]+)-error">([^<]+)<', response.text) == [
        ("duration_months", "must be 1 to 1200 months, not -5"),
        (
            "requested_grant_eur",
            "must be a positive amount up to EUR 1,000,000,000,000, not 999999999999999999999",
        ),
    ]


@pytest.mark.parametrize(
    ("grant", "shown"),
    [("EUR 350,000", "350000"), ("350,000 EUR", "350000"), ("€350 000.00", "350000")],
)
def test_create_reads_the_grant_as_the_pages_print_it(
    client: TestClient, users: None, grant: str, shown: str
) -> None:
    sign_in(client, OWNER)

    response = client.post(
        "/consortia",
        data={
            "name": "Isar Eurocluster",
            "requested_grant_eur": grant,
            "csrf_token": csrf_token(client, "/consortia"),
        },
        follow_redirects=False,
    )
    page = client.get(response.headers["location"]).text

    assert response.status_code == 303
    assert re.findall(r'name="requested_grant_eur" value="([^"]*)"', page) == [shown]


@pytest.mark.parametrize(
    ("grant", "reason"),
    [
        ("EUR 12,34,5", "&#34;EUR 12,34,5&#34; is not an amount in euros, such as EUR 350,000"),
        ("EUR 350,000.50", "must be in whole euros, without cents, not &#34;EUR 350,000.50&#34;"),
        ("EUR -5", "must be a positive amount up to EUR 1,000,000,000,000, not -5"),
    ],
)
def test_create_refuses_a_grant_it_cannot_take_beside_the_field(
    client: TestClient, users: None, grant: str, reason: str
) -> None:
    sign_in(client, OWNER)

    response = client.post(
        "/consortia",
        data={
            "name": "Isar Eurocluster",
            "requested_grant_eur": grant,
            "csrf_token": csrf_token(client, "/consortia"),
        },
    )

    assert response.status_code == 422
    assert re.findall(r'id="([a-z_]+)-error">([^<]+)<', response.text) == [
        ("requested_grant_eur", reason)
    ]


def test_the_settings_form_names_every_bad_field_at_once(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)

    response = client.post(
        f"/consortia/{consortium_id}/settings",
        data={"name": " ", "call_id": "NOT-A-CALL", "duration_months": "2 years"},
        headers=_htmx(client, f"/consortia/{consortium_id}"),
    )

    errors = dict(re.findall(r'id="([a-z_]+)-error">([^<]+)<', response.text))
    assert list(errors) == ["name", "call_id", "duration_months"]
    assert errors["name"] == "is required"
    assert errors["call_id"].startswith("&#34;NOT-A-CALL&#34; is not a call; calls: ")
    assert errors["duration_months"] == "&#34;2 years&#34; is not a whole number"
    assert 'name="duration_months" value="2 years"' in response.text


SETTINGS_SECTION = re.compile(r'<section id="settings".*?</section>', re.S)


def _settings_fields(html: str) -> dict[str, str]:
    """What the settings form shows in each field: the text typed, the option chosen."""
    (section,) = SETTINGS_SECTION.findall(html)
    fields = dict(
        re.findall(r'<input id="consortium-[a-z]+" name="([a-z_]+)" value="([^"]*)"', section)
    )
    chosen = re.findall(r'<option value="([^"]*)" selected', section)
    return fields | dict(zip(("call_id", "strand"), chosen, strict=True))


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_the_settings_form_keeps_every_field_typed_after_an_error(
    client: TestClient, app_state: AppState, users: None, htmx: bool
) -> None:
    # The QA of 2026-12-07: strand 1 chosen, grant "abc", Save: the strand went back to none,
    # so that saving again with the grant fixed stored no strand.
    consortium_id = _consortium(app_state, call_id=None, strand=None, duration_months=None)
    sign_in(client, OWNER)
    typed = {
        "name": "Isar Hydrogen",
        "call_id": "SMP-COSME-2021-CLUSTER",
        "strand": "tourism",
        "duration_months": "24",
        "requested_grant_eur": "abc",
    }
    page = f"/consortia/{consortium_id}"
    token = csrf_token(client, page)
    headers = _htmx(client, page) if htmx else {}

    response = client.post(f"{page}/settings", data=typed | {"csrf_token": token}, headers=headers)

    # htmx swaps in the fragment it asked for (its answer is a 200), a browser without
    # JavaScript gets the page in the error's status.
    assert response.status_code == (200 if htmx else 422)
    assert re.findall(r'class="field-error" id="([a-z_]+)-error">([^<]+)<', response.text) == [
        ("requested_grant_eur", "&#34;abc&#34; is not an amount in euros, such as EUR 350,000")
    ]
    assert _settings_fields(response.text) == typed
    with app_state.database.unit_of_work() as session:
        saved = get_consortium(session, consortium_id)
        assert saved is not None
        assert (saved.name, saved.call_id, saved.strand) == ("Isar Eurocluster", None, None)


def test_create_without_the_csrf_token_is_refused(client: TestClient, users: None) -> None:
    sign_in(client, OWNER)

    response = client.post("/consortia", data={"name": "X"})

    assert response.status_code == 403


def test_the_strand_select_follows_the_call(client: TestClient, users: None) -> None:
    sign_in(client, OWNER)

    fragment = client.get("/consortia/strands", params={"call_id": "SMP-COSME-2024-CLUSTER"})

    assert re.findall(r'<option value="([^"]*)"', fragment.text) == ["", "1", "2"]
    assert 'data-call="SMP-COSME-2024-CLUSTER"' in fragment.text
    assert "selected" not in fragment.text


@pytest.mark.parametrize(
    ("call_id", "strand", "selected"),
    [
        ("SMP-COSME-2024-CLUSTER", "2", ["2"]),  # chosen while the request was on its way: kept
        ("SMP-COSME-2024-CLUSTER", "", []),
        ("", "1", ["1"]),  # no call chosen: every call's strands, the strand kept
        ("", "", []),
    ],
)
def test_the_strand_select_keeps_a_strand_the_new_call_has(
    client: TestClient, users: None, call_id: str, strand: str, selected: list[str]
) -> None:
    sign_in(client, OWNER)

    fragment = client.get("/consortia/strands", params={"call_id": call_id, "strand": strand})

    assert re.findall(r'<option value="([^"]*)" selected', fragment.text) == selected


STRAND_OPTIONS = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')


def test_the_strands_are_labelled_by_their_titles_once(client: TestClient, users: None) -> None:
    sign_in(client, OWNER)

    fragment = client.get("/consortia/strands", params={"call_id": "SMP-COSME-2024-CLUSTER"})

    assert STRAND_OPTIONS.findall(fragment.text) == [
        ("", "— none / choose later —"),
        ("1", "Strand 1: net-zero technologies and critical raw materials"),
        ("2", "Strand 2: value chains not covered in Strand 1"),
    ]


def test_the_create_form_groups_the_strands_by_call_before_one_is_chosen(
    client: TestClient, users: None
) -> None:
    sign_in(client, OWNER)

    page = client.get("/consortia").text

    (select,) = re.findall(r'<select id="consortium-strand".*?</select>', page, re.S)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    # The calls without strands (cluster-excellence, strategic-alliances-2020) have no group.
    assert [call for call, _ in groups] == ["SMP-COSME-2021-CLUSTER", "SMP-COSME-2024-CLUSTER"]
    assert STRAND_OPTIONS.findall(groups[0][1])[:3] == [
        ("open", "Open strand"), ("tourism", "Tourism"),
        ("mobility-transport-automotive", "Mobility-Transport-Automotive"),
    ]  # fmt: skip


def test_a_strand_the_new_call_lacks_stays_chosen_and_is_said(
    client: TestClient, users: None
) -> None:
    # The QA of 2026-12-07: strand "tourism" (of SMP-COSME-2021-CLUSTER) chosen, then the call
    # cluster-excellence, which has no strands: the strand vanished and the consortium was
    # created without it, with no word.
    sign_in(client, OWNER)

    fragment = client.get(
        "/consortia/strands", params={"call_id": "cluster-excellence", "strand": "tourism"}
    )

    assert STRAND_OPTIONS.findall(fragment.text) == [
        ("", "— none / choose later —"),
        ("tourism", "Tourism (not a strand of cluster-excellence)"),
    ]
    assert re.findall(r'<option value="([^"]*)" selected', fragment.text) == ["tourism"]
    assert re.findall(r'id="strand-note">([^<]*)<', fragment.text) == [
        "Tourism is not a strand of cluster-excellence: choose one of its strands, or none."
    ]


def test_create_refuses_a_strand_of_another_call_beside_the_field(
    client: TestClient, app_state: AppState, users: None
) -> None:
    sign_in(client, OWNER)

    response = client.post(
        "/consortia",
        data={
            "name": "Isar Eurocluster",
            "call_id": "cluster-excellence",
            "strand": "tourism",
            "csrf_token": csrf_token(client, "/consortia"),
        },
        follow_redirects=False,
    )

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([a-z_]+)-error">([^<]+)<', response.text) == [
        (
            "strand",
            "&#34;tourism&#34; is not a strand of cluster-excellence; strands: none (this call "
            "has no strands)",
        )
    ]
    # The strand stays chosen, said once (beside the field).
    assert re.findall(r'<option value="([^"]*)" selected', response.text) == [
        "cluster-excellence", "tourism"
    ]  # fmt: skip
    assert 'id="strand-note"' not in response.text
    with app_state.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Consortium)) == 0


# --------------------------------------------------------------------- the live panel


def test_adding_partners_step_by_step_turns_the_verdict_eligible(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    with app_state.database.unit_of_work() as session:
        ids = [
            make_organisation(
                session, name=name, country=country, nuts=nuts, eccp_registered=eccp
            ).id
            for name, country, nuts, eccp in [
                ("Munich Cluster", "DE", "DE212", True),
                ("Rzeszow Cluster", "PL", "PL823", None),
                ("Barcelona Cluster", "ES", "ES511", None),
            ]
        ]
    sign_in(client, OWNER)
    base = f"/consortia/{consortium_id}"
    headers = _htmx(client, base)
    verdicts = []

    for organisation_id in ids:
        added = client.post(
            f"{base}/partners/registry",
            data={"organisation_id": str(organisation_id)},
            headers=headers,
        )
        assert 'id="eligibility"' in added.text
        assert 'hx-swap-oob="true"' in added.text
        verdicts.append(_verdict(added.text))
    with app_state.database.unit_of_work() as session:
        consortium = get_consortium(session, consortium_id)
        assert consortium is not None
        munich, rzeszow, barcelona = (p.id for p in consortium.partners)
    for partner_id, field, value in [
        (munich, "role", "coordinator"),
        (rzeszow, "role", "beneficiary"),
        (barcelona, "role", "beneficiary"),
        (rzeszow, "eccp_registered", "yes"),
    ]:
        edited = client.post(
            f"{base}/partners/{partner_id}", data={"field": field, "value": value}, headers=headers
        )
        assert f'id="partner-{partner_id}"' in edited.text
        verdicts.append(_verdict(edited.text))

    assert verdicts == [
        "ineligible",
        "ineligible",
        "incomplete",
        "incomplete",
        "incomplete",
        "incomplete",
        "eligible",
    ]
    page = client.get(base).text
    assert '<option value="coordinator" selected>Coordinator</option>' in page
    assert 'data-status="pass"' in page
    assert 'data-status="fail"' not in page


def test_an_inline_edit_error_is_shown_in_the_row(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    with app_state.database.unit_of_work() as session:
        consortium = get_consortium(session, consortium_id)
        assert consortium is not None
        partner_id = add_partner(session, consortium, name="Rzeszow Cluster", country="PL").id
    sign_in(client, OWNER)

    response = client.post(
        f"/consortia/{consortium_id}/partners/{partner_id}",
        data={"field": "nuts", "value": "DE212"},
        headers=_htmx(client, f"/consortia/{consortium_id}"),
    )

    assert response.status_code == 200
    assert (
        '<td colspan="8" role="alert" data-testid="partner-error">NUTS code DE212 is in DE, not PL</td>'
        in response.text
    )


def test_search_finds_registry_organisations_with_an_add_button(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    with app_state.database.unit_of_work() as session:
        make_organisation(session, name="Munich Cluster")
        make_organisation(session, name="Barcelona Cluster", country="ES", nuts="ES511")
    sign_in(client, OWNER)

    results = client.get(
        f"/consortia/{consortium_id}/organisations",
        params={"q": "barcelona"},
        headers={"HX-Request": "true"},
    )

    assert re.findall(r"<strong>([^<]+)</strong>", results.text) == ["Barcelona Cluster"]
    assert results.text.count('data-testid="add-organisation"') == 1


def test_a_registry_cluster_with_a_recorded_sme_profile_is_added(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    with app_state.database.unit_of_work() as session:
        organisation_id = make_organisation(
            session,
            name="ELLINIKI ENOSI FOTONIKIS",
            country="EL",
            nuts="EL303",
            type=OrgType.CLUSTER_ORGANISATION,
            sme_profile=SmeProfile.TECH_SAVVY,
        ).id
    sign_in(client, OWNER)
    base = f"/consortia/{consortium_id}"

    added = client.post(
        f"{base}/partners/registry",
        data={"organisation_id": str(organisation_id)},
        headers=_htmx(client, base),
    )

    assert added.status_code == 200
    assert added.headers["HX-Trigger"] == "partners-changed"
    assert 'data-testid="partners-error"' not in added.text
    with app_state.database.unit_of_work() as session:
        consortium = get_consortium(session, consortium_id)
        assert consortium is not None
        assert [p.organisation_id for p in consortium.partners] == [organisation_id]


def test_an_empty_typed_partner_names_the_required_fields_next_to_them(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)
    blank = dict.fromkeys(("name", "country", "nuts", "pic", "type", "role"), "")

    response = client.post(
        f"/consortia/{consortium_id}/partners/typed",
        data={**blank, "eccp_registered": "", "legal_entity": ""},
        headers=_htmx(client, f"/consortia/{consortium_id}"),
    )

    assert re.findall(r'data-testid="typed-([a-z_]+)-error">([^<]+)<', response.text) == [
        ("name", "is required"),
        ("country", "is required"),
    ]
    assert "<strong>The partner has 2 problems</strong>: see the fields marked above" in (
        response.text
    )
    assert "no partners" not in response.text


def test_typed_partner_problems_are_listed(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)

    response = client.post(
        f"/consortia/{consortium_id}/partners/typed",
        data={"name": "Lyon Cluster", "country": "Lyonnesse"},
        headers=_htmx(client, f"/consortia/{consortium_id}"),
    )

    assert "<strong>The partner has 1 problem</strong>" in response.text
    assert 'value="Lyonnesse"' in response.text


def test_typed_partner_problems_are_named_next_to_each_field_at_once(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)

    response = client.post(
        f"/consortia/{consortium_id}/partners/typed",
        data={"name": "Lyon Cluster", "country": "Lyonnesse", "nuts": "ZZ9", "pic": "12"},
        headers=_htmx(client, f"/consortia/{consortium_id}"),
    )

    assert re.findall(r'data-testid="typed-([a-z_]+)-error">([^<]+)<', response.text) == [
        (
            "country",
            "&#34;Lyonnesse&#34; is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK",
        ),
        ("nuts", "&#34;ZZ9&#34; is not a NUTS code of any version 2006–2024"),
        ("pic", "&#34;12&#34; is not a PIC: a PIC has exactly 9 digits"),
    ]
    assert "<strong>The partner has 3 problems</strong>: see the fields marked above" in (
        response.text
    )
    assert "partner 1" not in response.text
    assert 'value="Lyonnesse"' in response.text
    assert 'value="ZZ9"' in response.text
    assert 'value="12"' in response.text


def test_upload_adds_the_partners_of_a_csv_file(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)
    csv = b"name,country,nuts,type,legal_entity,eccp_registered,role\nMunich Cluster,DE,DE212,cluster_organisation,yes,yes,coordinator\nLyon Cluster,FR,,,yes,,beneficiary\n"

    response = client.post(
        f"/consortia/{consortium_id}/partners/upload",
        files={"file": ("partners.csv", csv, "text/csv")},
        headers=_htmx(client, f"/consortia/{consortium_id}"),
    )

    assert re.findall(r'data-partner-name="([^"]+)"', response.text) == [
        "Munich Cluster",
        "Lyon Cluster",
    ]


def test_without_htmx_a_change_redirects_to_the_page(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)

    response = client.post(
        f"/consortia/{consortium_id}/partners/typed",
        data={
            "name": "Lyon Cluster",
            "country": "FR",
            "csrf_token": csrf_token(client, "/consortia"),
        },
        follow_redirects=False,
    )

    assert response.headers["location"] == f"/consortia/{consortium_id}"
    assert 'data-partner-name="Lyon Cluster"' in client.get(f"/consortia/{consortium_id}").text


def test_the_checklist_downloads_as_pdf_and_html(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)

    pdf = client.get(f"/consortia/{consortium_id}/checklist.pdf")
    html = client.get(f"/consortia/{consortium_id}/checklist.html")

    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (
        pdf.headers["content-disposition"]
        == f'attachment; filename="checklist-SMP-COSME-2024-CLUSTER-{consortium_id}.pdf"'
    )
    assert (
        "<h1>Joint Cluster Initiatives (EUROCLUSTERS) for Europe&#39;s recovery</h1>" in html.text
    )


# ---------------------------------------------------------------------------------- access


def test_someone_elses_consortium_is_not_found_through_the_web(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state, OTHER, name="Secret Hydrogen Alliance")
    sign_in(client, OWNER)
    base = f"/consortia/{consortium_id}"
    headers = {"X-CSRF-Token": csrf_token(client, "/consortia")}

    responses = [
        client.get(base),
        client.get(f"{base}/checklist.pdf"),
        client.post(f"{base}/settings", data={"name": "Mine"}, headers=headers),
        client.post(
            f"{base}/partners/typed", data={"name": "Spy", "country": "DE"}, headers=headers
        ),
        client.post(f"{base}/delete", headers=headers),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert all("Secret Hydrogen Alliance" not in r.text for r in responses)


def test_a_shared_consortium_is_read_only_for_others(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state, OTHER, name="Open Alliance", shared=True)
    with app_state.database.unit_of_work() as session:
        consortium = get_consortium(session, consortium_id)
        assert consortium is not None
        add_partner(session, consortium, name="Lyon Cluster", country="FR", role=Role.COORDINATOR)
    sign_in(client, OWNER)
    base = f"/consortia/{consortium_id}"

    page = client.get(base)
    write = client.post(
        f"{base}/settings",
        data={"name": "Mine"},
        headers={"X-CSRF-Token": csrf_token(client, "/consortia")},
    )

    assert page.status_code == 200
    assert "Read only · shared with every signed-in user" in page.text
    assert 'data-testid="organisation-search"' not in page.text
    assert 'data-testid="partner-role"' not in page.text
    assert write.status_code == 403
    assert "You may see this consortium but not change it" in write.text


def test_a_programme_officer_reads_every_consortium(
    client: TestClient, app_state: AppState, users: None
) -> None:
    _consortium(app_state, OTHER, name="Secret Hydrogen Alliance")
    with app_state.database.unit_of_work() as session:
        make_user(session, email="officer@ec.example", role=UserRole.PROGRAMME_OFFICER)
    sign_in(client, "officer@ec.example")

    page = client.get("/consortia")

    assert "Secret Hydrogen Alliance" in page.text
    assert "read only" in page.text


def test_owners_share_and_invite_members_without_learning_who_has_an_account(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)
    token = csrf_token(client, "/consortia")

    known = client.post(
        f"/consortia/{consortium_id}/members",
        data={"email": OTHER, "can_edit": "yes", "csrf_token": token},
        follow_redirects=False,
    )
    client.post(f"/consortia/{consortium_id}/sharing", data={"shared": "yes", "csrf_token": token})
    unknown = client.post(
        f"/consortia/{consortium_id}/members",
        data={"email": "nobody@x.example", "csrf_token": token},
        follow_redirects=False,
    )
    page = client.get(f"/consortia/{consortium_id}").text

    assert (known.status_code, known.headers["location"]) == (303, f"/consortia/{consortium_id}")
    assert (unknown.status_code, unknown.headers["location"]) == (303, known.headers["location"])
    assert 'other@cluster.example <span class="muted">· invited, may edit</span>' in page
    assert 'nobody@x.example <span class="muted">· invited, read only</span>' in page
    assert "Otto Other" not in page
    assert "Every signed-in user may read this consortium." in page
    mails = read_mail(app_state.settings.resolved_mail_dir())
    assert [(mail.to, mail.subject) for mail in mails] == [
        (("nobody@x.example",), "An invitation to a consortium"),
        ((OTHER,), "An invitation to a consortium"),
    ]


def test_the_invited_person_accepts_and_becomes_a_member(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)
    client.post(
        f"/consortia/{consortium_id}/members",
        data={"email": " Other@Cluster.Example ", "csrf_token": csrf_token(client, "/consortia")},
    )
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/consortia")})
    sign_in(client, OTHER)
    before = client.get(f"/consortia/{consortium_id}")
    listing = client.get("/consortia").text
    invitation_id = re.search(r"/consortia/invitations/(\d+)/accept", listing)
    assert invitation_id is not None

    client.post(
        f"/consortia/invitations/{invitation_id.group(1)}/accept",
        data={"csrf_token": csrf_token(client, "/consortia")},
    )

    assert before.status_code == 404
    assert 'data-testid="my-invitation">Isar Eurocluster' in listing
    page = client.get(f"/consortia/{consortium_id}")
    assert page.status_code == 200
    assert 'data-testid="my-invitations"' not in client.get("/consortia").text


def test_a_malformed_invitation_address_is_a_field_error(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)

    response = client.post(
        f"/consortia/{consortium_id}/members",
        data={"email": "not an address", "csrf_token": csrf_token(client, "/consortia")},
    )

    assert response.status_code == 422
    assert (
        'id="member-email-error">&#34;not an address&#34; is not an e-mail address<'
        in response.text
    )


# ----------------------------------------------------------------------------- query count


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_page_needs_the_same_number_of_queries_for_1_and_3(
    client: TestClient, app_state: AppState, users: None, count: int
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        for number in range(count):
            consortium = make_consortium(session, owner=owner, name=f"Consortium {number}")
            add_partner(session, consortium, name=f"Typed {number}", country="FR")
            org = make_organisation(session, name=f"Org {number}", pic=f"99999900{number}")
            consortium.partners.append(ConsortiumPartner(position=2, organisation=org))
    sign_in(client, OWNER)

    with count_queries(app_state.database.engine) as log:
        page = client.get("/consortia")

    assert page.text.count('data-testid="consortium-row"') == count
    # The session, the user, the published calls written in the app, the consortia with
    # partners, organisations and members, and the invitations waiting for the user: the same
    # number whatever the count.
    assert log.count == 8


def test_upload_with_partners_outside_europe_checks_them(
    client: TestClient, app_state: AppState, users: None
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)
    csv = EXAMPLES.joinpath("consortium-outside-europe.csv").read_bytes()

    response = client.post(
        f"/consortia/{consortium_id}/partners/upload",
        files={"file": ("partners.csv", csv, "text/csv")},
        headers=_htmx(client, f"/consortia/{consortium_id}"),
    )
    page = client.get(f"/consortia/{consortium_id}")

    assert re.findall(r'data-partner-name="([^"]+)"', response.text)[3:] == [
        "Massachusetts Robotics Cluster",
        "Ontario Advanced Manufacturing Network",
        "Israel Smart Industry Cluster",
        "Kharkiv IT Cluster",
    ]
    assert "US, CA and IL are not eligible countries for this call." in page.text


def test_a_partner_without_a_role_reads_choose_a_role_not_a_registry_value(
    client: TestClient, app_state: AppState, users: None
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium = make_consortium(session, owner=owner)
        cluster = make_organisation(session, name="Munich Cluster")
        consortium.partners.append(ConsortiumPartner(position=1, organisation=cluster))
        add_partner(session, consortium, name="Typed Cluster", role=None)
        consortium_id = consortium.id
    sign_in(client, OWNER)

    page = client.get(f"/consortia/{consortium_id}").text

    first_options = re.findall(
        r'data-testid="(partner-role|partner-type)"[^>]*>\s*<option value="">([^<]*)</option>', page
    )
    assert first_options == [
        ("partner-type", "Registry: Cluster organisation"),
        ("partner-role", "choose a role"),
        ("partner-type", "unknown"),
        ("partner-role", "choose a role"),
    ]


@pytest.mark.parametrize(
    ("panel", "title"),
    [
        ("eligibility", "Eligibility of Green Link"),
        ("suggestions", "Suggested partners for Green Link"),
    ],
)
def test_a_panel_opened_directly_is_a_page_with_a_title_and_htmx_gets_the_fragment(
    client: TestClient, app_state: AppState, users: None, panel: str, title: str
) -> None:
    consortium = _consortium(app_state, name="Green Link")
    sign_in(client, OWNER)

    page = client.get(f"/consortia/{consortium}/{panel}")
    fragment = client.get(f"/consortia/{consortium}/{panel}", headers={"HX-Request": "true"})

    assert re.findall(r"<title>(.*?)</title>", page.text) == [f"{title} · clusterbridge"]
    assert re.findall(r"<h1>(.*?)</h1>", page.text) == [title]
    assert (fragment.status_code, "<title>" in fragment.text) == (200, False)


@pytest.mark.parametrize("text", ["\u00b2", "2147483648", "-1"])
def test_an_organisation_id_that_is_no_id_is_refused_in_words_not_an_error_page(
    client: TestClient, app_state: AppState, users: None, text: str
) -> None:
    consortium_id = _consortium(app_state)
    sign_in(client, OWNER)
    base = f"/consortia/{consortium_id}"

    refused = client.post(
        f"{base}/partners/registry", data={"organisation_id": text}, headers=_htmx(client, base)
    )

    error = refused.text.split('data-testid="partners-error">', 1)[1].split("</div>", 1)[0]
    assert refused.status_code == 200  # an htmx fragment: swapped in with the error
    assert re.findall(r"<(?:strong|li)>([^<]*)<", unescape(error)) == [
        "The partner cannot be added",
        f'Organisation: "{text}" is not an organisation id',
    ]
    with app_state.database.unit_of_work() as session:
        consortium = get_consortium(session, consortium_id)
        assert consortium is not None
        assert consortium.partners == []
