"""The demo's summary line about its exchange partnership says what its exchanges wait for."""

import pytest

from clusterbridge.cli.demo import _waiting_words
from clusterbridge.services.exchanges.demo import DemoExchanges


@pytest.mark.parametrize(
    ("report", "validation", "payment", "words"),
    [
        (0, 0, 0, ""),
        (
            1,
            1,
            0,
            ": 1 exchange waits for the closing report, 1 for validation and payment",
        ),
        (0, 2, 1, ": 2 exchanges wait for validation and payment, 1 for payment"),
        (0, 0, 1, ": 1 exchange waits for payment"),
    ],
)
def test_waiting_words_name_each_step_the_demo_account_can_take(
    report: int, validation: int, payment: int, words: str
) -> None:
    made = DemoExchanges(
        1,
        8,
        3,
        awaiting_report=report,
        awaiting_validation=validation,
        awaiting_payment=payment,
    )

    assert _waiting_words(made) == words
