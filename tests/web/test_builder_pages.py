"""The builder page, suggestions on organisation and consortium pages, and the one-click forms."""

import copy
import html
import re
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Consortium, ConsortiumPartner, Job, Organisation
from clusterbridge.db.repositories.consortia import get_consortium
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import JobState, SmeProfile, UserRole
from clusterbridge.services import jobs
from tests.conftest import Clock
from tests.factories.builder import make_builder_registry
from tests.factories.consortia import make_consortium
from tests.factories.jobs import make_job
from tests.factories.users import make_user
from tests.jobs import JOB_TIMEOUT
from tests.web.form_fields import is_novalidate
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

OWNER = "owner@cluster.example"
PARTNER_IDS = re.compile(r'data-testid="proposal-partner" data-organisation-id="(\d+)"')
SUGGESTED = re.compile(r'data-testid="suggestion" data-organisation-id="(\d+)"')
STATE = re.compile(r'data-testid="job-status" data-state="(\w+)"')
QUESTION = {
    "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1", "idea": "hydrogen electrolysers",
    "max_partners": "4", "proposals": "1",
}  # fmt: skip


@pytest.fixture
def orgs(app_state: AppState, client: TestClient) -> dict[str, int]:
    with app_state.database.unit_of_work() as session:
        make_user(session, email=OWNER, name="Olga Owner")
        made = {name: org.id for name, org in make_builder_registry(session).items()}
    sign_in(client, OWNER)
    return made


