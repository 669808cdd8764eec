"""``clusterbridge jobs list --kind K --state S``: the operator sees every job, narrowed to one
kind and state; an unknown kind or state exits 2 naming the option."""

import pytest

from clusterbridge.db.session import Database
from clusterbridge.services import jobs
from tests.cli.conftest import Invoke
from tests.factories.job_lists import JobList, make_job_list

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def made(cli_database: Database) -> JobList:
    """The job list in the CLI's configured database."""
    with cli_database.unit_of_work() as session:
        made = make_job_list(session)
    return made


def test_the_list_keeps_the_kind_and_state_asked_for(invoke: Invoke, made: JobList) -> None:
    failed_mail = invoke("jobs", "list", "--kind", "mail.send", "--state", "failed")
    queued = invoke("jobs", "list", "--state", "queued")
    solves = invoke("jobs", "list", "--kind", "schedule.solve")

    assert (failed_mail.exit_code, failed_mail.stdout) == (
        0,
        f"{made.olga_mail_failed}\tfailed\tmail.send\t3/3\n"
        f"{made.system_mail_failed}\tfailed\tmail.send\t3/3\n",
    )
    assert queued.stdout == f"{made.ada_mail_queued}\tqueued\tmail.send\t0/3\n"
    assert solves.stdout == f"{made.olga_solve_failed}\tfailed\tschedule.solve\t1/3\n"


@pytest.mark.parametrize(
    ("options", "lines"),
    [
        (
            ("--kind", "mail"),
            [
                '  - --kind: "mail" is not a kind of job; use one of '
                + ", ".join(sorted(jobs.TASKS))
                + "."
            ],
        ),
        (
            ("--state", "done"),
            [
                '  - --state: "done" is not a job state; use one of queued, running, succeeded, failed, cancelled.'
            ],
        ),
    ],
)
def test_an_unknown_kind_or_state_exits_2_naming_the_option(
    invoke: Invoke, made: JobList, options: tuple[str, str], lines: list[str]
) -> None:
    result = invoke("jobs", "list", *options)

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == ["Error: The jobs cannot be listed.", *lines]
