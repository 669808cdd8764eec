"""Three-valued logic over partners: ``True``, ``False`` or ``None`` (not known).

A rule never guesses. Counting rules work with bounds: the partners that certainly match and the
partners that possibly match. A minimum is met when the certain count reaches it, failed when even
the possible count falls short, and unknown in between.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from clusterbridge.domain.consortium import Partner

Tri = bool | None
PartnerTest = Callable[[Partner], Tri]


def all_of(values: Iterable[Tri]) -> Tri:
    """Kleene conjunction: False if any is False, else None if any is None, else True."""
    result: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


@dataclass(frozen=True, slots=True)
class Tally:
    """The partners that certainly and possibly pass a test."""

    certain: tuple[Partner, ...]
    possible: tuple[Partner, ...]  # certain ones included

    @property
    def undecided(self) -> tuple[Partner, ...]:
        """Partners that may or may not pass, for want of data."""
        return tuple(p for p in self.possible if p not in self.certain)


def tally(partners: Iterable[Partner], test: PartnerTest) -> Tally:
    """Split ``partners`` by the three-valued ``test``."""
    certain: list[Partner] = []
    possible: list[Partner] = []
    for partner in partners:
        value = test(partner)
        if value is not False:
            possible.append(partner)
            if value:
                certain.append(partner)
    return Tally(tuple(certain), tuple(possible))


def both(first: PartnerTest, second: PartnerTest) -> PartnerTest:
    """The three-valued conjunction of two partner tests."""

    def test(partner: Partner) -> Tri:
        a = first(partner)
        if a is False:
            return False
        b = second(partner)
        if b is False:
            return False
        return None if a is None or b is None else True

    return test


def names(partners: Iterable[Partner]) -> str:
    """Partners as a readable list: ``A (DE), B (FR)``."""
    return ", ".join(p.label for p in partners)
