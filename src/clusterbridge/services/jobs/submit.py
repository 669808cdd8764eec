"""The long actions that run as jobs, submitted after the checks that answer at once: who may
do it, and whether the input and the record's state allow it. The work itself is the task's
(`tasks`)."""

import base64

from sqlalchemy.orm import Session

from clusterbridge.db.models import Job, User
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.services.events import repair as event_repair
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.jobs.jobs import Dispatch, submit_job
from clusterbridge.services.jobs.tasks import REGISTRY_IMPORT, SCHEDULE_REPAIR, SCHEDULE_SOLVE
from clusterbridge.services.workbooks import TableFormat

#: The largest organisation file accepted for an import, in bytes.
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def submit_schedule_solve(
    session: Session, actor: User, event_id: int, *, time_limit: float, dispatch: Dispatch
) -> Job:
    """Queue "schedule all" for the event (organiser only). What would refuse it at once is
    checked now (403 not the organiser, 409 a draft or no slots, 422 a time limit outside 1-600
    seconds); the solve and the store run in the job. Flushes."""
    event_schedule.plan_schedule(session, actor, event_id, time_limit=time_limit)
    arguments = {"event_id": event_id, "time_limit": time_limit}
    return submit_job(session, actor, SCHEDULE_SOLVE, arguments, dispatch=dispatch)


def submit_registry_import(
    session: Session,
    actor: User | None,
    content: bytes,
    *,
    file_format: TableFormat,
    source: str,
    dispatch: Dispatch,
) -> Job:
    """Queue the import of an organisation file (administrators; None is the command line).
    An empty or too large file is refused at once (422); every row is checked in the job, which
    writes all or nothing. Flushes."""
    if actor is not None and actor.role is not UserRole.ADMINISTRATOR:
        raise AccessDeniedError("Only administrators import organisation files")
    if not content or len(content) > MAX_IMPORT_BYTES:
        reason = "is empty" if not content else f"is larger than {MAX_IMPORT_BYTES // 2**20} MB"
        raise InvalidInputError("The file cannot be imported", [InputIssue(source, "file", reason)])
    arguments = {
        "content": base64.b64encode(content).decode("ascii"),
        "format": file_format.value,
        "source": source,
    }
    return submit_job(session, actor, REGISTRY_IMPORT, arguments, dispatch=dispatch)


def submit_schedule_repair(
    session: Session, actor: User, event_id: int, *, dispatch: Dispatch
) -> Job:
    """Queue the repair of a published event's schedule (organiser only). What would refuse it
    answers at once (403 not the organiser, 409 not published, no slots or no accepted meeting:
    `repair.check_repair`); the repair and its mail run in the job. Flushes."""
    event_repair.check_repair(session, actor, event_id)
    return submit_job(session, actor, SCHEDULE_REPAIR, {"event_id": event_id}, dispatch=dispatch)
