"""``CLUSTERBRIDGE_TIME_ZONE``: an unknown zone stops every command at start-up with the variable
and the reason, status 2, before anything is written."""

import pytest

from clusterbridge.config import get_settings
from tests.cli.conftest import Invoke

pytestmark = [pytest.mark.e2e]


def test_an_unknown_time_zone_is_refused_at_start_up(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTERBRIDGE_TIME_ZONE", "Europe/Brusels")
    get_settings.cache_clear()

    try:
        result = invoke("db", "upgrade")
    finally:
        get_settings.cache_clear()

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        'Error: setting CLUSTERBRIDGE_TIME_ZONE: "Europe/Brusels" is not a known time zone; use a name such as Europe/Brussels.\n',
    )
