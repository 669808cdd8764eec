"""The analysis workspace: a manager adds findings with every mistake in place, cites evidence,
writes and reorders recommendations and uploads a document; an officer reads without forms; a
stranger gets 404."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Finding
from clusterbridge.db.session import Database
from clusterbridge.domain.analysis import MAX_TEXT, FindingKind
from clusterbridge.services.monitoring.analysis import (
    FindingDraft,
    RecommendationDraft,
    create_finding,
    create_recommendation,
    link_evidence,
)
from clusterbridge.web.app import create_app
from tests.conftest import NOW
from tests.factories.analyses import RECORDED, AnalysisWorld, make_analysis_world
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, sign_in
from tests.web.refusals import invalid_fields

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def world(clean_database: Database) -> AnalysisWorld:
    with clean_database.unit_of_work() as session:
        return make_analysis_world(session)


def errors(html: str) -> list[tuple[str, str]]:
    found = re.findall(r'data-testid="error-([\w-]+)">([^<]*)<', html)
    return [(key, unescape(text)) for key, text in found]


def test_a_manager_builds_the_analysis(client: TestClient, world: AnalysisWorld) -> None:
    base = f"/projects/{world.project}/analysis"
    sign_in(client, "maria@example.org")
    token = csrf_token(client, base)
    finding = {"kind": "opportunity", "title": "Shared AI pilots", "text": "Test AI together."}

    wrong = client.post(
        f"{base}/findings",
        data=finding | {"title": "", "technologies": ["ati-ai", "psychic"], "csrf_token": token},
    )
    added = client.post(
        f"{base}/findings",
        data=finding
        | {"technologies": ["ati-ai"], "sme_profile": "traditional", "csrf_token": token},
        follow_redirects=False,
    )
    finding_id = int(added.headers["location"].rsplit("-", 1)[1])
    refused = client.post(
        f"{base}/findings/{finding_id}/evidence",
        data={"item": f"maturity_assessment:{world.assessment}", "csrf_token": token},
    )
    client.post(
        f"{base}/findings/{finding_id}/evidence",
        data={"item": f"readiness:{world.cluster}", "csrf_token": token},
    )
    for text in ("Fund pilots.", "Train trainers."):
        client.post(
            f"{base}/recommendations",
            data={"audience": "eu", "text": text, "finding_ids": [finding_id], "csrf_token": token},
        )
    first = re.findall(r'id="recommendation-(\d+)"', client.get(base).text)[0]
    client.post(f"{base}/recommendations/{first}/move", data={"csrf_token": token})
    bad_edit = client.post(
        f"{base}/findings/{finding_id}", data=finding | {"title": " ", "csrf_token": token}
    )
    client.post(
        f"{base}/findings/{finding_id}",
        data=finding | {"title": "Shared cobot pilots", "sme_profile": "", "csrf_token": token},
    )
    client.post(
        f"{base}/recommendations/{first}",
        data={"audience": "cluster", "text": "Fund pilots now.", "finding_ids": [finding_id],
              "csrf_token": token},
    )  # fmt: skip
    upload = client.post(
        f"{base}/documents",
        data={"title": "Survey", "csrf_token": token},
        files={"file": ("survey.txt", b"plain", "text/plain")},
    )
    page = client.get(base).text

    assert (wrong.status_code, errors(wrong.text)) == (
        422,
        [("title", "is required"),
         ("technologies", "psychic: is not in the shipped vocabulary")],
    )  # fmt: skip
    assert 'value="ati-ai" selected' in wrong.text
    assert errors(refused.text) == [
        (
            f"evidence-{finding_id}-ref_id",
            "is not an item of the project's partners that you may cite",
        )
    ]
    assert errors(bad_edit.text) == [(f"finding-{finding_id}-title", "is required")]
    assert "<details open>" in bad_edit.text
    assert "<strong>1. Shared cobot pilots</strong>" in page
    assert "Concerns every SME." in page
    assert (
        "<li>Cluster excellence readiness self-assessment of Mobility Cluster, "
        f"{NOW.date()}: overall 62.5/100 on 2 questions answered" in page
    )
    assert re.findall(r"<strong>(R\d\. [^<]*)</strong></p>\s*<p>([^<]*)</p>", page) == [
        ("R1. To the European Union", "Train trainers."),
        ("R2. To cluster organisations", "Fund pilots now."),
    ]
    # The one finding cannot move; the first recommendation only down, the last only up.
    assert re.findall(r'aria-label="(Move \w+ \w+ \w+)"', page) == [
        "Move down recommendation 1",
        "Move up recommendation 2",
    ]
    assert errors(upload.text) == [("d-file", "survey.txt: must be a PDF, JPEG or PNG file")]
    assert client.get(f"{base}.pdf").headers["content-type"] == "application/pdf"


def test_texts_of_the_limits_length_are_saved_whole_and_longer_ones_kept(
    client: TestClient, world: AnalysisWorld, clean_database: Database
) -> None:
    base = f"/projects/{world.project}/analysis"
    sign_in(client, "maria@example.org")
    token = csrf_token(client, base)
    finding = {"kind": "opportunity", "title": "Shared AI pilots", "csrf_token": token}
    # Far longer than the limit, as a paste would be: refused beside its box, not cut.
    long, whole = "f" * (MAX_TEXT * 2), "f" * MAX_TEXT

    shown = client.get(base).text
    refused = client.post(f"{base}/findings", data=finding | {"text": long})
    saved = client.post(f"{base}/findings", data=finding | {"text": whole}, follow_redirects=False)
    recommendation = client.post(
        f"{base}/recommendations",
        data={"audience": "regional", "text": long, "csrf_token": token},
    )

    reason = f"must be at most {MAX_TEXT:,} characters, not {len(long):,}"
    assert 'maxlength="10000"' not in shown
    assert refused.status_code == 422
    assert invalid_fields(refused.text) == [("finding-text", reason)]
    assert f'aria-describedby="finding-text-error">{long}</textarea>' in refused.text
    assert saved.status_code == 303
    with clean_database.unit_of_work() as session:
        assert whole in session.scalars(sa.select(Finding.text)).all()
    assert recommendation.status_code == 422
    assert invalid_fields(recommendation.text) == [
        ("recommendation-text", reason),
        ("recommendation-finding_ids", "cite at least one finding"),
    ]
    assert f'aria-describedby="recommendation-text-error">{long}</textarea>' in (
        recommendation.text
    )


def test_officers_read_and_strangers_get_404(client: TestClient, world: AnalysisWorld) -> None:
    base = f"/projects/{world.project}/analysis"
    sign_in(client, "paula@example.org")
    page = client.get(base)
    token = csrf_token(client, base)
    denied = client.post(f"{base}/findings", data={"title": "X", "text": "Y", "csrf_token": token})
    client.post("/sign-out", data={"csrf_token": token})
    sign_in(client, "sam@example.org")

    assert 'data-testid="no-findings"' in page.text
    assert 'data-testid="finding-form"' not in page.text
    assert denied.status_code == 403
    assert client.get(base).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_workspace_needs_a_constant_number_of_queries(
    client: TestClient, app_state: AppState, count: int
) -> None:
    with app_state.database.unit_of_work() as session:
        world = make_analysis_world(session)
        ada = world.people["ada"]
        for number in range(count):
            finding = create_finding(
                session, ada, world.project,
                FindingDraft(kind=FindingKind.THREAT, title=f"Threat {number}", text="Text."),
            )  # fmt: skip
            link_evidence(
                session, ada, world.project, finding.id, kind="outcome", ref_id=world.outcome,
                today=RECORDED.date(),
            )  # fmt: skip
            create_recommendation(
                session, ada, world.project, RecommendationDraft("eu", "Act.", (finding.id,))
            )
    sign_in(client, "maria@example.org")

    with count_queries(app_state.database.engine) as log:
        page = client.get(f"/projects/{world.project}/analysis")

    assert (page.text.count('data-testid="finding"'), page.text.count("Rests on finding 1")) == (
        count, 1
    )  # fmt: skip
    # 30: the frozen reports whose indicator values a finding may cite are one more query.
    assert log.count == 30


#: 23:30 UTC on 4 May: already 5 May in Brussels.
LATE_EVENING_UTC = datetime(2026, 5, 4, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "day"), [("Europe/Brussels", "2026-05-05"), ("UTC", "2026-05-04")]
)
def test_the_evidence_offered_is_dated_in_the_sites_time_zone(
    app_state: AppState, world: AnalysisWorld, time_zone: str, day: str
) -> None:
    with app_state.database.unit_of_work() as session:
        create_finding(
            session, world.people["maria"], world.project,
            FindingDraft(kind=FindingKind.THREAT, title="Slow uptake", text="Text."),
        )  # fmt: skip
    site = app_state.settings.model_copy(update={"time_zone": time_zone})
    late = AppState(site, app_state.database, app_state.catalogue, clock=lambda: LATE_EVENING_UTC)
    with TestClient(create_app(late), base_url="http://testserver") as client:
        sign_in(client, "maria@example.org")
        page = client.get(f"/projects/{world.project}/analysis")

    assert page.status_code == 200
    assert (
        f"Cluster excellence readiness self-assessment of Mobility Cluster, {day}: overall"
        in unescape(page.text)
    )
