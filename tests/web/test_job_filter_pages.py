"""The filter of the job list at ``/jobs``: a GET form (kind, state) that keeps the values
chosen; an unknown kind or state is the page again (422) with the field named."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import JobState
from clusterbridge.services.jobs import TASKS
from tests.factories.job_lists import ADMIN, ORGANISER, JobList, make_job_list
from tests.web.helpers import sign_in
from tests.web.refusals import invalid_fields, summary_items

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


def test_a_filter_longer_than_100_characters_is_refused_beside_its_field(
    client: TestClient, made: JobList
) -> None:
    sign_in(client, ADMIN)

    response = client.get("/jobs?kind=nope&state=" + "s" * 101)

    kinds = ", ".join(sorted(TASKS))
    assert response.status_code == 422
    assert summary_items(response.text) == [
        f'Kind: "nope" is not a kind of job; use one of {kinds}',
        "State: must be at most 100 characters, not 101",
    ]
    assert invalid_fields(response.text) == [
        ("kind", f'"nope" is not a kind of job; use one of {kinds}'),
        ("state", "must be at most 100 characters, not 101"),
    ]
    assert 'data-testid="job-row"' not in response.text


def test_a_refused_filter_is_summed_up_by_the_labels_of_its_fields(
    client: TestClient, made: JobList
) -> None:
    sign_in(client, ADMIN)

    response = client.get("/jobs?kind=&state=done")

    states = ", ".join(JobState)
    assert response.status_code == 422
    assert summary_items(response.text) == [
        f'State: "done" is not a job state; use one of {states}'
    ]
    assert invalid_fields(response.text) == [
        ("state", f'"done" is not a job state; use one of {states}')
    ]
    assert 'id="job-state" name="state" data-testid="job-state" aria-invalid="true"' in (
        response.text
    )
    assert 'data-testid="job-row"' not in response.text
