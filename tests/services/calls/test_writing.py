"""Call files written back as TOML: tomllib reads exactly what was written."""

import tomllib
from datetime import UTC, date, datetime, time
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterbridge.services.calls.writing import write_call_file

pytestmark = pytest.mark.unit

SHIPPED = sorted(
    item.name
    for item in resources.files("clusterbridge.rules.calls").iterdir()
    if item.name.endswith(".toml")
)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_call_file_round_trips(name: str) -> None:
    document = tomllib.loads(
        resources.files("clusterbridge.rules.calls").joinpath(name).read_text("utf-8")
    )

    assert tomllib.loads(write_call_file(document)) == document


def test_dates_times_odd_keys_and_nested_tables_round_trip() -> None:
    document = {
        "id": "x",
        "deadline": datetime(2025, 3, 3, 17, 0),  # noqa: DTZ001 -- TOML local date-time
        "opened": datetime(2025, 1, 1, 9, 0, tzinfo=UTC),
        "day": date(2025, 1, 2),
        "at": time(17, 30),
        "ratio": 0.25,
        "flag": False,
        "empty": [],
        "documents": {"seed 004": 'The "call" page', "a.b": "dotted"},
        "rules": [{"id": "r", "params": {"among": {"roles": ["coordinator"]}, "min": 3}}],
    }

    text = write_call_file(document)

    assert tomllib.loads(text) == document
    assert '"seed 004" = "The \\"call\\" page"' in text


def test_a_key_ending_in_a_line_break_is_quoted() -> None:
    # Hypothesis found it: ``$`` matches before a final line break, so "0\n" was written bare.
    text = write_call_file({"0\n": {"quote": "x"}})

    assert text == '["0\\n"]\nquote = "x"\n'
    assert tomllib.loads(text) == {"0\n": {"quote": "x"}}


def test_a_value_toml_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError, match="a call file cannot hold None"):
        write_call_file({"budget_eur": None})


@given(st.text())
def test_any_text_round_trips(text: str) -> None:
    document = {"summary": text, text or "k": {"quote": text}}

    assert tomllib.loads(write_call_file(document)) == document
