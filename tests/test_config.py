"""Settings: the sign-in limits are checked as rates, the defaults without loading ``limits``."""

import pytest
from limits import RateLimitItemPerMinute, parse
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
