"""A message the mail server refuses, from the command line: ``clusterbridge worker --once``
tries it, the job waits for its back-off (``jobs show`` says until when), and the next pass
leaves it alone until then."""

import json
import smtplib
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.config import get_settings
from clusterbridge.db.models import Job
from clusterbridge.db.session import Database
from clusterbridge.services.mail import FileMailer, Mail, queue_mail
from tests.cli.conftest import Invoke

pytestmark = [pytest.mark.e2e, pytest.mark.db]

#: The real SMTP client, taken before the tests' guard (``no_smtp``) replaces it.
REAL_SMTP = smtplib.SMTP


def _closed_port() -> int:
    """A port on this host where nothing listens (the connection is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def refusing_smtp(cli_database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The test database as the CLI's, and an SMTP server address that refuses connections
    (the real client tries it: nothing leaves this host)."""
    monkeypatch.setattr(smtplib, "SMTP", REAL_SMTP)
    monkeypatch.setenv("CLUSTERBRIDGE_MAIL_BACKEND", "smtp")
    monkeypatch.setenv("CLUSTERBRIDGE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CLUSTERBRIDGE_SMTP_PORT", str(_closed_port()))
    get_settings.cache_clear()
    yield cli_database
    get_settings.cache_clear()


def test_a_refused_message_waits_for_its_back_off_and_jobs_show_says_until_when(
    invoke: Invoke, refusing_smtp: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with refusing_smtp.unit_of_work() as session:  # no dispatch: left to the worker
        queue_mail(
            session,
            FileMailer(tmp_path, "events@example.org"),
            [Mail(("wanda@example.org",), "Your agenda", "Hello")],
        )
        session.flush()
        job_id = session.scalars(sa.select(Job.id)).one()

    first = invoke("worker", "--once")
    shown = invoke("jobs", "show", str(job_id))
    as_json = json.loads(invoke("jobs", "show", str(job_id), "--json").stdout)
    second = invoke("worker", "--once")

    assert (first.stdout, second.stdout) == ("Jobs run: 1.\n", "Jobs run: 0.\n")
    not_before = datetime.fromisoformat(as_json["not_before"])
    note = f"Attempt 1 failed; trying again at {not_before:%H:%M:%S} UTC"
    assert shown.exit_code == 3
    assert shown.stdout.splitlines()[-1] == f"0 % {note}"
    assert (as_json["state"], as_json["attempts"], as_json["max_attempts"]) == ("queued", 1, 8)
    assert as_json["progress_note"] == note
    with refusing_smtp.unit_of_work() as session:
        job = session.get_one(Job, job_id)
        assert job.started_at is not None
        # The wait counts from the end of the failed attempt, a moment after its start.
        assert timedelta(seconds=30) <= not_before - job.started_at < timedelta(seconds=35)
        assert job.error is None
    assert "Could not send 'Your agenda' to wanda@example.org: [Errno 111]" in caplog.text
