"""Bar charts as SVG: scaled bars, escaped labels, no style attributes."""

import pytest

from clusterbridge.reports.charts import Bar, render_bar_chart

pytestmark = pytest.mark.unit


def test_render_bar_chart_scales_to_the_largest_value_and_escapes_labels() -> None:
    svg = render_bar_chart([Bar("<Accepted>", 4), Bar("Declined", 1)], title="Requests & more")

    assert svg == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 460 52" '
        'width="460" height="52" aria-label="Requests &amp; more"><title>Requests &amp; more</title>'
        '<g data-label="&lt;Accepted&gt;" data-value="4">'
        '<text x="142" y="18" text-anchor="end" font-size="13">&lt;Accepted&gt;</text>'
        '<rect x="150" y="4" width="260" height="18" fill="#0b4fa3"/>'
        '<text x="416" y="18" font-size="13">4</text></g>'
        '<g data-label="Declined" data-value="1">'
        '<text x="142" y="44" text-anchor="end" font-size="13">Declined</text>'
        '<rect x="150" y="30" width="65" height="18" fill="#0b4fa3"/>'
        '<text x="221" y="44" font-size="13">1</text></g></svg>'
    )
    assert "style" not in svg


def test_render_bar_chart_of_zeros_draws_empty_bars() -> None:
    svg = render_bar_chart([Bar("None", 0)], title="Empty")

    assert 'width="0"' in svg


def test_render_bar_chart_widens_the_labels_column_for_a_long_label() -> None:
    # The walk of 2026-12-07: the event report's "Held, nothing further" was cut at the left.
    svg = render_bar_chart([Bar("Held, nothing further", 2)], title="Outcomes")

    assert svg == (
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 486 26" '
        'width="486" height="26" aria-label="Outcomes"><title>Outcomes</title>'
        '<g data-label="Held, nothing further" data-value="2">'
        '<text x="168" y="18" text-anchor="end" font-size="13">Held, nothing further</text>'
        '<rect x="176" y="4" width="260" height="18" fill="#0b4fa3"/>'
        '<text x="442" y="18" font-size="13">2</text></g></svg>'
    )
