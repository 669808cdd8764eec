"""Settings: the sign-in limits are checked as rates, the defaults without loading ``limits``."""

from datetime import UTC, date, datetime

import pytest
from limits import RateLimitItemPerHour, RateLimitItemPerMinute, parse
from pydantic import ValidationError

from clusterbridge.config import Settings

pytestmark = pytest.mark.unit


def test_sign_in_limit_defaults_are_rates() -> None:
    fields = Settings.model_fields

    per_account = parse(str(fields["sign_in_limit_per_account"].default))
    per_address = parse(str(fields["sign_in_limit_per_address"].default))

    assert (per_account, per_address) == (
        RateLimitItemPerMinute(10, 15),
        RateLimitItemPerMinute(50, 15),
    )


def test_password_reset_limit_defaults_are_rates() -> None:
    fields = Settings.model_fields

    per_account = parse(str(fields["password_reset_limit_per_account"].default))
    per_address = parse(str(fields["password_reset_limit_per_address"].default))

    assert (per_account, per_address) == (
        RateLimitItemPerHour(3, 1),
        RateLimitItemPerHour(10, 1),
    )


def test_password_reset_limit_set_is_checked_as_a_rate() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(password_reset_limit_per_account="three an hour")

    assert [(e["loc"], e["msg"]) for e in raised.value.errors()] == [
        (
            ("password_reset_limit_per_account",),
            'Value error, must be a rate such as "10 per 15 minutes"',
        )
    ]


def test_sign_in_limit_set_is_checked_as_a_rate() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(sign_in_limit_per_address="fifty an hour")

    assert [(e["loc"], e["msg"]) for e in raised.value.errors()] == [
        (
            ("sign_in_limit_per_address",),
            'Value error, must be a rate such as "10 per 15 minutes"',
        )
    ]


def test_sign_in_limit_set_to_a_rate_is_kept() -> None:
    settings = Settings(sign_in_limit_per_account="3 per hour")

    assert settings.sign_in_limit_per_account == "3 per hour"


def test_time_zone_defaults_to_brussels() -> None:
    assert Settings.model_fields["time_zone"].default == "Europe/Brussels"


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        (
            "Mars/Olympus",
            '"Mars/Olympus" is not a known time zone; use a name such as Europe/Brussels',
        ),
        ("", '"" is not a time zone name such as Europe/Brussels'),
    ],
)
def test_an_unknown_time_zone_is_refused(zone: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(time_zone=zone)

    assert [(e["loc"], e["msg"]) for e in raised.value.errors()] == [
        (("time_zone",), f"Value error, {message}")
    ]


@pytest.mark.parametrize(
    ("zone", "today"),
    [
        ("Europe/Brussels", date(2026, 7, 1)),
        ("UTC", date(2026, 6, 30)),
        ("America/New_York", date(2026, 6, 30)),
        ("Asia/Tokyo", date(2026, 7, 1)),
    ],
)
def test_today_is_the_date_in_the_sites_time_zone(zone: str, today: date) -> None:
    late_evening_utc = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)

    assert Settings(time_zone=zone).today(late_evening_utc) == today


def test_today_refuses_a_time_without_a_zone() -> None:
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        Settings().today(datetime(2026, 6, 30, 23, 30))  # noqa: DTZ001 -- the naive time refused
