"""The evaluation's printable pages: the summary report and the ranked list."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from clusterbridge.reports.evaluation import (
    RankedRow,
    ScoreLine,
    SelectionPage,
    SummaryPage,
    render_selection_html,
    render_summary_html,
)

pytestmark = pytest.mark.unit

PRINTED = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S).split())


def _summary(*, eligible: bool) -> SummaryPage:
    return SummaryPage(
        call_identifier="EVAL-2026", call_title="A call", acronym="ALPHA", title="Alpha <b>",
        strand="1", requested="EUR 2,000,000", eligible=eligible,
        lines=(ScoreLine("relevance", Decimal(30), Decimal(21), "25", "Clear & sound"),
               ScoreLine("impact", Decimal(70), None, "53", "Credible")),
        total=Decimal("78.00") if eligible else None, outcome="Selected",
        reason="taken for the Strand 1 minimum", rank=2, reserve=None, ranked=3, printed_at=PRINTED,
    )  # fmt: skip


def test_summary_shows_scores_comments_and_outcome() -> None:
    html = render_summary_html(_summary(eligible=True))

    assert "Alpha &lt;b&gt;" in html
    text = _text(html)
    assert "relevance 25 / 30 21 impact 53 / 70 none Total 78.00" in text
    assert "relevance Clear &amp; sound impact Credible" in text
    assert "Outcome Selected Reason taken for the Strand 1 minimum Rank 2 of 3" in text


def test_summary_of_an_ineligible_proposal_has_no_scores() -> None:
    text = _text(render_summary_html(_summary(eligible=False)))

    assert "The proposal was not evaluated: it is not eligible." in text
    assert "Total" not in text


def test_ranked_list_shows_rows_ties_and_shortfalls() -> None:
    page = SelectionPage(
        call_identifier="EVAL-2026", call_title="A call", budget="EUR 5,000,000",
        budget_used="EUR 2,000,000",
        rows=(RankedRow(1, "ALPHA", "Alpha", "1", "EUR 2,000,000", Decimal(78), "Selected",
                        "taken for the Strand 1 minimum", 1, None, "EUR 1,500,000"),
              RankedRow(2, "GAMMA", "Gamma", "2", "EUR 9", Decimal(75), "Reserve list",
                        "all 1 places are taken", None, 1),
              RankedRow(None, "BETA", "Beta", None, "EUR 1", None, "Out", "not eligible", None,
                        None)),
        ties_left=(("GAMMA", "DELTA"),), shortfalls=("Strand 2: 0 selected of the minimum of 1",),
        published=False, printed_at=PRINTED,
    )  # fmt: skip

    text = _text(render_selection_html(page))

    assert "Ranked list and selection · not published" in text
    assert ("1 ALPHA 1 EUR 2,000,000 EUR 1,500,000 78 Selected (order 1) taken for the Strand 1 "
            "minimum") in text  # fmt: skip
    assert "2 GAMMA 2 EUR 9 - 75 Reserve list (position 1) all 1 places are taken" in text
    assert "- BETA - EUR 1 - - Out not eligible" in text
    assert "Ties left for the panel GAMMA, DELTA" in text
    assert "Strand minimums not met Strand 2: 0 selected of the minimum of 1" in text
