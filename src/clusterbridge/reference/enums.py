"""Enumerations of the reference-data layer."""

from enum import StrEnum


class Period(StrEnum):
    """A cohesion-policy programming period."""

    P2014_2020 = "2014-2020"
    P2021_2027 = "2021-2027"


class RegionCategory(StrEnum):
    """A category of region under cohesion policy (GDP per head relative to the EU average)."""

    LESS_DEVELOPED = "less_developed"
    TRANSITION = "transition"
    MORE_DEVELOPED = "more_developed"
