"""Payment reminders: due soon or late, each to the visitor's partnership. SQLite and PG."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange
from clusterbridge.domain.enums import ExchangeState
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.exchanges import ExchangeNotifier, remind_payments
from clusterbridge.services.exchanges.demo import prepare_demo_exchanges
from clusterbridge.services.mail import FileMailer, pending_mail
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def exchange(session: Session) -> Exchange:
    manager = make_user(session, email="paula@alpine.example", name="Paula")
    for name, country, latitude, longitude in (
        ("Munich Cluster", "DE", 48.14, 11.58),
        ("Porto Cluster", "PT", 41.15, -8.61),
    ):
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    session.flush()
    prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=datetime(2025, 1, 8, tzinfo=UTC)
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
        f"The lump sum of EUR 780 for Munich Cluster was due by 2025-03-30 ({when}). Record the "
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
