"""A job list to filter: mail jobs among others, of three people and of the system."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.domain.enums import JobState, UserRole
from tests.factories.events import make_person
from tests.factories.jobs import make_job

#: The people of the list: an administrator, an organiser who started jobs, one who did not.
ADMIN, ORGANISER, MEMBER = "ada@example.org", "olga@example.org", "otto@example.org"


@dataclass(frozen=True)
class JobList:
    """The ids of the jobs, by what they are."""

    olga_mail_done: int
    olga_solve_failed: int
    ada_mail_queued: int
    system_mail_failed: int
    olga_mail_failed: int


def make_job_list(session: Session) -> JobList:
    """Ada (administrator), Olga (organiser) and Otto (member); five jobs, oldest first: Olga's
    sent mail, her failed solve, Ada's queued mail, the system's failed mail, Olga's failed
    mail."""
    ada = make_person(session, email=ADMIN, name="Ada", role=UserRole.ADMINISTRATOR)
    olga = make_person(session, email=ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER)
    make_person(session, email=MEMBER, name="Otto")
    made = [
        make_job(session, owner=olga, kind="mail.send", state=JobState.SUCCEEDED, attempts=1),
        make_job(session, owner=olga, kind="schedule.solve", state=JobState.FAILED, attempts=1),
        make_job(session, owner=ada, kind="mail.send"),
        make_job(session, owner=None, kind="mail.send", state=JobState.FAILED, attempts=3),
        make_job(session, owner=olga, kind="mail.send", state=JobState.FAILED, attempts=3),
    ]
    session.flush()
    return JobList(*(job.id for job in made))
