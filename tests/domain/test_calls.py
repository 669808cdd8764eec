"""A call's strands as lists show them."""

import pytest

from clusterbridge.domain.calls import Strand

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("strand", "label"),
    [
        pytest.param(
            Strand("1", "Strand 1: net-zero technologies and critical raw materials"),
            "Strand 1: net-zero technologies and critical raw materials",
            id="title-says-the-number",
        ),
        pytest.param(Strand("tourism", "Tourism"), "Tourism", id="title-is-the-id"),
        pytest.param(
            Strand("cultural-creative", "Creative & Cultural Industries"),
            "Creative & Cultural Industries",
            id="title-has-every-word-of-the-id",
        ),
        pytest.param(Strand("3", "Digital value chains"), "Digital value chains (3)", id="no-id"),
        pytest.param(Strand("health-care", "Health"), "Health (health-care)", id="part-of-the-id"),
    ],
)
def test_a_strand_is_labelled_by_its_title_with_its_id_only_when_the_title_lacks_it(
    strand: Strand, label: str
) -> None:
    assert strand.label == label
