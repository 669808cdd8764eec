"""Why a question found nobody, in words a person reads."""

import pytest

from clusterbridge.services.matching.questions import ANYONE, Seeking, no_suggestions, seeking
from tests.engines.matching.registry import registry_index

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        (
            ANYONE,
            "No suggestions: nothing in the registry has anything in common with the search.",
        ),
        (
            seeking(kind="university"),
            "No suggestions: the registry has no universities.",
        ),
        (
            seeking(kind="technology_centre"),
            "No suggestions: the registry has no technology centres. CORDIS has no type for "
            "technology centres: an organisation it imports is one only when CORDIS records it "
            "as a research organisation or an other body and its name says so, so ask for "
            "research organisations too.",
        ),
        (
            seeking(kind="tech_savvy", countries=["PL", "Italy"]),
            "No suggestions: the registry has no tech-savvy SMEs in IT, PL.",
        ),
        (
            seeking(kind="sme", region_categories=["less_developed", "transition"]),
            "No suggestions: the registry has no SMEs in less developed or transition regions.",
        ),
        (
            seeking(kind="sme", countries=["FR"]),
            "No suggestions: none of the registry's SMEs in FR (2) has anything in common with "
            "the search.",
        ),
        (
            seeking(kind="research_organisation", new_only=True),
            "No suggestions: the registry's research organisations (1) either worked with a "
            "member or have nothing in common with the search.",
        ),
    ],
)
def test_no_suggestions_says_whether_the_registry_has_any_of_the_kind(
    asked: Seeking, said: str
) -> None:
    assert no_suggestions(registry_index(), asked) == said
