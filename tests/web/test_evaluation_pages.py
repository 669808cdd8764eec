"""The evaluation pages as an officer, experts and applicants use them with their browsers:
the pool, the assignment with conflicts and fit, reports, the consensus, the ranking and its
downloads; mistakes keep what was typed and say why; nobody sees what is not theirs. Runs on
SQLite and PostgreSQL."""

import io
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import (
    EvaluationAssignment,
    Expert,
    ExpertDeclaration,
    Proposal,
    ProposalDocument,
    User,
)
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.services.mail import FileMailer
from clusterbridge.services.selection import assignment as assigning
from clusterbridge.services.selection import evaluation, outcome
from clusterbridge.services.selection.experts import MAX_EXPERTISE
from clusterbridge.services.selection.notices import SelectionMail
from tests.conftest import Clock
from tests.factories.evaluation import (
    CLOSES_AT,
    POOL,
    SmallEvaluation,
    make_call,
    make_expert,
    make_proposal,
    make_small_evaluation,
)
from tests.jobs import JOB_TIMEOUT
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, signed_in_browsers
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]


#: The clock of these tests: the calls of ``make_call`` are closed, their evaluation can run.
NOW = CLOSES_AT + timedelta(days=30)


@pytest.fixture
def small(app_state: AppState, clock: Clock) -> SmallEvaluation:
    clock.now = NOW
    with app_state.database.unit_of_work() as session:
        return make_small_evaluation(session)


@pytest.fixture
def browser(app_state: AppState) -> Iterator[Callable[[str], TestClient]]:
    """A signed-in browser per person (``name@example.org``)."""
    yield from signed_in_browsers(app_state, lambda name: f"{name}@example.org")


def _post(client: TestClient, url: str, data: dict[str, object], page: str) -> int:
    data = {**data, "csrf_token": csrf_token(client, page)}
    response = client.post(url, data=data, follow_redirects=False)  # type: ignore[arg-type]
    return response.status_code


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _report(relevance: str, impact: str, comment: str) -> dict[str, object]:
    return {"score": [relevance, impact], "comment": [comment, comment]}


def _evaluate(browser: Callable[[str], TestClient], small: SmallEvaluation) -> TestClient:
    olga = browser("olga")
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        assert _post(olga, "/evaluation/experts", data, "/evaluation/experts") == 303
    panel = f"/evaluation/calls/{small.call_id}"
    assert _post(olga, f"{panel}/assignment", {"per_proposal": 2, "max_load": 2}, panel) == 303
    alpha, beta = small.proposals["ALPHA"], small.proposals["BETA"]
    for who, proposal, scores in [("lea", alpha, ("25", "55")), ("max", alpha, ("24", "50")),
                                  ("max", beta, ("21", "60")), ("kim", beta, ("22", "58"))]:  # fmt: skip
        page = f"/evaluation/proposals/{proposal}"
        assert _post(browser(who), f"{page}/report", _report(*scores, who), page) == 303
    html = olga.get(panel).text
    for proposal, name in ((alpha, "Lea"), (beta, "Max")):
        card = html.split(f'id="proposal-{proposal}"')[1]
        chosen = re.search(rf'<option value="(\d+)"\s*>{name}</option>', card)
        assert chosen is not None
        url = f"/evaluation/proposals/{proposal}/rapporteur"
        assert _post(olga, url, {"assignment_id": chosen.group(1)}, panel) == 303
    for who, proposal, scores in [("lea", alpha, ("25", "53")), ("max", beta, ("21", "58"))]:
        page = f"/evaluation/proposals/{proposal}"
        assert _post(browser(who), f"{page}/consensus", _report(*scores, "Agreed"), page) == 303
    return olga


