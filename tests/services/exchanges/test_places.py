"""Places resolved offline: coordinates, a city with its country, accents and other names."""

import pytest

from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.exchanges import resolve_place

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("text", "label", "country"),
    [
        ("Porto, PT", "Porto, PT", "PT"),
        # The most populous city of the name wins: Frankfurt am Main, not Frankfurt (Oder).
        ("Frankfurt, DE", "Frankfurt am Main, DE", "DE"),
        # Accents and case are ignored; another name of the city is found too.
        ("malaga, Spain", "Málaga, ES", "ES"),
        ("Athens, EL", "Athens, EL", "EL"),
        ("Lisboa, PT", "Lisbon, PT", "PT"),
    ],
)
def test_resolve_place_by_name(text: str, label: str, country: str) -> None:
    place = resolve_place(text, field="--host-place")

    assert place.label == label
    assert place.country == country


def test_resolve_place_coordinates_keep_their_values() -> None:
    place = resolve_place(" 41.15 , -8.61 ", field="--host-place")

    assert (place.point.latitude, place.point.longitude, place.country) == (41.15, -8.61, None)
    assert place.how == "41.15, -8.61 (coordinates as given)"


def test_resolve_place_city_in_another_country_is_not_found() -> None:
    with pytest.raises(InvalidInputError) as caught:
        resolve_place("Porto, ES", field="--host-place")

    assert str(caught.value.issues[0]) == (
        '--host-place: no city called "Porto" in ES among the packaged cities of 5,000 '
        'inhabitants or more; give "latitude,longitude" instead'
    )


def test_resolve_place_coordinates_are_ascii_digits_not_other_scripts() -> None:
    with pytest.raises(InvalidInputError) as caught:
        resolve_place("\u0664\u0661,\u0668", field="--host-place")

    assert str(caught.value.issues[0]) == (
        '--host-place: "\u0668" is not a known country code; use an ISO 3166 or EU code such as '
        "DE, EL or UK"
    )
