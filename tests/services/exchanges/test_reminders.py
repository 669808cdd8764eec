"""Payment reminders: due soon or late, each to the visitor's partnership. SQLite and PG."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.models import Exchange, Job
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ExchangeState
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.exchanges import ExchangeNotifier, remind_payments
from clusterbridge.services.exchanges.demo import prepare_demo_exchanges
from clusterbridge.services.jobs.jobs import submit_job
from clusterbridge.services.jobs.runner import run_job
from clusterbridge.services.jobs.tasks import PAYMENT_REMINDERS
from clusterbridge.services.mail import FileMailer, pending_mail
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def exchange(session: Session) -> Exchange:
    return _due_exchange(session)


def _due_exchange(session: Session) -> Exchange:
    """The demo's exchange, validated, its lump sum due on 30 March 2025."""
    manager = make_user(session, email="paula@alpine.example", name="Paula")
    for name, country, latitude, longitude in (
        ("Munich Cluster", "DE", 48.14, 11.58),
        ("Porto Cluster", "PT", 41.15, -8.61),
    ):
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    session.flush()
    prepare_demo_exchanges(
        session,
        manager,
        programme=load_programme(),
        now=datetime(2025, 1, 8, tzinfo=UTC),
        today=datetime(2025, 1, 8, tzinfo=UTC).date(),
    )
    made = session.query(Exchange).one()
    made.state = ExchangeState.VALIDATED
    made.report_submitted_at = made.validated_at = datetime(2025, 3, 20, tzinfo=UTC)
    made.payment_due = date(2025, 3, 30)
    session.flush()
    return made


@pytest.mark.parametrize(
    ("today", "days_before", "when"),
    [
        (date(2025, 3, 28), 2, "due in 2 days"),
        (date(2025, 3, 30), 0, "due today"),
        (date(2025, 4, 2), 2, "3 days late"),
    ],
)
def test_remind_payments_mails_the_visitors_partnership(
    session: Session,
    exchange: Exchange,
    tmp_path: Path,
    today: date,
    days_before: int,
    when: str,
) -> None:
    notifier = ExchangeNotifier(FileMailer(tmp_path, "cxc@example.org"), "https://cb.example")

    due = remind_payments(session, notifier, today=today, days_before=days_before)

    assert due == [exchange]
    [mail] = pending_mail(session)
    assert (mail.to, mail.subject) == (
        ("paula@alpine.example",),
        f"Lump sum {when}: Munich Cluster",
    )
    assert mail.body.split("\n\n")[1] == (
        f"The lump sum of EUR 780 for Munich Cluster was due by 30 March 2025 ({when}). Record the "
        f"payment here: https://cb.example/exchanges/{exchange.id}\n"
    )


def test_remind_payments_leaves_payments_not_yet_due_and_paid_ones(
    session: Session, exchange: Exchange, tmp_path: Path
) -> None:
    notifier = ExchangeNotifier(FileMailer(tmp_path, "cxc@example.org"), "https://cb.example")

    early = remind_payments(session, notifier, today=date(2025, 3, 27), days_before=2)
    exchange.state, exchange.paid_on, exchange.paid_amount_eur = (
        ExchangeState.PAID,
        date(2025, 3, 29),
        exchange.lump_sum_eur,
    )
    session.flush()
    paid = remind_payments(session, notifier, today=date(2025, 4, 2), days_before=2)

    assert (early, paid, pending_mail(session)) == ([], [], [])


#: Half past eleven in the evening of 29 March 2025 in UTC: already 30 March in Brussels.
LATE_EVENING_UTC = datetime(2025, 3, 29, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "when"),
    [
        ("Europe/Brussels", "due today"),
        ("UTC", "due in 1 day"),
        ("America/New_York", "due in 1 day"),
    ],
)
def test_the_daily_job_takes_today_in_the_sites_time_zone(
    clean_database: Database, settings: Settings, time_zone: str, when: str
) -> None:
    site = settings.model_copy(update={"time_zone": time_zone})
    with clean_database.unit_of_work() as session:
        _due_exchange(session)
        job_id = submit_job(session, None, PAYMENT_REMINDERS, {}, dispatch=lambda _job: None).id

    run_job(clean_database, site, job_id, clock=lambda: LATE_EVENING_UTC, dispatch=lambda _j: None)

    with clean_database.unit_of_work() as session:
        sent = session.scalars(sa.select(Job).where(Job.kind == "mail.send")).all()
        subjects = [job.arguments["subject"] for job in sent]
    assert subjects == [f"Lump sum {when}: Munich Cluster"]
