"""The day of a payment is compared with the validation's day in the site's time zone."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from clusterbridge.db.models import Exchange
from clusterbridge.services.exchanges.payment import _payment_issues

pytestmark = pytest.mark.unit

#: Validated at 00:30 on 12 March in Brussels, still 11 March in UTC.
VALIDATED = datetime(2025, 3, 11, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "paid_on", "refused"),
    [
        ("Europe/Brussels", date(2025, 3, 11), True),
        ("Europe/Brussels", date(2025, 3, 12), False),
        ("UTC", date(2025, 3, 11), False),
    ],
)
def test_a_payment_before_the_validations_local_day_is_refused(
    time_zone: str, paid_on: date, refused: bool
) -> None:
    # It compared with the UTC day: a payment on 11 March passed in Brussels, although the
    # report was validated on 12 March there.
    exchange = Exchange(lump_sum_eur=Decimal(780), validated_at=VALIDATED)

    issues = _payment_issues(
        exchange,
        paid_on=paid_on,
        amount=Decimal(780),
        reference="SEPA 1",
        today=date(2025, 3, 14),
        time_zone=time_zone,
    )

    expected = [("paid_on", "is before the report was validated")] if refused else []
    assert [(i.field, i.reason) for i in issues] == expected


@pytest.mark.parametrize(
    ("paid_on", "refused"), [(date(2025, 3, 14), False), (date(2025, 3, 15), True)]
)
def test_a_payment_after_the_sites_day_is_refused(paid_on: date, refused: bool) -> None:
    # The walk of 2026-12-07: a payment "paid on" a day years ahead was recorded as made.
    exchange = Exchange(lump_sum_eur=Decimal(780), validated_at=VALIDATED)

    issues = _payment_issues(
        exchange,
        paid_on=paid_on,
        amount=Decimal(780),
        reference="SEPA 1",
        today=date(2025, 3, 14),
        time_zone="Europe/Brussels",
    )

    reason = "is in the future (today is 14 March 2025): record a payment once it is made"
    assert [(i.field, i.reason) for i in issues] == ([("paid_on", reason)] if refused else [])
