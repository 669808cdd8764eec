"""The self-assessment pages: a cluster answers and sees its scores, an SME takes two
assessments and sees its progress, mistakes are shown in place, and strangers get 404."""

import re
import tomllib
from datetime import UTC, date, datetime
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.domain.assessment import ClusterDimension, ImprovementStatus
from clusterbridge.domain.enums import OrgType
from clusterbridge.services import monitoring
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.monitoring import maturity_rules
from clusterbridge.services.uploads import Upload
from clusterbridge.web.app import create_app
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.web.helpers import (
    ODD_FILE_NAME,
    assert_served_under_its_owner_only,
    csrf_token,
    sign_in,
)
from tests.web.refusals import summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def ids(clean_database: Database) -> tuple[int, int]:
    with clean_database.unit_of_work() as session:
        maria = make_user(session, email="maria@munich.example", name="Maria")
        tom = make_user(session, email="tom@tiny.example", name="Tom")
        make_user(session, email="sam@example.org", name="Sam")
        cluster = make_organisation(session, name="Munich Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, maria)
        add_member(session, sme, tom)
        return cluster.id, sme.id


def test_a_cluster_answers_a_question_and_sees_its_score(
    client: TestClient, ids: tuple[int, int]
) -> None:
    cluster, _sme = ids
    sign_in(client, "maria@munich.example")
    assert 'data-testid="readiness-link"' in client.get(f"/organisations/{cluster}").text
    page = client.get(f"/organisations/{cluster}/readiness").text
    assert "official indicator list of the European Cluster Excellence labels is not public" in page
    question = re.search(r"/organisations/\d+/readiness/questions/(\d+)/answer", page)
    assert question is not None
    token = csrf_token(client, "/account")

    saved = client.post(
        question.group(0), data={"level": "2", "csrf_token": token}, follow_redirects=False
    )
    wrong = client.post(question.group(0), data={"level": "9", "csrf_token": token})
    label = client.post(
        f"/organisations/{cluster}/labels",
        data={"level": "gold", "awarded": "2025-01-01", "csrf_token": token},
    )

    assert saved.status_code == 303, saved.text[-1500:]
    assert saved.headers["location"].endswith(f"#q{question.group(1)}")
    after = client.get(f"/organisations/{cluster}/readiness").text
    assert '<td data-testid="score-structure">50.0 %</td>' in after
    assert wrong.status_code == 422
    assert "must be 0 to 4" in wrong.text
    assert label.status_code == 422
    assert "is required for a gold label" in label.text


def test_an_sme_takes_two_assessments_and_sees_its_progress(
    client: TestClient, ids: tuple[int, int]
) -> None:
    _cluster, sme = ids
    sign_in(client, "tom@tiny.example")
    token = csrf_token(client, "/account")
    keys = [q.key for q in maturity_rules().questions]
    url = f"/organisations/{sme}/digital-maturity"

    missing = client.post(url, data={keys[0]: "3", "csrf_token": token})
    client.post(url, data={**dict.fromkeys(keys, "1"), "csrf_token": token})
    done = client.post(
        url, data={**dict.fromkeys(keys, "2"), "csrf_token": token}, follow_redirects=False
    )

    assert missing.status_code == 422
    assert f'data-testid="error-{keys[1]}">is required' in missing.text
    assert done.headers["location"] == f"{url}#history"
    page = client.get(url).text
    assert re.search(
        r'data-testid="overall-0"><strong>40.0</strong> <span class="muted">\(\+20.0\)', page
    )
    assert re.search(
        r'data-testid="overall-1"><strong>20.0</strong><br><span class="badge">Basic', page
    )
    derived = client.get(f"/organisations/{sme}").text
    assert "Digital maturity assessment of" in derived


def test_a_cluster_is_told_at_once_that_digital_maturity_is_for_smes(
    client: TestClient, ids: tuple[int, int]
) -> None:
    cluster, sme = ids
    sign_in(client, "maria@munich.example")
    token = csrf_token(client, "/account")
    keys = [q.key for q in maturity_rules().questions]
    url = f"/organisations/{cluster}/digital-maturity"

    page = client.get(url)
    answered = client.post(url, data={**dict.fromkeys(keys, "2"), "csrf_token": token})
    partly = client.post(url, data={keys[0]: "2", "csrf_token": token})

    assert page.status_code == 200
    assert (
        'data-testid="not-an-sme">The digital maturity self-assessment is for SMEs. Munich '
        "Cluster is not recorded as an SME"
    ) in page.text
    assert 'data-testid="submit-assessment"' not in page.text
    assert f'data-testid="answer-{keys[0]}"' not in page.text
    for refused in (answered, partly):
        assert refused.status_code == 409
        assert (
            'data-testid="error-form">The digital maturity self-assessment is for SMEs.'
            in refused.text
        )
        assert 'data-testid="submit-assessment"' not in refused.text
    assert 'data-testid="maturity-link"' not in client.get(f"/organisations/{cluster}").text
    sign_in(client, "tom@tiny.example")
    assert 'data-testid="maturity-link"' in client.get(f"/organisations/{sme}").text


def test_strangers_do_not_see_the_assessments(client: TestClient, ids: tuple[int, int]) -> None:
    cluster, sme = ids
    sign_in(client, "sam@example.org")
    assert client.get(f"/organisations/{cluster}/readiness").status_code == 404
    assert client.get(f"/organisations/{sme}/digital-maturity").status_code == 404
    assert 'data-testid="readiness-link"' not in client.get(f"/organisations/{cluster}").text


PDF = b"%PDF-1.4 strategy"


@pytest.fixture
def two_clusters(clean_database: Database) -> tuple[int, int, int, int]:
    """Maria is a member of two clusters, each with one evidence file named ``ODD_FILE_NAME``: the
    clusters' ids, then the files'."""
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with clean_database.unit_of_work() as session:
        maria = make_user(session, email="maria@munich.example", name="Maria")
        clusters = [make_organisation(session, name=n) for n in ("Munich Cluster", "Lyon Cluster")]
        files = []
        for cluster in clusters:
            add_member(session, cluster, maria)
            question = monitoring.get_readiness(session, maria, cluster.id).questions[0]
            upload = Upload(ODD_FILE_NAME, "application/pdf", PDF)
            [stored] = monitoring.attach_evidence(session, maria, question.id, [upload], now=now)
            files.append(stored.id)
        return clusters[0].id, clusters[1].id, files[0], files[1]


def test_an_evidence_file_downloads_under_its_own_organisation_only(
    client: TestClient, two_clusters: tuple[int, int, int, int]
) -> None:
    munich, _lyon, own, others = two_clusters
    sign_in(client, "maria@munich.example")

    assert_served_under_its_owner_only(
        client,
        f"/organisations/{munich}/readiness/evidence",
        own=own,
        others=others,
        content=PDF,
        message="No such file among yours.",
    )


def test_an_improvement_area_past_its_due_date_says_since_when_it_is_overdue(
    clean_database: Database, settings: Settings, ids: tuple[int, int]
) -> None:
    cluster, _sme = ids
    with clean_database.unit_of_work() as session:
        maria = get_user_by_email(session, "maria@munich.example")
        for title, due, status in (("Fee model", date(2024, 12, 5), None),
                                   ("Strategy", date(2024, 12, 2), ImprovementStatus.DONE),
                                   ("Services", date(2024, 12, 6), None)):  # fmt: skip
            area = monitoring.add_improvement(
                session, maria, cluster, dimension=ClusterDimension.GOVERNANCE, title=title,
                due=due, today=date(2024, 12, 1),
            )  # fmt: skip
            area.status = status or area.status
    late = datetime(2024, 12, 5, 23, 30, tzinfo=UTC)  # 00:30 on 6 December in Brussels
    state = AppState(settings, clean_database, load_catalogue(), clock=lambda: late)

    with TestClient(create_app(state), base_url="http://testserver") as client:
        sign_in(client, "maria@munich.example")
        page = client.get(f"/organisations/{cluster}/readiness").text

    listed = page.split('data-testid="improvements">')[1].split("</ul>")[0]
    marked = [
        " ".join(re.sub(r"<[^>]+>", " ", item.split("</p>")[0]).split())
        for item in listed.split("<li>")[1:]
    ]
    assert sorted(marked) == [
        "Fee model (Management and governance) Overdue since 2024-12-06",
        "Services (Management and governance)",
        "Strategy (Management and governance)",
    ]


def test_a_refused_question_is_named_by_its_text_without_its_full_stop(
    client: TestClient, ids: tuple[int, int]
) -> None:
    # The walk of 2026-12-07: "The cluster has at least 15 clearly committed members., Weight:
    # must be 1 to 5".
    cluster, _sme = ids
    sign_in(client, "maria@munich.example")
    page = client.get(f"/organisations/{cluster}/readiness").text
    found = re.search(r"/organisations/\d+/readiness/questions/(\d+)/edit", page)
    assert found is not None
    token = csrf_token(client, "/account")

    refused = client.post(
        found.group(0),
        data={"text": "We meet our members twice a year.", "weight": "9", "csrf_token": token},
    )

    assert refused.status_code == 422
    assert summary_items(refused.text) == [
        "The cluster has at least 15 clearly committed members, Weight: must be 1 to 5"
    ]


#: An address in a text: a whole URL, or a path of this site standing alone ("see
#: /register-your-profile"), which a reader would follow on clusterbridge itself.
ADDRESS = re.compile(r"https?://[^\s)'\"]+|(?<![\w.:/-])/[a-z][\w/.-]*")
#: What the site answers for a path or a method it has no route for.
NO_ROUTE = {404, 405}


def test_the_shipped_questions_send_no_one_to_a_path_the_app_does_not_have(
    client: TestClient, ids: tuple[int, int]
) -> None:
    # A QA walk suspected a link to "/register-your-profile", which is no page of clusterbridge:
    # it is the ECCP's (https://clustercollaboration.eu/register-your-profile), written whole.
    data = tomllib.loads(
        resources.files("clusterbridge.services.monitoring")
        .joinpath("data", "readiness_questions.toml")
        .read_text()
    )
    texts = [data["notice"], data["dimension_source"], *(q["source"] for q in data["question"])]
    addresses = [found for text in texts for found in ADDRESS.findall(text)]
    sign_in(client, "maria@munich.example")

    paths = [a for a in addresses if a.startswith("/")]
    answers = {path: client.get(path, follow_redirects=False).status_code for path in paths}
    assert {path: status for path, status in answers.items() if status in NO_ROUTE} == {}
    assert "https://clustercollaboration.eu/register-your-profile" in addresses
    assert [a for a in addresses if not a.startswith(("/", "https://"))] == []


def test_every_link_and_form_of_the_readiness_page_reaches_a_route(
    client: TestClient, ids: tuple[int, int]
) -> None:
    cluster, _sme = ids
    sign_in(client, "maria@munich.example")
    page = client.get(f"/organisations/{cluster}/readiness").text
    links = set(re.findall(r'href="(/[^"#?]*)', page))
    forms = set(re.findall(r'action="(/[^"#?]*)', page))

    # A form posted without its CSRF token is refused before it does anything (403); a path or a
    # method without a route is 404 or 405.
    followed = {link: client.get(link, follow_redirects=False).status_code for link in links}
    posted = {form: client.post(form, follow_redirects=False).status_code for form in forms}

    assert (len(links) > 5, len(forms) > 5) == (True, True)
    assert {link: status for link, status in followed.items() if status in NO_ROUTE} == {}
    assert {form: status for form, status in posted.items() if status in NO_ROUTE} == {}