def _poll(client: TestClient, path: str) -> str:
    """The job's status panel (as htmx asks for it) once the job is over."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        panel = client.get(path, headers={"HX-Request": "true"}).text
        state = STATE.search(panel)
        assert state is not None, panel
        if state.group(1) not in ("queued", "running") or time.monotonic() > deadline:
            return panel
        time.sleep(0.05)


def _build(client: TestClient, **fields: str) -> tuple[Any, str]:
    """Post the builder's form; the redirect and the job's final panel."""
    data = {**QUESTION, **fields, "csrf_token": csrf_token(client, "/builder")}
    response = client.post("/builder", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response, _poll(client, response.headers["location"])


def test_the_builder_form_opens_a_job_that_shows_the_proposal_with_its_report(
    client: TestClient, orgs: dict[str, int]
) -> None:
    response, panel = _build(client)

    assert response.headers["location"].startswith("/jobs/")
    assert STATE.findall(panel) == ["succeeded"]
    assert sorted(map(int, PARTNER_IDS.findall(panel))) == sorted(
        orgs[k] for k in ("pl", "de", "fr", "uni")
    )
    assert 'data-testid="proposal-verdict">incomplete<' in panel  # no duration given
    assert "Proven optimal over the shortlist" in panel
    # Said once, by the builder's own summary (with its shortlist), not again by the job's.
    assert 'data-testid="job-result"' not in panel
    assert re.findall(r'data-testid="builder-summary">([^<]*)<', panel) == [
        "1 proposal for SMP-COSME-2024-CLUSTER, strand 1, from a shortlist of 5 of 7 organisations."
    ]


def test_the_call_choice_puts_closed_calls_apart_with_the_day_they_closed(
    client: TestClient, orgs: dict[str, int]
) -> None:
    page = client.get("/builder").text

    opened = page.index('data-testid="builder-closed-calls"')
    open_part, closed_part = page[:opened], page[opened : page.index("</optgroup>")]
    option = re.compile(r'<option value="([^"]+)"[^>]*>[^<]*?(\(closed [^)]+\))?</option>')
    assert [match[0] for match in option.findall(open_part)] == [
        "SMP-COSME-2021-CLUSTER", "SMP-COSME-2024-CLUSTER", "cluster-excellence",
    ]  # fmt: skip
    assert option.findall(closed_part) == [("strategic-alliances-2020", "(closed 2 February 2021)")]


def test_a_build_for_a_closed_call_says_it_is_for_practice(
    client: TestClient, clock: Clock, orgs: dict[str, int]
) -> None:
    clock.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)  # SMP-COSME-2024 closed on 5 February
    sign_in(client, OWNER)  # the session of December is over

    _response, panel = _build(client)

    assert re.findall(r'data-testid="builder-note">([^<]*)<', panel)[0] == (
        "SMP-COSME-2024-CLUSTER closed on 05 February 2025 (its deadline passed): it takes no "
        "more proposals, so these are for practice."
    )


def test_a_proposal_shows_matches_out_of_100_and_folds_the_rules_each_partner_helps(
    client: TestClient, orgs: dict[str, int]
) -> None:
    _response, panel = _build(client)

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", panel)).replace("&#39;", "'")
    assert "Partners: mean match 43/100 (good) · they help 4 of the call's 9 rules" in text
    assert ("score" in text, "relevance" in text) == (False, False)
    assert re.findall(r'data-testid="proposal-partner-match"[^>]*>([^<]+)<', panel) == [
        "match 24/100 (weak)", "match 45/100 (good)", "match 55/100 (good)", "match 49/100 (good)",
    ]  # fmt: skip
    # Closed: a phone sees the match, the country and the strongest reasons.
    assert re.findall(
        r'<details class="partner-more" data-testid="proposal-partner-more">\s*'
        r"<summary>([^<]+)</summary>",
        panel,
    ) == ["helps 4 rules", "helps 3 rules", "helps 3 rules", "helps 1 rule"]


def test_a_proposal_stored_before_the_match_still_shows_with_its_relevance(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    response, _panel = _build(client)
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    with app_state.database.unit_of_work() as session:
        result = copy.deepcopy(session.get(Job, job_id).result)  # type: ignore[union-attr]
        for proposal in result["answer"]["proposals"]:
            for key in ("match", "band", "rules_helped", "rules_total"):
                del proposal[key]
            for added in proposal["added"]:
                for key in ("match", "band", "helps"):
                    del added[key]
        owner = get_user_by_email(session, OWNER)
        old = make_job(
            session, owner=owner, kind="builder.build", arguments={}, result=result,
            state=JobState.SUCCEEDED,
        ).id  # fmt: skip

    panel = _poll(client, f"/jobs/{old}")

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", panel))
    assert re.search(r"Proven optimal over the shortlist in \d+\.\d\d s · score \d\.\d{3}", text)
    assert "Podkarpackie Hydrogen Cluster PL · relevance 0.162" in text
    assert text.count("the rules it counts for") == 4


def test_the_builder_form_is_shown_filled_in_from_the_address(
    client: TestClient, orgs: dict[str, int]
) -> None:
    response = client.get("/builder?call_id=SMP-COSME-2024-CLUSTER&idea=hydrogen")

    assert response.status_code == 200
    assert '<option value="SMP-COSME-2024-CLUSTER" selected>' in response.text
    assert ">hydrogen</textarea>" in response.text
    assert 'data-testid="proposal"' not in response.text


def test_a_consortium_page_opens_the_builder_with_its_call_and_duration(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium_id = make_consortium(session, owner=owner, duration_months=30).id
    page = client.get(f"/consortia/{consortium_id}").text
    link = re.search(r'href="([^"]+)" data-testid="complete-with-builder"', page)
    assert link is not None

    form = client.get(html.unescape(link.group(1))).text

    assert '<option value="SMP-COSME-2024-CLUSTER" selected>' in form
    assert re.search(r'name="duration_months"[^>]*value="30"', form)


def _refused(client: TestClient, **fields: str) -> Any:
    data = {**QUESTION, **fields, "csrf_token": csrf_token(client, "/builder")}
    return client.post("/builder", data=data, follow_redirects=False)


def test_builder_page_names_a_bad_number(client: TestClient, orgs: dict[str, int]) -> None:
    response = _refused(client, max_partners="99")

    assert response.status_code == 422
    assert "At most this many partners: must be between 1 and 30, not 99" in response.text
    assert client.get("/jobs").text.count('href="/jobs/') == 0


def test_builder_page_names_every_bad_number_at_once_by_its_label(
    client: TestClient, orgs: dict[str, int]
) -> None:
    response = _refused(client, duration_months="three", max_partners="99", idea="")

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        ("builder-duration-error", "&#34;three&#34; is not a whole number from 1 to 120"),
        ("builder-size-error", "must be between 1 and 30, not 99"),
    ]


def test_builder_page_names_a_bad_strand_with_a_bad_number(
    client: TestClient, orgs: dict[str, int]
) -> None:
    response = _refused(client, strand="9", duration_months="three", idea="hydrogen")

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        (
            "builder-strand-error",
            "&#34;9&#34; is not a strand of SMP-COSME-2024-CLUSTER; strands: 1, 2",
        ),
        ("builder-duration-error", "&#34;three&#34; is not a whole number from 1 to 120"),
    ]
    assert 'value="three"' in response.text
    assert ">hydrogen</textarea>" in response.text


def test_builder_checks_the_proposals_with_the_duration_and_passes_it_on(
    client: TestClient, orgs: dict[str, int]
) -> None:
    _response, panel = _build(client, duration_months="36")

    assert 'data-testid="proposal-verdict">eligible<' in panel
    assert '<input type="hidden" name="duration_months" value="36">' in panel


def test_builder_offers_the_strands_of_the_chosen_call(
    client: TestClient, orgs: dict[str, int]
) -> None:
    response = client.get("/builder/strands?call_id=SMP-COSME-2024-CLUSTER&strand=2")

    assert re.findall(r'<option value="([^"]*)"( selected)?>', response.text) == [
        ("", ""),
        ("1", ""),
        ("2", " selected"),
    ]


def test_builder_keeps_a_strand_the_new_call_lacks_and_says_so(
    client: TestClient, orgs: dict[str, int]
) -> None:
    # Changing the call swapped in its strands and dropped the one chosen without a word (the
    # consortium form says it since the last QA pass; the builder's form did not).
    response = client.get("/builder/strands?call_id=cluster-excellence&strand=tourism")

    assert re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)<', response.text) == [
        ("", "", "Any strand / none"),
        ("tourism", " selected", "Tourism (not a strand of cluster-excellence)"),
    ]
    assert (
        '<p class="field-error" id="builder-strand-note">Tourism is not a strand of '
        "cluster-excellence: choose one of its strands, or none.</p>"
    ) in response.text


def test_create_from_proposal_makes_a_consortium_with_its_partners(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    ids = [orgs["pl"], orgs["de"], orgs["fr"]]
    data = {
        "csrf_token": csrf_token(client, "/builder"), "name": "Hydrogen Eurocluster",
        "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1",
        "organisation_id": [str(i) for i in ids],
    }  # fmt: skip

    response = client.post("/builder/consortia", data=data, follow_redirects=False)

    assert response.status_code == 303
    consortium_id = int(response.headers["location"].rsplit("/", 1)[1])
    with app_state.database.unit_of_work() as session:
        consortium = get_consortium(session, consortium_id)
        assert consortium is not None
        partners: list[ConsortiumPartner] = consortium.partners
        assert [(p.organisation_id, p.role) for p in partners] == [(i, "beneficiary") for i in ids]


def test_create_from_proposal_sent_again_opens_the_consortium_already_made(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    # Back after "Create consortium from this proposal", then the button again.
    submitted, panel = _build(client)
    job_id = submitted.headers["location"].rsplit("/", 1)[1]
    data = {
        "csrf_token": csrf_token(client, "/builder"), "name": "Hydrogen Eurocluster",
        "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1", "job_id": job_id, "number": "1",
        "organisation_id": PARTNER_IDS.findall(panel),
    }  # fmt: skip

    first = client.post("/builder/consortia", data=data, follow_redirects=False)
    again = client.post("/builder/consortia", data=data, follow_redirects=False)

    assert (first.status_code, again.status_code) == (303, 303)
    assert again.headers["location"] == first.headers["location"]
    with app_state.database.unit_of_work() as session:
        names = session.scalars(select(Consortium.name)).all()
        consortium = get_consortium(session, int(first.headers["location"].rsplit("/", 1)[1]))
        assert consortium is not None
        organisations = sorted(p.organisation_id for p in consortium.partners)
    assert names == ["Hydrogen Eurocluster"]
    assert organisations == sorted(orgs[k] for k in ("pl", "de", "fr", "uni"))


def test_a_proposal_made_a_consortium_offers_to_open_it_instead_of_making_it_again(
    client: TestClient, orgs: dict[str, int]
) -> None:
    submitted, panel = _build(client)
    job_path = submitted.headers["location"]
    assert 'data-testid="create-from-proposal"' in panel
    data = {
        "csrf_token": csrf_token(client, "/builder"), "name": "Hydrogen Eurocluster",
        "call_id": "SMP-COSME-2024-CLUSTER", "job_id": job_path.rsplit("/", 1)[1], "number": "1",
    }  # fmt: skip
    made = client.post("/builder/consortia", data=data, follow_redirects=False)

    page = client.get(job_path).text
    panel = client.get(job_path, headers={"HX-Request": "true"}).text

    for shown in (page, panel):
        assert 'data-testid="create-from-proposal"' not in shown
        assert re.findall(r'data-testid="proposal-made">(.*?)</p>', shown) == [
            "This proposal is the consortium <strong>Hydrogen Eurocluster</strong>."
        ]
        assert re.findall(
            r'<a class="button" href="([^"]+)" data-testid="open-consortium">([^<]*)<', shown
        ) == [(made.headers["location"], "Open consortium")]


def test_a_proposal_another_user_made_a_consortium_says_so_without_a_button(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    submitted, _panel = _build(client)
    job_path = submitted.headers["location"]
    with app_state.database.unit_of_work() as session:
        admin = make_user(
            session, email="admin@cluster.example", name="Ada Admin", role=UserRole.ADMINISTRATOR
        )
        jobs.create_consortium_from_job(
            session, admin, int(job_path.rsplit("/", 1)[1]), 1, name="Ada's",
            catalogue=app_state.catalogue,
        )  # fmt: skip

    page = client.get(job_path).text

    assert 'data-testid="create-from-proposal"' not in page
    assert 'data-testid="open-consortium"' not in page
    assert re.findall(r'data-testid="proposal-made">(.*?)</p>', page) == [
        "This proposal was made into a consortium by another user."
    ]


def test_create_from_proposal_of_a_deleted_consortium_makes_a_new_one(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    submitted, _panel = _build(client)
    job_id = submitted.headers["location"].rsplit("/", 1)[1]
    data = {
        "csrf_token": csrf_token(client, "/builder"), "name": "Hydrogen Eurocluster",
        "call_id": "SMP-COSME-2024-CLUSTER", "job_id": job_id, "number": "1",
    }  # fmt: skip
    first = client.post("/builder/consortia", data=data, follow_redirects=False)
    deleted = client.post(
        f"{first.headers['location']}/delete",
        data={"csrf_token": csrf_token(client, "/builder")},
        follow_redirects=False,
    )
    assert deleted.status_code == 303, deleted.text

    again = client.post("/builder/consortia", data=data, follow_redirects=False)

    assert again.status_code == 303
    with app_state.database.unit_of_work() as session:
        assert session.scalars(select(Consortium.name)).all() == ["Hydrogen Eurocluster"]


def test_create_from_proposal_refuses_without_a_csrf_token(
    client: TestClient, orgs: dict[str, int]
) -> None:
    data = {"name": "X", "call_id": "SMP-COSME-2024-CLUSTER", "organisation_id": [str(orgs["pl"])]}

    response = client.post("/builder/consortia", data=data, follow_redirects=False)

    assert response.status_code == 403


def test_consortium_completion_applies_in_one_click(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium = make_consortium(session, owner=owner, name="Two clusters")
        consortium_id = consortium.id
    for key in ("de", "fr"):
        client.post(
            f"/consortia/{consortium_id}/partners/registry",
            data={"organisation_id": str(orgs[key]), "csrf_token": csrf_token(client, "/builder")},
        )
    submitted, panel = _build(client, consortium_id=str(consortium_id), idea="")
    added = PARTNER_IDS.findall(panel)
    page = client.get(submitted.headers["location"]).text

    response = client.post(
        f"/builder/consortia/{consortium_id}/apply",
        data={"add": added, "csrf_token": csrf_token(client, "/builder")},
        follow_redirects=False,
    )

    assert (added, response.status_code) == ([str(orgs["pl"])], 303)
    # The job says what it did, and each completion's button says which one it applies.
    assert "<h1>Complete a consortium</h1>" in page
    assert re.findall(r'data-testid="apply-completion">([^<]*)<', page) == [
        "Apply completion 1 to Two clusters"
    ]
    with app_state.database.unit_of_work() as session:
        saved = get_consortium(session, consortium_id)
        assert saved is not None
        assert [p.organisation_id for p in saved.partners] == [orgs["de"], orgs["fr"], orgs["pl"]]


def test_a_completion_adding_a_cluster_with_a_recorded_sme_profile_applies(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        # CORDIS flags the cluster as an SME, so the registry derived an SME profile for it.
        podkarpackie = session.get(Organisation, orgs["pl"])
        assert podkarpackie is not None
        podkarpackie.sme_profile = SmeProfile.TECH_SAVVY
        consortium_id = make_consortium(session, owner=owner, name="Two clusters").id
    for key in ("de", "fr"):
        client.post(
            f"/consortia/{consortium_id}/partners/registry",
            data={"organisation_id": str(orgs[key]), "csrf_token": csrf_token(client, "/builder")},
        )
    submitted, panel = _build(client, consortium_id=str(consortium_id), idea="")
    added = PARTNER_IDS.findall(panel)
    page = client.get(submitted.headers["location"]).text

    response = client.post(
        f"/builder/consortia/{consortium_id}/apply",
        data={"add": added, "csrf_token": csrf_token(client, "/builder")},
        follow_redirects=False,
    )

    assert (added, response.status_code) == ([str(orgs["pl"])], 303)
    # The job says what it did, and each completion's button says which one it applies.
    assert "<h1>Complete a consortium</h1>" in page
    assert re.findall(r'data-testid="apply-completion">([^<]*)<', page) == [
        "Apply completion 1 to Two clusters"
    ]
    assert response.headers["location"] == f"/consortia/{consortium_id}"
    with app_state.database.unit_of_work() as session:
        saved = get_consortium(session, consortium_id)
        assert saved is not None
        assert [(p.organisation_id, p.role) for p in saved.partners][2:] == [
            (orgs["pl"], "beneficiary")
        ]


def test_organisation_suggestions_fragment_lists_complements(
    client: TestClient, orgs: dict[str, int]
) -> None:
    response = client.get(f"/organisations/{orgs['de']}/suggestions")

    assert response.status_code == 200
    suggested = [int(i) for i in SUGGESTED.findall(response.text)]
    assert orgs["de"] not in suggested
    assert set(suggested) == {orgs[k] for k in ("pl", "fr", "uni", "ch", "bakery")}
    assert response.text.count('data-testid="add-suggestion"') == 0  # not on a consortium page


def test_organisation_suggestions_opened_without_a_filter_ask_for_new_partners_as_the_panel(
    client: TestClient, orgs: dict[str, int]
) -> None:
    url = f"/organisations/{orgs['de']}/suggestions"
    box = re.compile(r'<input type="checkbox" name="new_only" value="1"[^>]*>')
    hint = re.compile(r'data-testid="suggestion-new-only-hint">([^<]*)</p>')
    said = (
        "Starts ticked: Bavaria Hydrogen Cluster knows its past partners already. "
        "Untick it to see them too."
    )

    panel = client.get(f"/organisations/{orgs['de']}").text
    opened = client.get(url).text
    unticked = client.get(f"{url}?kind=").text
    panel_load = client.get(f"{url}?kind=&new_only=1", headers={"HX-Request": "true"}).text

    for page in (panel, opened):
        [checkbox] = box.findall(page)
        assert checkbox.endswith(" checked>")
        assert 'aria-describedby="suggestion-new-only-hint"' in checkbox
        assert hint.findall(page) == [said]
    assert re.findall(r'data-new-only="(\w+)"', opened) == ["yes"]
    assert SUGGESTED.findall(opened) == SUGGESTED.findall(panel_load)
    # The filter sent with the box unticked keeps it unticked.
    assert "checked" not in box.findall(unticked)[0]
    assert re.findall(r'data-new-only="(\w+)"', unticked) == ["no"]


def test_consortium_suggestions_fragment_offers_add_buttons(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium_id = make_consortium(session, owner=owner, name="Empty").id
    client.post(
        f"/consortia/{consortium_id}/partners/registry",
        data={"organisation_id": str(orgs["de"]), "csrf_token": csrf_token(client, "/builder")},
    )

    response = client.get(f"/consortia/{consortium_id}/suggestions")

    suggested = [int(i) for i in SUGGESTED.findall(response.text)]
    assert orgs["de"] not in suggested
    assert response.text.count('data-testid="add-suggestion"') == len(suggested) > 0
    assert "located in a less developed region (2021-2027): PL82 Podkarpackie" in response.text


def test_suggestions_refuse_a_new_only_that_is_not_true_or_false_as_the_api_does(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium_id = make_consortium(session, owner=owner, name="Empty").id

    page = client.get(f"/consortia/{consortium_id}/suggestions?new_only=maybe")
    api = client.get(f"/api/organisations/{orgs['de']}/suggestions?new_only=maybe")

    notice = re.search(r'<div class="notice error" role="alert">(.*?)</div>', page.text, re.S)
    assert notice is not None
    assert (page.status_code, " ".join(re.sub(r"<[^>]+>", " ", notice.group(1)).split())) == (
        422,
        "The address is not valid. New only: must be true or false",
    )
    assert (api.status_code, api.json()["errors"]) == (
        422, [{"location": "query", "field": "new_only", "reason": "must be true or false"}]
    )  # fmt: skip


def test_organisation_suggestions_fragment_keeps_the_kind_sought(
    client: TestClient, orgs: dict[str, int]
) -> None:
    response = client.get(f"/organisations/{orgs['de']}/suggestions?kind=university&new_only=1")

    assert [int(i) for i in SUGGESTED.findall(response.text)] == [orgs["uni"]]


def test_an_empty_suggestions_panel_says_why(client: TestClient, orgs: dict[str, int]) -> None:
    # The registry has no technology centre at all: the panel says so and what to ask
    # instead, rather than "nothing matches".
    response = client.get(f"/organisations/{orgs['de']}/suggestions?kind=technology_centre")

    [said] = re.findall(r'data-testid="no-suggestions"[^>]*>([^<]*)</p>', response.text)
    assert said == (
        "No suggestions: the registry has no technology centres. CORDIS has no type for "
        "technology centres: an organisation it imports is one only when CORDIS records it as "
        "a research organisation or an other body and its name says so, so ask for research "
        "organisations too."
    )


def test_adding_a_partner_tells_the_page_that_the_partners_changed(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium_id = make_consortium(session, owner=owner, name="Empty").id

    response = client.post(
        f"/consortia/{consortium_id}/partners/registry",
        data={"organisation_id": str(orgs["de"]), "csrf_token": csrf_token(client, "/builder")},
        headers={"HX-Request": "true"},
    )

    assert (response.status_code, response.headers["HX-Trigger"]) == (200, "partners-changed")


def test_an_organisation_page_asks_for_new_partners_and_a_consortium_page_for_any(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium_id = make_consortium(session, owner=owner, name="Empty").id
    box = re.compile(r'<input type="checkbox" name="new_only" value="1"[^>]*>')

    [on_organisation] = box.findall(client.get(f"/organisations/{orgs['de']}").text)
    [on_consortium] = box.findall(client.get(f"/consortia/{consortium_id}").text)

    assert on_organisation.endswith(" checked>")
    assert "checked" not in on_consortium


@pytest.mark.parametrize(
    ("call_id", "reason"),
    [
        ("", "choose a call"),
        ("NO-SUCH-CALL", "&#34;NO-SUCH-CALL&#34; is not a call of the catalogue"),
    ],
)
def test_builder_page_names_a_missing_or_unknown_call_with_a_bad_number(
    client: TestClient, orgs: dict[str, int], call_id: str, reason: str
) -> None:
    response = _refused(client, call_id=call_id, max_partners="99")

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        ("builder-call-error", reason),
        ("builder-size-error", "must be between 1 and 30, not 99"),
    ]
    assert client.get("/jobs").text.count('href="/jobs/') == 0


def test_the_builder_form_leaves_a_missing_call_to_the_server_that_names_it(
    client: TestClient, orgs: dict[str, int]
) -> None:
    # The walk of 2026-12-08: the browser stopped the form without a call with a bubble of its
    # own, so "choose a call" beside the field never showed.
    page = client.get("/builder").text

    tag = re.search(r'<form [^>]*data-testid="builder-form"[^>]*>', page)

    assert tag is not None
    assert "novalidate" in tag.group(0)


REFUSAL = re.compile(r'data-testid="builder-refusal">\s*<p><strong>([^<]*)</strong>')
WAY_ON = re.compile(r'<a href="([^"]+)" data-testid="refusal-link">([^<]*)</a>')


def _completed(client: TestClient, app_state: AppState, orgs: dict[str, int]) -> tuple[int, int]:
    """Two clusters (Bavaria, Lyon) and the job completing it with Podkarpackie: their ids."""
    with app_state.database.unit_of_work() as session:
        owner = get_user_by_email(session, OWNER)
        assert owner is not None
        consortium_id = make_consortium(session, owner=owner, name="Two clusters").id
    for key in ("de", "fr"):
        _add(client, consortium_id, orgs[key])
    submitted, panel = _build(client, consortium_id=str(consortium_id), idea="")
    assert PARTNER_IDS.findall(panel) == [str(orgs["pl"])]
    return consortium_id, int(submitted.headers["location"].rsplit("/", 1)[1])


def _add(client: TestClient, consortium_id: int, organisation_id: int) -> None:
    token = csrf_token(client, "/builder")
    data = {"organisation_id": str(organisation_id), "csrf_token": token}
    client.post(f"/consortia/{consortium_id}/partners/registry", data=data)


def _apply(client: TestClient, consortium_id: int, job_id: int, **lists: list[int]) -> Any:
    data: dict[str, Any] = {"job_id": str(job_id), "csrf_token": csrf_token(client, "/builder")}
    data |= {key: [str(i) for i in ids] for key, ids in lists.items()}
    return client.post(
        f"/builder/consortia/{consortium_id}/apply", data=data, follow_redirects=False
    )


def _partner_ids(app_state: AppState, consortium_id: int) -> dict[int, int]:
    """Each partner's organisation id, by partner id."""
    with app_state.database.unit_of_work() as session:
        saved = get_consortium(session, consortium_id)
        assert saved is not None
        return {p.id: p.organisation_id for p in saved.partners}


