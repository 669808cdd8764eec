"""The task registry: every kind of background job, the function that runs it, and whether it
may run again after a worker died mid-way (ADR 0027).

A task loads what it needs, delegates to the services, and ends with
``context.succeed(session, result)`` inside its one write transaction, so that its writes and
the job's end commit together. Its mail are ``mail.send`` jobs written in that transaction
(`services.mail.queue_mail`, ADR 0035): an attempt that died queued no mail. The result may
carry a ``link`` (a page of the web application that shows what the job did).
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from clusterbridge.db.models import User
from clusterbridge.db.repositories import jobs as job_repository
from clusterbridge.domain.errors import DomainError
from clusterbridge.services.accounts import users
from clusterbridge.services.events import agenda as event_agenda
from clusterbridge.services.events import repair as event_repair
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.exchanges import ExchangeNotifier, remind_payments
from clusterbridge.services.jobs.builder_job import BUILDER_BUILD, run_builder_build
from clusterbridge.services.jobs.context import TaskContext, TaskRetryError
from clusterbridge.services.jobs.document_job import REPORTS_RENDER, run_render_document
from clusterbridge.services.jobs.index_job import (
    INDEX_BUILD,
    INDEX_BUILD_ATTEMPTS,
    queue_index_build,
    run_index_build,
    workers_share_the_cache,
)
from clusterbridge.services.jobs.retention import PRUNE_JOBS, prune
from clusterbridge.services.mail import (
    MAIL_ATTEMPTS,
    MAIL_SEND,
    build_mailer,
    compose,
    read_mail_arguments,
    sent_arguments,
)
from clusterbridge.services.monitoring import FollowUpMail, remind_label_expiry, send_follow_ups
from clusterbridge.services.registry import import_organisations
from clusterbridge.services.workbooks import TableFormat

#: Attempts of a task that is safe to run again: its writes are one transaction and its mail
#: goes out after the commit.
RETRIED_ATTEMPTS = 3
#: The kinds of the periodic jobs (`schedules.PERIODIC`).
FOLLOW_UPS = "followups.send"
LABEL_REMINDERS = "labels.remind"
PAYMENT_REMINDERS = "exchanges.remind_payments"
SCHEDULE_SOLVE = "schedule.solve"
REGISTRY_IMPORT = "registry.import"


class UnknownTaskError(DomainError):
    """No task of this kind in the registry."""

    status = 422


class JobOwnerError(DomainError):
    """The account that started the job no longer exists or was deactivated."""

    status = 403


@dataclass(frozen=True, slots=True)
class Task:
    """One kind of job: its title for people, the function that runs it, and how many times a
    worker may start it (1 when running it again is not safe)."""

    title: str
    run: Callable[[TaskContext], None]
    max_attempts: int = RETRIED_ATTEMPTS


def get_task(kind: str) -> Task:
    """The registered task of ``kind``; UnknownTaskError otherwise."""
    task = TASKS.get(kind)
    if task is None:
        raise UnknownTaskError(f"No background task {kind!r}")
    return task


def _owner(context: TaskContext, session_user: Callable[[int], User | None]) -> User:
    user = None if context.owner_id is None else session_user(context.owner_id)
    if user is None:
        raise JobOwnerError("The account that started this job is no longer active")
    return user


def run_schedule_solve(context: TaskContext) -> None:
    """Schedule every accepted meeting of ``arguments["event_id"]`` within
    ``arguments["time_limit"]`` seconds, as its organiser (the job's owner): the reads, the
    solve without a transaction, then the store (409 if the event changed meanwhile)."""
    event_id, time_limit = context.arguments["event_id"], context.arguments["time_limit"]
    with context.database.unit_of_work() as session:
        actor = _owner(context, lambda key: users.get_active_user(session, key))
        plan = event_schedule.plan_schedule(session, actor, event_id, time_limit=time_limit)
    context.report(0.1, f"Solving {len(plan.meeting_ids)} meetings (up to {time_limit:g} s)")
    result = event_schedule.solve_plan(plan)
    context.report(0.9, "Storing the schedule")
    notifier = Notifier(build_mailer(context.settings), context.settings.public_url)
    with context.write() as session:
        actor = _owner(context, lambda key: users.get_active_user(session, key))
        summary = event_schedule.store_schedule(session, actor, plan, result, notifier=notifier)
        outcome = {
            "summary": summary.describe(),
            "status": summary.status.value,
            "placed": summary.placed,
            "meetings": summary.meetings,
            "unplaced": [m.id for m in summary.unplaced],
            "breaks": summary.breaks,
            "moved": summary.moved,
            "seconds": round(summary.seconds, 3),
            "reason": summary.reason,
            "link": f"/events/{event_id}/manage",
        }
        context.succeed(session, outcome)


def run_registry_import(context: TaskContext) -> None:
    """Create or update the organisations of the file in ``arguments`` (base64 ``content``,
        ``format`` and ``source``), all or nothing. The job's owner (an administrator, checked when
    it was submitted) must still be active."""
    content = base64.b64decode(context.arguments["content"])
    file_format = TableFormat(context.arguments["format"])
    context.report(0.1, f"Reading {context.arguments['source']}")
    with context.write() as session:
        if context.owner_id is not None:  # None: started on the command line
            _owner(context, lambda key: users.get_active_user(session, key))
        summary = import_organisations(
            session, content, file_format=file_format, source=context.arguments["source"]
        )
        outcome = {
            "summary": f"{summary.created} added, {summary.updated} updated, "
            f"{summary.unchanged} unchanged",
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "link": "/organisations",
        }
        if workers_share_the_cache(context.settings):
            # The workers rebuild the shared index (ADR 0034); otherwise each web process
            # asks for a build on its host at its next question, as the registry changed.
            queue_index_build(session, dispatch=context.dispatch)
        context.succeed(session, outcome)


def run_follow_ups(context: TaskContext) -> None:
    """Mail the outcome follow-ups that are due (the periodic job of `followups send`)."""
    settings = context.settings
    mail = FollowUpMail(
        mailer=build_mailer(settings),
        public_url=settings.public_url,
        weeks=tuple(settings.followup_weeks),
        link_lifetime=timedelta(days=settings.followup_link_days),
    )
    with context.write() as session:
        moment = context.clock()
        sent = send_follow_ups(session, mail, now=moment, today=context.settings.today(moment))
        context.succeed(session, {"summary": f"Follow-ups sent: {len(sent)}.", "sent": len(sent)})


def run_label_reminders(context: TaskContext) -> None:
    """Mail the members of each cluster whose excellence label expires soon (the periodic job
    of `assessments remind-labels`); each label is reminded once."""
    settings = context.settings
    moment = context.clock()
    with context.write() as session:
        labels = remind_label_expiry(
            session, build_mailer(settings), now=moment, today=settings.today(moment),
            public_url=settings.public_url,
        )  # fmt: skip
        summary = f"Reminders sent for {len(labels)} label(s)."
        context.succeed(session, {"summary": summary, "reminded": len(labels)})


def run_payment_reminders(context: TaskContext) -> None:
    """Mail each exchange partnership the lump sums it has to pay within two days or already
    late (the periodic job of `exchanges remind`). Each run mails again: run daily."""
    settings = context.settings
    notifier = ExchangeNotifier(build_mailer(settings), settings.public_url)
    with context.write() as session:
        due = remind_payments(session, notifier, today=context.today())
        summary = f"Reminders sent for {len(due)} payment(s)."
        context.succeed(session, {"summary": summary, "reminded": len(due)})


#: Every task, by kind.
TASKS: dict[str, Task] = {
    SCHEDULE_SOLVE: Task("Schedule the meetings of an event", run_schedule_solve),
    REGISTRY_IMPORT: Task("Import organisations", run_registry_import),
    FOLLOW_UPS: Task("Send the outcome follow-ups", run_follow_ups),
    LABEL_REMINDERS: Task("Remind clusters of expiring labels", run_label_reminders),
    PAYMENT_REMINDERS: Task("Remind partnerships of exchange payments", run_payment_reminders),
}


# --- The builder, the document exports and the index build (issue 20, ADR 0034) ---
#: Each reads and then writes nothing but its success (the builder), or a file written
#: atomically and removed unless the success commits (documents), or a new index version
#: written atomically under the store's lock (index): safe to run again.
TASKS.update(
    {
        BUILDER_BUILD: Task("Build consortium proposals", run_builder_build),
        REPORTS_RENDER: Task("Render a document", run_render_document),
        INDEX_BUILD: Task(
            "Build the partner-matching index", run_index_build, INDEX_BUILD_ATTEMPTS
        ),
    }
)


# --- E-mail and event reminders (ADR 0035) ---------------------------------------------------

#: The kind of the hourly job that reminds participants of their coming meetings.
EVENT_REMINDERS = "events.remind"


def run_mail_send(context: TaskContext) -> None:
    """Send the message in ``arguments`` (`mail.mail_arguments`, queued by `mail.queue_mail`)
    through the mailer of the worker's settings, then mark the job succeeded keeping only the
    sender, recipients and subject. A server or connection failure is retried while attempts
    remain; after the last the job fails with the reason, for the administrators to see."""
    message, sender = read_mail_arguments(context.arguments)
    recipients = ", ".join(message.to)
    try:
        build_mailer(context.settings).send(compose(message, sender=sender))
    except OSError as error:  # smtplib's errors included
        reason = f"Could not send {message.subject!r} to {recipients}: {error}"
        raise TaskRetryError(reason) from error
    with context.write() as session:
        context.succeed(session, {"summary": f"Sent {message.subject!r} to {recipients}."})
        job = job_repository.get_job(session, context.job_id)
        if job is not None:
            job.arguments = sent_arguments(context.arguments)


def run_event_reminders(context: TaskContext) -> None:
    """Remind the participants of every published event whose next meeting is within a day
    and who were not reminded for it (`agenda.remind_all_events`; hourly from the scheduler)."""
    settings = context.settings
    notifier = Notifier(build_mailer(settings), settings.public_url)
    with context.write() as session:
        reminded = event_agenda.remind_all_events(session, now=context.clock(), notifier=notifier)
        total = sum(reminded.values())
        summary = f"Reminders sent to {total} participant(s) of {len(reminded)} event(s)."
        outcome = {"summary": summary, "reminded": total, "events": len(reminded)}
        context.succeed(session, outcome)


# --- Schedule repairs -------------------------------------------------------------------------

#: The kind of the job that repairs a published schedule on the organiser's request.
SCHEDULE_REPAIR = "schedule.repair"


def run_schedule_repair(context: TaskContext) -> None:
    """Repair the published schedule of ``arguments["event_id"]`` as its organiser (the job's
    owner) from the next slot that has not started, in one write transaction with its mail
    (`repair.repair_published_schedule`); the checks were made when it was submitted and are
    made again here."""
    event_id = context.arguments["event_id"]
    notifier = Notifier(build_mailer(context.settings), context.settings.public_url)
    context.report(0.1, "Repairing the schedule")
    with context.write() as session:
        actor = _owner(context, lambda key: users.get_active_user(session, key))
        moved = event_repair.repair_published_schedule(
            session, actor, event_id, now=context.clock(), notifier=notifier
        )
        outcome = {
            "summary": f"Meetings moved or given a slot: {len(moved)}.",
            "moved": sorted(meeting.id for meeting in moved),
            "link": f"/events/{event_id}/manage",
        }
        context.succeed(session, outcome)


TASKS.update(
    {
        MAIL_SEND: Task("Send an e-mail", run_mail_send, max_attempts=MAIL_ATTEMPTS),
        EVENT_REMINDERS: Task("Remind participants of their meetings", run_event_reminders),
        SCHEDULE_REPAIR: Task("Repair the schedule of an event", run_schedule_repair),
    }
)


# --- Retention (ADR 0036) ---------------------------------------------------------------------


def run_prune(context: TaskContext) -> None:
    """Remove the jobs and documents kept past their retention (`retention.prune`; daily from
    the scheduler): the batches commit one by one, then the job's success."""
    report = prune(context.database, context.settings, now=context.clock())
    with context.write() as session:
        outcome = {
            "summary": report.describe(),
            "jobs": report.job_count,
            "documents": len(report.documents),
        }
        context.succeed(session, outcome)


TASKS[PRUNE_JOBS] = Task("Remove old jobs and documents", run_prune)
