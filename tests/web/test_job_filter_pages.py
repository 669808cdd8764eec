"""The filter of the job list at ``/jobs``: a GET form (kind, state) that keeps the values
chosen; an unknown kind or state is the page again (422) with the field named."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from tests.factories.job_lists import ADMIN, ORGANISER, JobList, make_job_list
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

ROW = re.compile(r'<a href="/jobs/(\d+)">')


@pytest.fixture
def made(app_state: AppState) -> JobList:
    with app_state.database.unit_of_work() as session:
        return make_job_list(session)


def _listed(client: TestClient, query: str) -> list[int]:
    response = client.get(f"/jobs{query}")
    assert response.status_code == 200, response.text
    return [int(found) for found in ROW.findall(response.text)]


def test_an_administrator_narrows_the_list_to_failed_mail(
    client: TestClient, made: JobList
) -> None:
    sign_in(client, ADMIN)
    page = client.get("/jobs?kind=mail.send&state=failed").text
    listed = {
        query: _listed(client, query)
        for query in ("", "?kind=mail.send&state=failed", "?kind=&state=queued")
    }

    assert listed == {
        "": [
            made.olga_mail_failed,
            made.system_mail_failed,
            made.ada_mail_queued,
            made.olga_solve_failed,
            made.olga_mail_done,
        ],
        "?kind=mail.send&state=failed": [made.olga_mail_failed, made.system_mail_failed],
        "?kind=&state=queued": [made.ada_mail_queued],
    }
    assert (
        '<form class="filter-bar" method="get" action="/jobs" data-testid="job-filter"'
        ' role="search" aria-label="Filter the jobs">'
    ) in page
    assert '<option value="mail.send" selected>Send an e-mail</option>' in page
    assert '<option value="failed" selected>Failed</option>' in page
    assert '<option value="">any</option>' in page


def test_an_organiser_filters_only_her_own_jobs(client: TestClient, made: JobList) -> None:
    sign_in(client, ORGANISER)

    assert _listed(client, "?kind=mail.send") == [made.olga_mail_failed, made.olga_mail_done]
    empty = client.get("/jobs?state=running").text
    assert 'data-testid="no-jobs">No job of this kind and state.' in empty


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("?kind=mail", {"kind": '"mail" is not a kind of job'}),
        ("?state=done", {"state": '"done" is not a job state'}),
        ("?kind=nope&state=Failed", {"kind": '"nope" is not', "state": '"Failed" is not'}),
    ],
)
def test_an_unknown_kind_or_state_is_named_on_the_page(
    client: TestClient, made: JobList, query: str, named: dict[str, str]
) -> None:
    sign_in(client, ADMIN)
    response = client.get(f"/jobs{query}")

    errors = dict(re.findall(r'data-testid="error-(\w+)">([^<]*)<', response.text))
    assert response.status_code == 422
    assert sorted(errors) == sorted(named)
    quoted = {field: start.replace('"', "&#34;") for field, start in named.items()}
    assert all(errors[field].startswith(start) for field, start in quoted.items())
    assert 'aria-invalid="true"' in response.text
    assert 'data-testid="job-row"' not in response.text


def test_a_filter_longer_than_100_characters_is_refused(client: TestClient, made: JobList) -> None:
    sign_in(client, ADMIN)

    response = client.get("/jobs?state=" + "s" * 101)

    assert response.status_code == 422
    assert (
        "<p><strong>The address is not valid.</strong></p>\n"
        "  <ul><li>State: must be at most 100 characters</li></ul>"
    ) in response.text