def test_a_completion_the_consortium_outgrew_is_refused_on_its_job_page_with_a_way_on(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    # The QA of 2026-12-07: the generic error page. Meanwhile Podkarpackie became a partner
    # and Lyon left; the completion removes Bavaria (still there: it must stay) and a partner
    # that is gone.
    consortium_id, job_id = _completed(client, app_state, orgs)
    _add(client, consortium_id, orgs["pl"])
    by_org = {org: partner for partner, org in _partner_ids(app_state, consortium_id).items()}
    token = csrf_token(client, "/builder")
    client.post(f"/consortia/{consortium_id}/partners/{by_org[orgs['fr']]}/remove",
                data={"csrf_token": token})  # fmt: skip

    response = _apply(client, consortium_id, job_id, add=[orgs["pl"]],
                      remove=[by_org[orgs["de"]], by_org[orgs["fr"]]])  # fmt: skip

    assert response.status_code == 409
    assert "<h1>Complete a consortium</h1>" in response.text
    assert REFUSAL.findall(response.text) == [
        f"Two clusters changed since the builder completed it: partner {by_org[orgs['fr']]} is "
        "no longer in the consortium; Podkarpackie Hydrogen Cluster is already a partner"
    ]
    assert WAY_ON.findall(response.text) == [
        (f"/consortia/{consortium_id}", "Open Two clusters"),
        (f"/builder?consortium_id={consortium_id}&amp;call_id=SMP-COSME-2024-CLUSTER&amp;strand=1"
         "&amp;duration_months=36", "Complete it with the builder again"),
        (f"/jobs/{job_id}", "Back to this job"),
    ]  # fmt: skip
    assert sorted(_partner_ids(app_state, consortium_id).values()) == sorted(
        [orgs["de"], orgs["pl"]]
    )


def test_a_second_completion_of_the_same_job_is_refused_once_the_first_is_applied(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    # The QA of 2026-12-07: Apply completion 1, Back, Apply completion 2: both were applied,
    # though completion 2 was computed for the consortium without completion 1's partners.
    # (This registry has one completion; a second would add the university.)
    consortium_id, job_id = _completed(client, app_state, orgs)
    assert _apply(client, consortium_id, job_id, add=[orgs["pl"]]).status_code == 303

    response = _apply(client, consortium_id, job_id, add=[orgs["uni"]])

    assert response.status_code == 409
    assert REFUSAL.findall(response.text) == [
        "Two clusters changed since the builder completed it: Podkarpackie Hydrogen Cluster "
        "became a partner"
    ]
    assert sorted(_partner_ids(app_state, consortium_id).values()) == sorted(
        [orgs["de"], orgs["fr"], orgs["pl"]]
    )


def test_a_completion_is_refused_once_a_partner_it_kept_has_left(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    consortium_id, job_id = _completed(client, app_state, orgs)
    by_org = {org: partner for partner, org in _partner_ids(app_state, consortium_id).items()}
    token = csrf_token(client, "/builder")
    client.post(f"/consortia/{consortium_id}/partners/{by_org[orgs['fr']]}/remove",
                data={"csrf_token": token})  # fmt: skip

    response = _apply(client, consortium_id, job_id, add=[orgs["pl"]])

    assert response.status_code == 409
    assert REFUSAL.findall(response.text) == [
        f"Two clusters changed since the builder completed it: partner {by_org[orgs['fr']]} is "
        "no longer in the consortium"
    ]
    assert list(_partner_ids(app_state, consortium_id).values()) == [orgs["de"]]


def test_a_completion_of_a_deleted_consortium_is_refused_on_its_job_page(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    consortium_id, job_id = _completed(client, app_state, orgs)
    token = csrf_token(client, "/builder")
    client.post(f"/consortia/{consortium_id}/delete", data={"csrf_token": token})

    response = _apply(client, consortium_id, job_id, add=[orgs["pl"]])

    assert response.status_code == 404
    assert REFUSAL.findall(response.text) == [f"There is no consortium {consortium_id}"]
    assert WAY_ON.findall(response.text) == [
        ("/consortia", "Your consortia"),
        (f"/jobs/{job_id}", "Back to this job"),
    ]


def test_a_completion_is_refused_on_its_job_page_once_the_user_may_no_longer_edit(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    consortium_id, job_id = _completed(client, app_state, orgs)
    with app_state.database.unit_of_work() as session:
        saved = get_consortium(session, consortium_id)
        assert saved is not None
        owner = get_user_by_email(session, OWNER)
        saved.owner = make_user(session, email="new.owner@cluster.example", name="Nina")
        saved.members[0].can_edit = False
        assert saved.members[0].user is owner

    response = _apply(client, consortium_id, job_id, add=[orgs["pl"]])

    assert response.status_code == 403
    assert REFUSAL.findall(response.text) == ["You may see this consortium but not change it"]
    assert WAY_ON.findall(response.text)[0] == (f"/consortia/{consortium_id}", "Open Two clusters")
    assert sorted(_partner_ids(app_state, consortium_id).values()) == sorted(
        [orgs["de"], orgs["fr"]]
    )


def test_a_completion_adding_an_organisation_gone_from_the_registry_is_refused_in_place(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    consortium_id, job_id = _completed(client, app_state, orgs)
    by_org = {org: partner for partner, org in _partner_ids(app_state, consortium_id).items()}

    response = _apply(client, consortium_id, job_id, add=[99_999], remove=[by_org[orgs["de"]]])

    assert response.status_code == 422
    assert REFUSAL.findall(response.text) == ["The partners cannot be added"]
    assert re.findall(r'data-testid="refusal-issue">([^<]*)<', response.text) == [
        "Organisation: there is no organisation 99999 in the registry"
    ]
    assert sorted(_partner_ids(app_state, consortium_id).values()) == sorted(
        [orgs["de"], orgs["fr"]]
    )


def test_a_proposal_with_a_blank_name_is_refused_beside_the_name_on_its_job_page(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    submitted, panel = _build(client)
    job_id = int(submitted.headers["location"].rsplit("/", 1)[1])
    data = {
        "csrf_token": csrf_token(client, "/builder"), "job_id": str(job_id), "number": "1",
        "name": "  ", "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1",
        "organisation_id": PARTNER_IDS.findall(panel),
    }  # fmt: skip

    response = client.post("/builder/consortia", data=data, follow_redirects=False)

    # The name was checked by the browser (required), whose bubble named nothing else.
    assert is_novalidate(panel, "/builder/consortia")
    assert response.status_code == 422
    assert "<h1>Build consortium proposals</h1>" in response.text
    assert REFUSAL.findall(response.text) == ["The consortium cannot be saved"]
    assert re.findall(r'data-testid="proposal-name-error">([^<]*)<', response.text) == [
        "is required"
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Consortium)) == 0


def test_a_proposal_naming_an_organisation_gone_from_the_registry_creates_nothing(
    client: TestClient, app_state: AppState, orgs: dict[str, int]
) -> None:
    submitted, _panel = _build(client)
    job_id = int(submitted.headers["location"].rsplit("/", 1)[1])
    with app_state.database.unit_of_work() as session:
        session.delete(session.get(Organisation, orgs["uni"]))
    data = {
        "csrf_token": csrf_token(client, "/builder"), "job_id": str(job_id), "number": "1",
        "name": "Hydrogen", "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1",
        "organisation_id": [str(orgs["pl"]), str(orgs["uni"])],
    }  # fmt: skip

    response = client.post("/builder/consortia", data=data, follow_redirects=False)

    assert response.status_code == 422
    assert re.findall(r'data-testid="refusal-issue">([^<]*)<', response.text) == [
        f"Organisation: there is no organisation {orgs['uni']} in the registry"
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Consortium)) == 0


def test_builder_page_refuses_an_emptied_size_instead_of_using_the_usual_one(
    client: TestClient, orgs: dict[str, int]
) -> None:
    blank = client.get("/builder").text
    assert re.search(r'name="max_partners" value="6"', blank)
    assert re.search(r'name="proposals" value="3"', blank)

    response = _refused(client, max_partners="", proposals=" ")

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        ("builder-size-error", "must not be empty"),
        ("builder-count-error", "must not be empty"),
    ]
    assert client.get("/jobs").text.count('href="/jobs/') == 0


def test_organisation_suggestions_opened_directly_are_a_page_with_a_title(
    client: TestClient, orgs: dict[str, int]
) -> None:
    url = f"/organisations/{orgs['de']}/suggestions?kind=university&new_only=1"

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    assert (page.status_code, re.findall(r"<title>(.*?)</title>", page.text)) == (
        200, ["Suggested partners for Bavaria Hydrogen Cluster · clusterbridge"]
    )  # fmt: skip
    assert [int(i) for i in SUGGESTED.findall(page.text)] == [orgs["uni"]]
    assert "<title>" not in fragment.text
    # The filter keeps what the address chose (without JavaScript, the page it sends to).
    assert re.findall(r'<option value="(\w+)" selected>', page.text) == ["university"]
    assert (
        'data-testid="suggestion-new-only" aria-describedby="suggestion-new-only-hint" checked>'
        in (page.text)
    )
