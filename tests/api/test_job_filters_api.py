"""``GET /api/jobs?kind=&state=``: an administrator's list narrowed to one kind and state;
others still see only their own jobs; an unknown kind or state is a 422 naming the field."""

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.job_lists import ADMIN, MEMBER, ORGANISER, JobList, make_job_list

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def made(app_state: AppState) -> tuple[JobList, dict[str, dict[str, str]]]:
    with app_state.database.unit_of_work() as session:
        made = make_job_list(session)
        headers = {}
        for email in (ADMIN, ORGANISER, MEMBER):
            user = get_user_by_email(session, email)
            assert user is not None
            token = create_api_token(session, user, name="t")[1]
            headers[email] = {"Authorization": f"Bearer {token}"}
    return made, headers


def test_the_list_keeps_the_kind_and_state_asked_for(
    client: TestClient, made: tuple[JobList, dict[str, dict[str, str]]]
) -> None:
    jobs, headers = made
    query = {"kind": "mail.send", "state": "failed"}
    listed = {
        email: [
            (job["id"], job["kind"], job["state"])
            for job in client.get("/api/jobs", params=query, headers=h).json()
        ]
        for email, h in headers.items()
    }
    only_kind = client.get("/api/jobs", params={"kind": "mail.send"}, headers=headers[ADMIN])
    blank = client.get("/api/jobs", params={"kind": "", "state": ""}, headers=headers[ORGANISER])

    assert listed == {
        ADMIN: [
            (jobs.olga_mail_failed, "mail.send", "failed"),
            (jobs.system_mail_failed, "mail.send", "failed"),
        ],
        ORGANISER: [(jobs.olga_mail_failed, "mail.send", "failed")],
        MEMBER: [],
    }
    assert [job["id"] for job in only_kind.json()] == [
        jobs.olga_mail_failed,
        jobs.system_mail_failed,
        jobs.ada_mail_queued,
        jobs.olga_mail_done,
    ]
    assert [job["id"] for job in blank.json()] == [
        jobs.olga_mail_failed,
        jobs.olga_solve_failed,
        jobs.olga_mail_done,
    ]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"kind": "mail"}, ["kind"]),
        ({"state": "done"}, ["state"]),
        ({"kind": "x", "state": "Failed"}, ["kind", "state"]),
    ],
)
def test_an_unknown_kind_or_state_is_a_422_naming_the_field(
    client: TestClient,
    made: tuple[JobList, dict[str, dict[str, str]]],
    query: dict[str, str],
    fields: list[str],
) -> None:
    response = client.get("/api/jobs", params=query, headers=made[1][ADMIN])

    body = response.json()
    assert (response.status_code, body["message"]) == (422, "The jobs cannot be listed")
    assert [error["field"] for error in body["errors"]] == fields


def test_a_filter_longer_than_100_characters_is_a_422(
    client: TestClient, made: tuple[JobList, dict[str, dict[str, str]]]
) -> None:
    response = client.get("/api/jobs", params={"kind": "k" * 101}, headers=made[1][ADMIN])

    assert response.status_code == 422
    # The length given too, as the web and the services say it ("must be at most 100 characters").
    assert [(e["location"], e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("query", "kind", "must be at most 100 characters, not 101")
    ]
