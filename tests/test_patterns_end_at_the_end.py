"""Patterns that check a whole value (but allow no surrounding blanks) end at its end: ``$`` also matches before a final line
break, so "123456789\\n" passed as a PIC (and a call file wrote the key "0\\n" bare)."""

import re

import pytest

from clusterbridge.cli.events import DAY_PATTERN
from clusterbridge.domain.sme_services import _COUNTED, _NAMED
from clusterbridge.services.accounts.users import EMAIL_PATTERN as ACCOUNT_EMAIL
from clusterbridge.services.registry.fields import EMAIL_PATTERN, PIC_PATTERN, WEBSITE_PATTERN
from clusterbridge.services.selection.rule_forms import RULE_ID
from clusterbridge.web.rule_editor import _MOVE

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("pattern", "value"),
    [
        (PIC_PATTERN, "999999999"),
        (EMAIL_PATTERN, "ana@example.org"),
        (WEBSITE_PATTERN, "https://example.org"),
        (ACCOUNT_EMAIL, "ana@example.org"),
        (RULE_ID, "min-partners"),
        (_MOVE, "up-3"),
        (DAY_PATTERN, "2027-02-03"),
        (_COUNTED, "12: 3"),
        (_NAMED, "Training (12)"),
    ],
)
def test_a_value_with_a_final_line_break_does_not_match(
    pattern: re.Pattern[str], value: str
) -> None:
    assert pattern.match(value) is not None
    assert pattern.match(f"{value}\n") is None