def test_adding_an_expert_says_it_is_saved(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    # The QA pass of 2026-12-07 (qa3): the pool came back with no word that anything happened.
    olga = browser("olga")
    name, pic, expertise = POOL[0]
    data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
    token = csrf_token(olga, "/evaluation/experts")

    added = olga.post("/evaluation/experts", data={**data, "csrf_token": token},
                      follow_redirects=False)  # fmt: skip
    shown = olga.get(added.headers["location"]).text

    assert added.headers["location"] == "/evaluation/experts?saved=1"
    assert ('<div class="notice success" role="status" data-testid="expert-saved"><p>The expert '
            "is saved in the pool (added, or their details updated).</p></div>") in shown  # fmt: skip


def test_officer_builds_the_pool_and_sees_conflicts_and_fit(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = browser("olga")
    bad = {"email": "nobody@example.org", "organisation_pic": "", "expertise": "x"}

    status = _post(olga, "/evaluation/experts", bad, "/evaluation/experts")

    assert status == 422
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _post(olga, "/evaluation/experts", data, "/evaluation/experts")
    panel = f"/evaluation/calls/{small.call_id}"
    assert _post(olga, f"{panel}/assignment", {"per_proposal": 2, "max_load": 2}, panel) == 303
    text = _text(olga.get(panel).text)
    assert "Kim: works for Acme GmbH, a member of the consortium" in text
    assert re.search(r"Lea, fit 0\.\d\d \(battery\) · report not written", text)
    response = olga.post(f"{panel}/assignment", data={"per_proposal": 3, "max_load": 2,
                         "csrf_token": csrf_token(olga, panel)})  # fmt: skip
    assert response.status_code == 409
    assert "ALPHA: 3 evaluations are needed, and the experts without a conflict (Lea, Max) " \
           "can give at most 2" in _text(response.text)  # fmt: skip


def test_assigning_with_no_eligible_proposal_says_there_is_nothing_to_assign(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        empty = make_call(session, identifier="EMPTY-2026").id
    olga = browser("olga")
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _post(olga, "/evaluation/experts", data, "/evaluation/experts")
    panel = f"/evaluation/calls/{empty}"

    response = olga.post(f"{panel}/assignment", data={"per_proposal": 50, "max_load": 2,
                         "csrf_token": csrf_token(olga, panel)})  # fmt: skip

    assert response.status_code == 409
    assert (
        '<div class="notice error" role="alert" tabindex="-1" data-error-summary'
        ' data-testid="page-error"><p>There is nothing to'
        " assign: the call has no eligible submitted proposal</p></div>"
    ) in response.text
    assert "The experts are assigned" not in response.text


def test_the_pool_names_unknown_ecosystems_and_technologies_beside_their_fields(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = browser("olga")
    data = {
        "email": "kim@example.org",
        "expertise": "batteries",
        "ecosystems": "made-up-ecosystem",
        "technologies": "teleportation",
        "csrf_token": csrf_token(olga, "/evaluation/experts"),
    }

    response = olga.post("/evaluation/experts", data=data)

    assert response.status_code == 422
    assert (
        'data-testid="error-ecosystems">&#34;made-up-ecosystem&#34; is not an industrial'
        " ecosystem; use one of aerospace-defence,"
    ) in response.text
    assert (
        'data-testid="error-technologies">&#34;teleportation&#34; is not in the technology'
        " vocabulary;"
    ) in response.text
    assert "kim@example.org" not in olga.get("/evaluation/experts").text


def test_report_mistakes_are_shown_and_others_see_nothing(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = browser("olga")
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _post(olga, "/evaluation/experts", data, "/evaluation/experts")
    panel = f"/evaluation/calls/{small.call_id}"
    _post(olga, f"{panel}/assignment", {"per_proposal": 2, "max_load": 2}, panel)
    alpha, beta = small.proposals["ALPHA"], small.proposals["BETA"]
    lea, alice = browser("lea"), browser("alice")
    page = f"/evaluation/proposals/{alpha}"

    response = lea.post(f"{page}/report", data={**_report("31", "50", ""),
                        "csrf_token": csrf_token(lea, page)})  # type: ignore[arg-type]  # fmt: skip

    assert response.status_code == 422
    assert 'value="31"' in response.text
    assert "must be between 0 and 30, not 31" in response.text
    assert "Comment on impact: is required" in response.text
    assert lea.get(f"/evaluation/proposals/{beta}").status_code == 404
    assert alice.get(page).status_code == 404
    assert alice.get(panel).status_code == 403
    assert "ALPHA" in _text(lea.get("/evaluation").text)
    assert "BETA" not in _text(lea.get("/evaluation").text)


def test_ranking_downloads_and_published_outcomes(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = _evaluate(browser, small)
    ranking = f"/evaluation/calls/{small.call_id}/ranking"
    alice, bob = browser("alice"), browser("bob")
    summary = f"/evaluation/proposals/{small.proposals['ALPHA']}/summary.pdf"

    assert _post(olga, ranking, {}, ranking) == 303
    text = _text(olga.get(ranking).text)
    assert "1 BETA (Strand 2) 79.00 Selected (order 2) taken in rank order" in text
    assert "2 ALPHA (Strand 1) 78.00 Selected (order 1) taken in rank order" in text
    workbook = olga.get(f"/evaluation/calls/{small.call_id}/selection.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(workbook.content)).active.values)  # type: ignore[union-attr]
    assert [row[:2] for row in rows] == [("Rank", "Acronym"), (1, "BETA"), (2, "ALPHA")]
    assert olga.get(f"/evaluation/calls/{small.call_id}/selection.pdf").content[:5] == b"%PDF-"
    # The page's PDF button renders the ranked list in a job; its page offers the download.
    assert f'form="document-selection-{small.call_id}"' in olga.get(ranking).text
    job = olga.post(
        "/documents",
        data={"csrf_token": csrf_token(olga, ranking), "document": "selection",
              "id": str(small.call_id)},
        follow_redirects=False,
    )  # fmt: skip
    assert job.headers["location"].startswith("/jobs/")
    download = olga.get(f"{job.headers['location']}/download")
    deadline = time.monotonic() + JOB_TIMEOUT
    while download.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
        download = olga.get(f"{job.headers['location']}/download")
    assert (download.status_code, download.content[:5]) == (200, b"%PDF-")
    assert "Being evaluated" in _text(alice.get("/evaluation").text)
    assert alice.get(summary).status_code == 404

    publication = f"/evaluation/calls/{small.call_id}/publication"
    unconfirmed = olga.post(publication, data={"csrf_token": csrf_token(olga, ranking)},
                            follow_redirects=False)  # fmt: skip
    assert (unconfirmed.status_code, unconfirmed.headers["location"]) == (303, publication)
    assert "Being evaluated" in _text(alice.get("/evaluation").text)
    step = _text(olga.get(publication).text)
    assert "Publishing cannot be undone. Each applicant then sees their proposal's outcome " \
           "and evaluation summary, and is e-mailed it: 2 selected, 0 on the reserve list, " \
           "0 out (2 letters in all)." in step  # fmt: skip
    assert "Publish and e-mail 2 applicants" in step
    assert _post(olga, publication, {"confirm": "yes"}, publication) == 303
    assert olga.get(publication, follow_redirects=False).status_code == 303

    assert "Selected: taken in rank order" in _text(alice.get("/evaluation").text)
    assert alice.get(summary).content[:5] == b"%PDF-"
    assert bob.get(summary).status_code == 404


def _evaluated_call(
    app_state: AppState, small: SmallEvaluation, *, identifier: str, size: int
) -> int:
    """A call of ``size`` eligible proposals by Alice, each evaluated by Lea (rapporteur) and
    Max, ranked and published."""
    mail = SelectionMail(FileMailer(app_state.settings.resolved_mail_dir(), "x@example.org"), "x")
    with app_state.database.unit_of_work() as session:
        users = {u.email: u for u in session.scalars(sa.select(User))}
        olga, alice = users["olga@example.org"], users["alice@example.org"]
        lea, max_ = users["lea@example.org"], users["max@example.org"]
        call = make_call(session, identifier=identifier)
        for number in range(size):
            make_proposal(session, call=call, applicant=alice, acronym=f"P{number}",
                          requested=100_000, summary="battery tourism")  # fmt: skip
        for user in (lea, max_):
            if repository.expert_of_user(session, user.id) is None:
                make_expert(session, user=user, expertise="battery tourism")
        panel = assigning.assign_experts(session, olga, call.id, per_proposal=2, max_load=size,
                                         now=NOW, today=NOW.date())  # fmt: skip
        report = evaluation.Scored({"relevance": "25", "impact": "60"},
                                   {"relevance": "Good", "impact": "Good"})  # fmt: skip
        for a in panel.assignments:
            evaluation.submit_report(
                session, a.expert.user, a.proposal_id, report, now=NOW, today=NOW.date()
            )
        for proposal in panel.proposals:
            leas = next(a for a in panel.assigned_to(proposal.id) if a.expert.user_id == lea.id)
            evaluation.choose_rapporteur(session, olga, proposal.id, leas.id, today=NOW.date())
            evaluation.submit_consensus(
                session, lea, proposal.id, report, now=NOW, today=NOW.date()
            )
        outcome.rank_call(session, olga, call.id, now=NOW)
        outcome.publish_selection(session, olga, call.id, now=NOW, mail=mail)
        return call.id


def test_list_pages_query_counts_do_not_grow_with_proposals(
    app_state: AppState, small: SmallEvaluation, browser: Callable[[str], TestClient]
) -> None:
    olga, alice, lea = browser("olga"), browser("alice"), browser("lea")
    counts = []

    for identifier, size in (("ONE", 1), ("THREE", 3)):
        call = _evaluated_call(app_state, small, identifier=identifier, size=size)
        with count_queries(app_state.database.engine) as log:
            pages = [
                olga.get(f"/evaluation/calls/{call}").text,
                olga.get(f"/evaluation/calls/{call}/ranking").text,
                olga.get("/evaluation/experts").text,
                alice.get("/evaluation").text,
                lea.get("/evaluation").text,
            ]
        assert pages[0].count('data-testid="panel-proposal"') == size
        proposals = "1 submitted proposal," if size == 1 else f"{size} submitted proposals,"
        assert f" · {proposals} " in _text(pages[0])
        assert pages[1].count('data-testid="decision-row"') == size
        counts.append(log.count)

    assert counts[0] == counts[1]


def test_an_assignment_with_a_number_cleared_is_refused_not_given_the_default(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    olga = browser("olga")
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _post(olga, "/evaluation/experts", data, "/evaluation/experts")
    panel = f"/evaluation/calls/{small.call_id}"
    shown = olga.get(panel).text
    assert 'name="per_proposal" type="number" min="1" max="100" value="3"' in shown
    assert 'name="max_load" type="number" min="1" max="100" value="4"' in shown

    response = olga.post(f"{panel}/assignment", data={"per_proposal": "", "max_load": " ",
                         "csrf_token": csrf_token(olga, panel)})  # fmt: skip

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="(\w+)-error"[^>]*>([^<]*)<', response.text) == [
        ("per_proposal", "must not be empty"),
        ("max_load", "must not be empty"),
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(EvaluationAssignment)) == 0


def test_the_pool_form_asks_for_an_empty_address_and_names_a_short_pic(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = browser("olga")
    data = {"email": "", "organisation_pic": "12", "expertise": "Textiles"}

    response = olga.post(
        "/evaluation/experts", data={**data, "csrf_token": csrf_token(olga, "/evaluation/experts")}
    )

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "E-mail address of their account: is required",
        'PIC of the organisation they work for: "12" is not a PIC: a PIC has exactly 9 digits',
    ]


def test_a_refused_expert_is_summed_up_by_the_labels_of_the_pool_form(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    olga = browser("olga")
    data = {"email": "nobody@example.org", "organisation_pic": "999999999",
            "expertise": "x" * 4001}  # fmt: skip

    response = olga.post(
        "/evaluation/experts", data={**data, "csrf_token": csrf_token(olga, "/evaluation/experts")}
    )

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "E-mail address of their account: no active account has this address",
        "PIC of the organisation they work for: no such PIC",
        "Expertise: must be at most 4,000 characters, not 4,001",
    ]
    assert invalid_fields(response.text) == [
        ("email", "no active account has this address"),
        ("organisation_pic", "no such PIC"),
        ("expertise", "must be at most 4,000 characters, not 4,001"),
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Expert)) == 0


def test_an_expertise_of_the_limits_length_is_saved_whole_and_a_longer_one_kept(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    olga, page = browser("olga"), "/evaluation/experts"
    name, pic, _ = POOL[0]
    data = {"email": f"{name}@example.org", "organisation_pic": pic}
    long, whole = "e" * (MAX_EXPERTISE + 1), "e" * MAX_EXPERTISE

    shown = olga.get(page).text
    refused = olga.post(
        page, data={**data, "expertise": long, "csrf_token": csrf_token(olga, page)}
    )
    saved = _post(olga, page, {**data, "expertise": whole}, page)

    assert '<textarea id="expertise" name="expertise" rows="3" >' in shown
    assert refused.status_code == 422
    assert summary_items(refused.text) == ["Expertise: must be at most 4,000 characters, not 4,001"]
    assert invalid_fields(refused.text) == [
        ("expertise", "must be at most 4,000 characters, not 4,001")
    ]
    assert f'aria-describedby="expertise-error">{long}</textarea>' in refused.text
    assert saved == 303
    with app_state.database.unit_of_work() as session:
        assert session.scalars(sa.select(Expert.expertise)).all() == [whole]


def test_a_refused_report_is_summed_up_with_every_criterion_named(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    olga = browser("olga")
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _post(olga, "/evaluation/experts", data, "/evaluation/experts")
    panel = f"/evaluation/calls/{small.call_id}"
    _post(olga, f"{panel}/assignment", {"per_proposal": 2, "max_load": 2}, panel)
    lea, page = browser("lea"), f"/evaluation/proposals/{small.proposals['ALPHA']}"

    response = lea.post(f"{page}/report", data={**_report("31", "50", ""),
                        "csrf_token": csrf_token(lea, page)})  # type: ignore[arg-type]  # fmt: skip

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Relevance score: must be between 0 and 30, not 31",
        "Comment on relevance: is required",
        "Comment on impact: is required",
    ]
    assert invalid_fields(response.text) == [
        ("scores-relevance", "must be between 0 and 30, not 31"),
        ("comments-relevance", "is required"),
        ("comments-impact", "is required"),
    ]
    assert 'id="report-score-relevance" name="score" type="text" inputmode="decimal" ' \
           'value="31" aria-invalid="true" aria-describedby="scores-relevance-error"' \
           in response.text  # fmt: skip
    with app_state.database.unit_of_work() as session:
        scored = sa.select(sa.func.count()).where(EvaluationAssignment.scores.is_not(None))
        assert session.scalar(scored) == 0


def test_a_declaration_without_a_statement_is_refused_beside_its_field(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    olga = browser("olga")
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _post(olga, "/evaluation/experts", data, "/evaluation/experts")
    panel = f"/evaluation/calls/{small.call_id}"
    _post(olga, f"{panel}/assignment", {"per_proposal": 2, "max_load": 2}, panel)
    lea, page = browser("lea"), f"/evaluation/proposals/{small.proposals['ALPHA']}"

    response = lea.post(f"{page}/declaration", data={"statement": " ",
                        "csrf_token": csrf_token(lea, page)})  # fmt: skip

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "What links you to this proposal: is required: say what the conflict is"
    ]
    assert invalid_fields(response.text) == [("statement", "is required: say what the conflict is")]
    assert 'data-testid="confirm-step"' not in response.text
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ExpertDeclaration)) == 0


def test_a_statement_too_long_is_refused_beside_its_field_and_kept_whole(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    # The QA pass of 2026-12-07 (qa3): 4,001 to 5,000 characters were cut to 4,000 without a
    # word, and more gave a page of its own ("The form is not valid") losing what was typed.
    _assigned(browser, small)
    lea, page = browser("lea"), f"/evaluation/proposals/{small.proposals['ALPHA']}"
    statement = "I advised the coordinator. " + "x" * 5000

    response = lea.post(f"{page}/declaration", data={"statement": statement,
                        "csrf_token": csrf_token(lea, page)})  # fmt: skip

    assert response.status_code == 422
    assert invalid_fields(response.text) == [
        ("statement", "must be at most 4,000 characters, not 5,027")
    ]
    assert f">{statement}</textarea>" in response.text
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ExpertDeclaration)) == 0


def _assigned(browser: Callable[[str], TestClient], small: SmallEvaluation) -> TestClient:
    """The pool, and 2 experts per proposal: ALPHA Lea and Max, BETA Max and Kim."""
    olga = browser("olga")
    for name, pic, expertise in POOL:
        data = {"email": f"{name}@example.org", "organisation_pic": pic, "expertise": expertise}
        _post(olga, "/evaluation/experts", data, "/evaluation/experts")
    panel = f"/evaluation/calls/{small.call_id}"
    _post(olga, f"{panel}/assignment", {"per_proposal": 2, "max_load": 2}, panel)
    return olga


def test_a_declared_conflict_shows_on_the_experts_and_the_officers_pages(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = _assigned(browser, small)
    lea, page = browser("lea"), f"/evaluation/proposals/{small.proposals['ALPHA']}"
    assert _post(lea, f"{page}/report", _report("25", "55", "Lea's"), page) == 303

    declared = _post(lea, f"{page}/declaration",
                     {"statement": "I advised the coordinator", "confirm": "yes"}, page)  # fmt: skip

    assert declared == 303
    expert_page = _text(lea.get(page).text)
    assert "You are off its evaluation: your report is not taken" in expert_page
    assert "Your report" not in expert_page
    assert "battery recycling" not in expert_page
    home = _text(lea.get("/evaluation").text)
    assert "You declared a conflict of interest: you are off this proposal until the " \
           "programme officer replaces you." in home  # fmt: skip
    panel = olga.get(f"/evaluation/calls/{small.call_id}").text
    card = panel.split(f'id="proposal-{small.proposals["ALPHA"]}"')[1].split("</li>\n{% ")[0]
    assert "Lea, fit" in _text(card)
    assert "declared a conflict: off this proposal, assign again to replace them" in _text(card)
    assert re.search(r'<option value="\d+"\s*>Lea</option>', card.split("</form>")[0]) is None
    report = lea.post(f"{page}/report", data={**_report("20", "40", "x"),
                      "csrf_token": csrf_token(lea, page)})  # fmt: skip
    assert report.status_code == 409
    assert "You declared a conflict of interest with this proposal: you are off its " \
           "evaluation" in _text(report.text)  # fmt: skip


def _declaration_rows(app_state: AppState) -> list[tuple[str, str]]:
    """(the expert's e-mail, the statement) of every declaration."""
    with app_state.database.unit_of_work() as session:
        rows = session.execute(
            sa.select(User.email, ExpertDeclaration.statement)
            .join(Expert, Expert.id == ExpertDeclaration.expert_id)
            .join(User, User.id == Expert.user_id)
        )
        return [(email, statement) for email, statement in rows]


def _lea_scored(app_state: AppState, proposal_id: int) -> bool:
    with app_state.database.unit_of_work() as session:
        scores = session.scalar(
            sa.select(EvaluationAssignment.scores)
            .join(Expert, Expert.id == EvaluationAssignment.expert_id)
            .join(User, User.id == Expert.user_id)
            .where(User.email == "lea@example.org", EvaluationAssignment.proposal_id == proposal_id)
        )
        return scores is not None


def test_declaring_a_conflict_asks_to_confirm_first_and_changes_nothing_until_then(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    # The QA walk of 2026-12-07: the form declared at once, final, with only a note above it.
    _assigned(browser, small)
    alpha = small.proposals["ALPHA"]
    lea, page = browser("lea"), f"/evaluation/proposals/{alpha}"
    assert _post(lea, f"{page}/report", _report("25", "55", "Lea's"), page) == 303
    statement = 'I advised the coordinator "Acme" & its partners\r\non their bid'

    asked = lea.post(f"{page}/declaration", data={"statement": statement,
                     "csrf_token": csrf_token(lea, page)})  # fmt: skip
    untouched = (_declaration_rows(app_state), _lea_scored(app_state, alpha))
    still = lea.get(page).text
    confirmed = lea.post(f"{page}/declaration", follow_redirects=False,
                         data={"statement": statement, "confirm": "yes",
                               "csrf_token": csrf_token(lea, page)})  # fmt: skip

    assert asked.status_code == 200
    assert "<h1>Declare a conflict of interest with ALPHA?</h1>" in asked.text
    assert _text(asked.text.split('data-testid="declared-statement">')[1].split("</dd>")[0]) == (
        "I advised the coordinator &#34;Acme&#34; &amp; its partners on their bid"
    )
    assert _text(asked.text.split('data-testid="declaration-losses">')[1].split("</p>")[0]) == (
        "Declaring takes you off this proposal: you lose access to it and its documents, your "
        "report on it is withdrawn and no longer counts, and the programme officer assigns "
        "another expert."
    )
    assert "This cannot be undone: the declaration is kept as written" in asked.text
    # The statement as typed goes on to the confirmation, with the CSRF token and confirm=yes.
    form = asked.text.split(f'<form method="post" action="{page}/declaration"')[1]
    form = form.split("</form>")[0]
    assert re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)[1:] == [
        ("statement", "I advised the coordinator &#34;Acme&#34; &amp; its partners\r\non their bid"),
        ("confirm", "yes"),
    ]  # fmt: skip
    assert f'<a class="button secondary" href="{page}" data-testid="cancel-declaration">' \
           "Back, do not declare</a>" in asked.text  # fmt: skip
    assert untouched == ([], True)
    assert 'data-testid="declared"' not in still
    assert 'id="report-title">Your report</h2>' in still
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/evaluation?declared=1"
    assert _declaration_rows(app_state) == [
        ("lea@example.org", 'I advised the coordinator "Acme" & its partners\r\non their bid')
    ]
    assert not _lea_scored(app_state, alpha)


def test_the_confirmation_step_is_only_for_the_rapporteur_says_so_and_going_back_keeps_all(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    olga = _assigned(browser, small)
    alpha = small.proposals["ALPHA"]
    lea, page = browser("lea"), f"/evaluation/proposals/{alpha}"
    panel = f"/evaluation/calls/{small.call_id}"
    card = olga.get(panel).text.split(f'id="proposal-{alpha}"')[1]
    chosen = re.search(r'<option value="(\d+)"\s*>Lea</option>', card)
    assert chosen is not None
    assert _post(olga, f"{page}/rapporteur", {"assignment_id": chosen.group(1)}, panel) == 303

    asked = lea.post(f"{page}/declaration", data={"statement": "My sister works there",
                     "csrf_token": csrf_token(lea, page)})  # fmt: skip
    back = lea.get(page).text
    again = lea.get(f"{page}/declaration", follow_redirects=False)

    assert _text(asked.text.split('data-testid="declaration-losses">')[1].split("</p>")[0]) == (
        "Declaring takes you off this proposal: you lose access to it and its documents, you "
        "are no longer its rapporteur, and the programme officer assigns another expert."
    )
    assert _declaration_rows(app_state) == []
    assert "You are the rapporteur." in _text(back)
    assert (again.status_code, again.headers["location"]) == (303, f"{page}#declare-title")


def test_a_declaration_refused_at_the_confirmation_step_is_shown_beside_its_field(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    _assigned(browser, small)
    lea, page = browser("lea"), f"/evaluation/proposals/{small.proposals['ALPHA']}"
    statement = "x" * (MAX_EXPERTISE + 1)

    emptied = lea.post(f"{page}/declaration", data={"statement": "  ", "confirm": "yes",
                       "csrf_token": csrf_token(lea, page)})  # fmt: skip
    too_long = lea.post(f"{page}/declaration", data={"statement": statement, "confirm": "yes",
                        "csrf_token": csrf_token(lea, page)})  # fmt: skip
    rows = _declaration_rows(app_state)
    first = lea.post(f"{page}/declaration", follow_redirects=False,
                     data={"statement": "I advised them", "confirm": "yes",
                           "csrf_token": csrf_token(lea, page)})  # fmt: skip
    twice = lea.post(f"{page}/declaration", data={"statement": "Again",
                     "csrf_token": csrf_token(lea, "/evaluation")})  # fmt: skip

    assert emptied.status_code == 422
    assert summary_items(emptied.text) == [
        "What links you to this proposal: is required: say what the conflict is"
    ]
    assert invalid_fields(emptied.text) == [("statement", "is required: say what the conflict is")]
    assert too_long.status_code == 422
    assert invalid_fields(too_long.text) == [
        ("statement", f"must be at most {MAX_EXPERTISE:,} characters, not {MAX_EXPERTISE + 1:,}")
    ]
    assert f">{statement}</textarea>" in too_long.text
    assert 'data-testid="confirm-step"' not in emptied.text + too_long.text
    assert rows == []
    assert first.status_code == 303
    # Declared already: the first step refuses too, before any confirmation.
    assert twice.status_code == 409
    assert 'data-testid="confirm-step"' not in twice.text
    assert ("You already declared a conflict of interest with ALPHA (&#34;I advised them&#34;); "
            "it is kept as it was") in twice.text  # fmt: skip
    assert _declaration_rows(app_state) == [("lea@example.org", "I advised them")]


def test_a_conflict_found_in_the_registry_shows_on_the_experts_and_the_officers_pages(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = _assigned(browser, small)
    alpha = small.proposals["ALPHA"]
    max_, page = browser("max"), f"/evaluation/proposals/{alpha}"
    assert _post(max_, f"{page}/report", _report("24", "50", "Max's"), page) == 303
    found = "works for Acme GmbH, a member of the consortium"

    moved = {"email": "max@example.org", "organisation_pic": "920000001", "expertise": "tourism"}
    assert _post(olga, "/evaluation/experts", moved, "/evaluation/experts") == 303

    expert_page = _text(max_.get(page).text)
    assert (
        "The registry shows a conflict of interest between you and this proposal: "
        f"{found}. You are off its evaluation: your report is not taken, and the programme "
        "officer assigns another expert."
    ) in expert_page
    assert "Your report" not in expert_page
    assert "battery recycling" not in expert_page
    home = max_.get("/evaluation").text
    assert _text(home.split('data-testid="assignment-conflict-found">')[1].split("</p>")[0]) == (
        f"The registry shows a conflict of interest with this proposal ({found}): you are off "
        "it until the programme officer replaces you."
    )
    panel = olga.get(f"/evaluation/calls/{small.call_id}").text
    card = panel.split(f'id="proposal-{alpha}"')[1].split('class="card" id="proposal-')[0]
    assert _text(card.split('data-testid="assigned">')[1].split("</ul>")[0]) == (
        "Lea, fit 0.16 (battery) · report not written Max, fit 0.00 · conflict of interest "
        "found in the "
        f"registry ({found}): off this proposal, assign again to replace them"
    )
    assert re.search(r'<option value="\d+"\s*>Max</option>', card.split("</form>")[0]) is None
    assert "Replace the experts with a conflict" in panel
    officer_page = _text(olga.get(page).text)
    assert f"Conflicts found in the registry Max: {found} — off this proposal" in officer_page
    report = max_.post(f"{page}/report", data={**_report("20", "40", "x"),
                       "csrf_token": csrf_token(max_, page)})  # fmt: skip
    assert report.status_code == 409
    assert f"You have a conflict of interest with this proposal ({found}): you are off its " \
           "evaluation" in _text(report.text)  # fmt: skip


def test_an_assigned_expert_reads_the_proposal_and_downloads_its_documents(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    _assigned(browser, small)
    with app_state.database.unit_of_work() as session:
        proposal = session.get(Proposal, small.proposals["ALPHA"])
        assert proposal is not None
        session.add(ProposalDocument(proposal=proposal, file_name="workplan.pdf",
                                     content_type="application/pdf", size=9, uploaded_at=NOW,
                                     content=b"%PDF-1.4\n"))  # fmt: skip
    lea, kim = browser("lea"), browser("kim")
    page = f"/evaluation/proposals/{small.proposals['ALPHA']}"

    html = lea.get(page).text

    assert "battery recycling" in _text(html)
    assert "Acme GmbH" in _text(html)
    link = re.search(r'href="(/proposals/\d+/documents/\d+)">workplan.pdf', html)
    assert link is not None
    download = lea.get(link.group(1))
    assert (download.status_code, download.content) == (200, b"%PDF-1.4\n")
    assert kim.get(link.group(1)).status_code == 404
    assert browser("bob").get(link.group(1)).status_code == 404


def test_the_applicants_proposal_pages_show_the_published_outcome(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = _evaluate(browser, small)
    ranking = f"/evaluation/calls/{small.call_id}/ranking"
    alice, alpha = browser("alice"), small.proposals["ALPHA"]
    _post(olga, ranking, {}, ranking)
    before = _text(alice.get(f"/proposals/{alpha}").text)

    assert _post(olga, f"/evaluation/calls/{small.call_id}/publication", {"confirm": "yes"},
                 ranking) == 303  # fmt: skip

    page = alice.get(f"/proposals/{alpha}").text
    listed = alice.get("/proposals").text
    assert "Outcome:" not in before
    assert _text(page.split('data-testid="proposal-outcome">')[1].split("</section>")[0]) == (
        "Outcome: Selected Why: taken in rank order. Grant awarded: EUR 2,000,000 "
        "Evaluation summary report (PDF)"
    )
    assert _text(listed.split('data-testid="proposal-state">')[1].split("</td>")[0]) == (
        "Selected: EUR 2,000,000 taken in rank order"
    )


def test_the_panel_offers_assigning_again_only_when_it_can_work(
    browser: Callable[[str], TestClient], small: SmallEvaluation
) -> None:
    olga = _assigned(browser, small)
    panel = f"/evaluation/calls/{small.call_id}"
    lea, page = browser("lea"), f"/evaluation/proposals/{small.proposals['ALPHA']}"
    fresh = olga.get(panel).text
    _post(lea, f"{page}/report", _report("25", "55", "Lea's"), page)

    written = olga.get(panel).text
    _post(browser("max"), f"{page}/declaration", {"statement": "I advised them", "confirm": "yes"},
          page)  # fmt: skip
    declared = olga.get(panel).text

    assert re.search(r'data-testid="assign">\s*Assign again\s*<', fresh) is not None
    assert 'data-testid="assign"' not in written
    assert _text(written.split('data-testid="assign-refusal">')[1].split("</p>")[0]) == (
        "Reports are already written for: ALPHA. The assignment stays as it is; an expert with "
        "a conflict of interest (declared, or found in the registry before the consensus) is "
        "replaced by assigning again."
    )
    assert "Replace the experts with a conflict" in declared
    assert 'data-testid="assign-refusal"' not in declared


def test_the_officers_list_of_calls_says_each_calls_status(
    app_state: AppState, small: SmallEvaluation, browser: Callable[[str], TestClient]
) -> None:
    with app_state.database.unit_of_work() as session:
        make_call(session, identifier="DRAFT-2026", closes_at=None).published_at = None

    page = browser("olga").get("/evaluation").text

    found = re.findall(
        r'data-testid="panel-link"><strong>([^<]+)</strong></a>\s*'
        r'<span class="badge [^"]+" data-testid="call-status">([^<]+)</span>',
        page,
    )
    assert sorted(found) == [("DRAFT-2026", "Draft"), ("EVAL-2026", "Closed")]


def test_an_expert_off_by_a_conflict_found_in_the_registry_no_longer_downloads_documents(
    browser: Callable[[str], TestClient], small: SmallEvaluation, app_state: AppState
) -> None:
    # The QA pass of 2026-12-07: the page hid the proposal, but its documents' addresses
    # still answered an expert off it by a conflict found in the registry.
    olga = _assigned(browser, small)
    with app_state.database.unit_of_work() as session:
        proposal = session.get(Proposal, small.proposals["ALPHA"])
        assert proposal is not None
        added = ProposalDocument(proposal=proposal, file_name="workplan.pdf",
                                 content_type="application/pdf", size=9, uploaded_at=NOW,
                                 content=b"%PDF-1.4\n")  # fmt: skip
        session.add(added)
        session.flush()
        link = f"/proposals/{small.proposals['ALPHA']}/documents/{added.id}"
    max_, page = browser("max"), f"/evaluation/proposals/{small.proposals['ALPHA']}"
    before = max_.get(link)
    moved = {"email": "max@example.org", "organisation_pic": "920000001", "expertise": "tourism"}

    assert _post(olga, "/evaluation/experts", moved, "/evaluation/experts") == 303

    after = max_.get(link)
    assert (before.status_code, before.content) == (200, b"%PDF-1.4\n")
    assert after.status_code == 404
    assert f"There is no proposal {small.proposals['ALPHA']}" in _text(after.text)
    assert link not in max_.get(page).text
    assert browser("lea").get(link).status_code == 200
