"""The job list's filter: by kind of task and by state, for administrators (every job), for
the command line (every job) and for others (their own); unknown values named."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import JobState
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services import jobs
from tests.factories.job_lists import ADMIN, MEMBER, ORGANISER, make_job_list

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _ids(session: Session, email: str | None, *, kind: str = "", state: str = "") -> list[int]:
    actor = None if email is None else get_user_by_email(session, email)
    wanted = jobs.read_job_filter(kind=kind, state=state)
    return [job.id for job in jobs.list_visible_jobs(session, actor, wanted=wanted)]


def test_the_list_keeps_the_kind_and_state_asked_for_newest_first(session: Session) -> None:
    made = make_job_list(session)
    listed = {
        (who, kind, state): _ids(session, who, kind=kind, state=state)
        for who in (ADMIN, None, ORGANISER, MEMBER)
        for kind, state in (("", ""), ("mail.send", ""), ("", "failed"), ("mail.send", "failed"))
    }

    everyone = {
        ("", ""): [5, 4, 3, 2, 1],
        ("mail.send", ""): [5, 4, 3, 1],
        ("", "failed"): [5, 4, 2],
        ("mail.send", "failed"): [5, 4],
    }
    olga = {("", ""): [5, 2, 1], ("mail.send", ""): [5, 1], ("", "failed"): [5, 2]}
    olga[("mail.send", "failed")] = [5]
    by_position = [
        made.olga_mail_done,
        made.olga_solve_failed,
        made.ada_mail_queued,
        made.system_mail_failed,
        made.olga_mail_failed,
    ]
    expected = {
        (who, *key): [by_position[i - 1] for i in positions]
        for who, table in ((ADMIN, everyone), (None, everyone), (ORGANISER, olga))
        for key, positions in table.items()
    }
    expected |= {(MEMBER, *key): [] for key in everyone}
    assert listed == expected


def test_a_filter_of_blanks_is_any() -> None:
    assert jobs.read_job_filter(kind="  ", state=None) == jobs.JobFilter()
    assert jobs.read_job_filter(kind=" mail.send ", state=" queued ") == jobs.JobFilter(
        kind="mail.send", state=JobState.QUEUED
    )


def test_an_unknown_kind_and_state_are_both_named() -> None:
    with pytest.raises(InvalidInputError) as caught:
        jobs.read_job_filter(kind="mail.sent", state="done")

    kinds = ", ".join(sorted(jobs.TASKS))
    assert caught.value.summary == "The jobs cannot be listed"
    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("kind", f'"mail.sent" is not a kind of job; use one of {kinds}'),
        (
            "state",
            '"done" is not a job state; use one of queued, running, succeeded, failed, cancelled',
        ),
    ]


def test_the_kinds_are_offered_with_their_titles_in_the_order_of_the_titles() -> None:
    titles = jobs.list_task_titles()

    assert titles["mail.send"] == "Send an e-mail"
    assert set(titles) == set(jobs.TASKS)
    assert list(titles.values()) == sorted(titles.values(), key=str.casefold)
