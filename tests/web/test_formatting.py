"""Sizes, moments and labels as the pages write them: one format each, no ISO timestamps, no
"0.0 kB" (money and plain numbers: tests/domain/test_money.py)."""

from datetime import UTC, datetime

import pytest

from clusterbridge.web.templating import file_size, label, when

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (312, "312 bytes"),
        (1023, "1,023 bytes"),
        (1024, "1 kB"),
        (4300, "4.2 kB"),
        (319488, "312 kB"),
        (1572864, "1.5 MB"),
        (25 * 1024 * 1024, "25 MB"),
    ],
)
def test_file_size_shows_bytes_under_a_kilobyte_and_rounds_sensibly(size: int, text: str) -> None:
    assert file_size(size) == text


@pytest.mark.parametrize(
    "moment", ["2026-12-07T06:03:28+00:00", datetime(2026, 12, 7, 6, 3, 28, tzinfo=UTC)]
)
def test_when_writes_a_moment_in_the_local_date_format(moment: str | datetime) -> None:
    assert when(moment, "Europe/Brussels") == "07 December 2026, 07:03"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("tech_savvy", "Tech-savvy"),
        ("traditional", "Traditional"),
        ("cordis", "CORDIS"),
        ("cluster_organisation", "Cluster organisation"),
        ("sme", "SME"),
    ],
)
def test_label_writes_acronyms_in_capitals_and_hyphenates_tech_savvy(value: str, text: str) -> None:
    assert label(value) == text
