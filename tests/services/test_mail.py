"""Notification mail: a ``mail.send`` job per message written with the change it announces
(the outbox, ADR 0035), handed to the queue after the commit, and sent by a worker to files by
default or SMTP when configured, retried when the server fails."""

import os
import smtplib
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa

from clusterbridge.config import MailBackend, Settings
from clusterbridge.db.models import Job, User
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState, UserRole
from clusterbridge.services import jobs, mail
from clusterbridge.services.mail import (
    Attachment,
    FileMailer,
    Mail,
    SmtpMailer,
    build_mailer,
    queue_mail,
)
from tests.conftest import NOW
from tests.factories.events import make_person
from tests.mailbox import read_mail

pytestmark = [pytest.mark.integration, pytest.mark.db]

MESSAGE = Mail(("wanda@example.org",), "Your agenda", "Hello Wanda,\n\nIt is out.\n")
CALENDAR = Attachment("agenda.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
MAILER = FileMailer(Path("unused"), "events@example.org")


class Refused(Exception):
    """Raised to roll a unit of work back."""


def _mail_jobs(database: Database) -> list[Job]:
    with database.unit_of_work() as session:
        return list(session.scalars(sa.select(Job).where(Job.kind == "mail.send").order_by(Job.id)))


def _queue(database: Database, mails: list[Mail]) -> list[int]:
    dispatched: list[int] = []
    with database.with_dispatch(dispatched.append).unit_of_work() as session:
        queue_mail(session, MAILER, mails)
    return dispatched


def _run(database: Database, settings: Settings, job_id: int) -> JobState | None:
    return jobs.run_job(database, settings, job_id, clock=lambda: NOW, dispatch=lambda _id: None)


def _queue_and_refuse(database: Database) -> None:
    with database.unit_of_work() as session:
        queue_mail(session, MAILER, [MESSAGE])
        raise Refused


def test_mail_jobs_commit_with_the_change_and_a_rollback_drops_them(
    clean_database: Database,
) -> None:
    dispatched: list[int] = []
    database = clean_database.with_dispatch(dispatched.append)
    with pytest.raises(Refused):
        _queue_and_refuse(database)
    dropped = (_mail_jobs(clean_database), list(dispatched))

    with database.unit_of_work() as session:
        queue_mail(session, MAILER, [MESSAGE, Mail((), "Nobody", "No recipient")])

    [job] = _mail_jobs(clean_database)
    assert dropped == ([], [])
    assert dispatched == [job.id]
    assert (job.state, job.owner_id, job.attempts, job.max_attempts) == (
        JobState.QUEUED,
        None,
        0,
        8,
    )
    assert job.arguments == {
        "sender": "events@example.org",
        "to": ["wanda@example.org"],
        "subject": "Your agenda",
        "body": "Hello Wanda,\n\nIt is out.\n",
        "attachments": [],
    }


def test_a_mail_job_sends_its_message_with_the_attachment_and_forgets_the_body(
    clean_database: Database, settings: Settings
) -> None:
    with_calendar = Mail(MESSAGE.to, MESSAGE.subject, MESSAGE.body, (CALENDAR,))
    [job_id] = _queue(clean_database, [with_calendar])

    state = _run(clean_database, settings, job_id)

    [job] = _mail_jobs(clean_database)
    assert read_mail(settings.resolved_mail_dir()) == [with_calendar]
    assert (state, job.state, job.attempts, job.error) == (JobState.SUCCEEDED,) * 2 + (1, None)
    assert job.result == {"summary": "Sent 'Your agenda' to wanda@example.org."}
    assert job.arguments == {
        "sender": "events@example.org",
        "to": ["wanda@example.org"],
        "subject": "Your agenda",
    }
    assert job.worker == f"{socket.gethostname()}:{os.getpid()}"


def test_the_embedded_queue_sends_a_request_s_mail_before_the_commit_returns(
    clean_database: Database, settings: Settings
) -> None:
    queue = jobs.EmbeddedQueue(clean_database, settings, lambda: NOW)

    with clean_database.with_dispatch(queue.dispatch_short).unit_of_work() as session:
        queue_mail(session, MAILER, [MESSAGE])

    [job] = _mail_jobs(clean_database)
    assert read_mail(settings.resolved_mail_dir()) == [MESSAGE]
    assert job.state is JobState.SUCCEEDED


class DownSmtp:
    """An SMTP server that does not answer."""

    def __init__(self, host: str, port: int, *, timeout: float) -> None:
        raise ConnectionRefusedError(111, "Connection refused")


def _people(database: Database) -> tuple[User, User]:
    with database.unit_of_work() as session:
        admin = make_person(
            session, email="ada@admin.example", name="Ada", role=UserRole.ADMINISTRATOR
        )
        otto = make_person(session, email="otto@example.org", name="Otto")
        return admin, otto


def _run_at(
    database: Database, settings: Settings, job_id: int, at: datetime
) -> tuple[JobState | None, Job]:
    state = jobs.run_job(database, settings, job_id, clock=lambda: at, dispatch=lambda _id: None)
    [job] = _mail_jobs(database)
    return state, job


def test_a_mail_server_down_for_an_hour_is_tried_again_with_back_off_and_loses_no_message(
    clean_database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    smtp = settings.model_copy(update={"mail_backend": MailBackend.SMTP, "smtp_host": "mx.example"})
    [job_id] = _queue(clean_database, [MESSAGE])
    monkeypatch.setattr(smtplib, "SMTP", DownSmtp)
    at, waits, early, notes = NOW, [], [], []

    while at - NOW < timedelta(hours=1):  # the server is down for an hour
        state, job = _run_at(clean_database, smtp, job_id, at)
        assert (state, job.not_before is not None) == (JobState.QUEUED, True), job.error
        assert job.not_before is not None
        second_early = job.not_before - timedelta(seconds=1)
        early.append(_run_at(clean_database, smtp, job_id, second_early)[0])
        waits.append(int((job.not_before - at).total_seconds()))
        notes.append(job.progress_note)
        at = job.not_before
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    state, job = _run_at(clean_database, smtp, job_id, at)

    assert waits == [30, 120, 480, 900, 900, 900, 900]
    assert early == [None] * 7
    assert notes[:2] == [
        "Attempt 1 failed; trying again at 09:00:30 UTC",
        "Attempt 2 failed; trying again at 09:02:30 UTC",
    ]
    assert (state, job.attempts, job.max_attempts, job.not_before) == (
        JobState.SUCCEEDED,
        8,
        8,
        None,
    )


def test_a_mail_server_that_stays_down_fails_the_job_for_administrators(
    clean_database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smtplib, "SMTP", DownSmtp)
    smtp = settings.model_copy(update={"mail_backend": MailBackend.SMTP, "smtp_host": "mx.example"})
    admin, otto = _people(clean_database)
    [job_id] = _queue(clean_database, [MESSAGE])
    at, states = NOW, []

    for _attempt in range(9):
        state, job = _run_at(clean_database, smtp, job_id, at)
        states.append(state)
        at = job.not_before or at

    [job] = _mail_jobs(clean_database)
    with clean_database.unit_of_work() as session:
        listed = [row.id for row in jobs.list_visible_jobs(session, admin)]
        hidden = [row.id for row in jobs.list_visible_jobs(session, otto)]
        with pytest.raises(jobs.JobNotFoundError):
            jobs.get_visible_job(session, otto, job_id)
    assert states == [JobState.QUEUED] * 7 + [JobState.FAILED, None]
    assert (job.state, job.attempts, job.not_before) == (JobState.FAILED, 8, None)
    assert at - NOW == timedelta(seconds=4230)  # the last attempt came 70.5 minutes later
    assert job.error == (
        "Could not send 'Your agenda' to wanda@example.org: [Errno 111] Connection refused"
    )
    assert job.arguments["body"] == MESSAGE.body
    assert (listed, hidden) == ([job_id], [])


def test_a_failed_send_is_handed_over_with_its_time_and_at_once_without_back_off(
    clean_database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smtplib, "SMTP", DownSmtp)
    smtp = settings.model_copy(update={"mail_backend": MailBackend.SMTP, "smtp_host": "mx.example"})
    no_wait = smtp.model_copy(update={"job_retry_delay_seconds": 0})
    [job_id] = _queue(clean_database, [MESSAGE])
    handed: list[tuple[str, int, datetime | None]] = []

    def run(settings: Settings) -> tuple[JobState | None, Job]:
        state = jobs.run_job(
            clean_database,
            settings,
            job_id,
            clock=lambda: NOW,
            dispatch=lambda key: handed.append(("now", key, None)),
            dispatch_at=lambda key, when: handed.append(("at", key, when)),
        )
        [job] = _mail_jobs(clean_database)
        return state, job

    first, waiting = run(smtp)
    early, _job = run(smtp)
    with clean_database.unit_of_work() as session:
        session.get_one(Job, job_id).not_before = None
    second, again = run(no_wait)

    assert (first, early, second) == (JobState.QUEUED, None, JobState.QUEUED)
    assert handed == [("at", job_id, NOW + timedelta(seconds=30)), ("now", job_id, None)]
    assert (waiting.not_before, waiting.progress_note) == (
        NOW + timedelta(seconds=30),
        "Attempt 1 failed; trying again at 09:00:30 UTC",
    )
    assert (again.not_before, again.progress_note) == (None, "Attempt 2 failed; trying again")


class FakeSmtp:
    """An SMTP server's client side that records what it is asked to do."""

    log: ClassVar[list[Any]] = []

    def __init__(self, host: str, port: int, *, timeout: float) -> None:
        self.log.append(("connect", host, port, timeout))

    def __enter__(self) -> "FakeSmtp":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.log.append(("quit",))

    def starttls(self) -> None:
        self.log.append(("starttls",))

    def login(self, user: str, password: str) -> None:
        self.log.append(("login", user, password))

    def send_message(self, message: Any) -> None:
        self.log.append(("send", message["To"], message["Subject"]))


def test_the_smtp_backend_signs_in_over_starttls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    FakeSmtp.log = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSmtp)
    settings = Settings(
        data_dir=tmp_path,
        mail_backend=MailBackend.SMTP,
        smtp_host="smtp.example.org",
        smtp_username="cb",
        smtp_password="secret",
    )

    mailer = build_mailer(settings)
    mailer.send(mail.compose(MESSAGE, sender=mailer.sender))

    assert isinstance(mailer, SmtpMailer)
    assert FakeSmtp.log == [
        ("connect", "smtp.example.org", 587, 10.0),
        ("starttls",),
        ("login", "cb", "secret"),
        ("send", "wanda@example.org", "Your agenda"),
        ("quit",),
    ]


def test_the_file_backend_is_the_default(tmp_path: Path) -> None:
    mailer = build_mailer(Settings(data_dir=tmp_path))

    assert mailer == FileMailer(tmp_path / "mail", "clusterbridge <noreply@clusterbridge.invalid>")


def test_a_message_that_cannot_be_written_fails_its_job_at_once_and_the_others_go(
    clean_database: Database, settings: Settings
) -> None:
    broken = Mail(("nina@example.org",), "A request from Nina\u2028Bcc: x@example.org", "Hello")
    ids = _queue(clean_database, [broken, MESSAGE])

    states = [_run(clean_database, settings, job_id) for job_id in ids]

    first, _second = _mail_jobs(clean_database)
    assert states == [JobState.FAILED, JobState.SUCCEEDED]
    assert (first.attempts, first.error) == (
        1,
        "Could not write 'A request from Nina\\u2028Bcc: x@example.org' to nina@example.org: "
        "Header values may not contain linefeed or carriage return characters",
    )
    assert read_mail(settings.resolved_mail_dir()) == [MESSAGE]
