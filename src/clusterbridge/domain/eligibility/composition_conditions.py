"""Conditions on the consortium as a whole: minimum counts, distinct countries, shares, regions."""

from fractions import Fraction
from functools import cached_property, partial
from typing import NamedTuple

from pydantic import ConfigDict, Field, field_validator

from clusterbridge.domain.consortium import partner_label
from clusterbridge.domain.eligibility.conditions import (
    ConsortiumCondition,
    Outcome,
    register,
)
from clusterbridge.domain.eligibility.filters import PartnerFilter
from clusterbridge.domain.eligibility.index import (
    Masks,
    PartnerIndex,
    RegionPlacement,
    Roster,
    bits,
    labels_of,
)
from clusterbridge.domain.eligibility.outcome import Text
from clusterbridge.domain.eligibility.partner_conditions import AmongParams
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN, RuleStatus
from clusterbridge.domain.geography import CountryScope, resolve_country_scope
from clusterbridge.reference import Period, RegionCategory


class MinPartnersParams(AmongParams):
    """At least ``min`` partners selected by ``among``."""

    min: int = Field(ge=1)

    @cached_property
    def counted(self) -> tuple[str, str]:
        """The partners counted, in words, and the sentence saying there are enough of them."""
        noun = self.among.description
        return noun, f"The consortium has enough {noun}"


def count_status(masks: Masks, minimum: int) -> RuleStatus:
    """``pass`` when the certain matches reach ``minimum``, ``fail`` when even the possible ones
    fall short, else ``unknown``."""
    if masks.certain.bit_count() >= minimum:
        return PASS
    return FAIL if masks.possible.bit_count() < minimum else UNKNOWN


def bounded(index: PartnerIndex, masks: Masks, minimum: int, words: tuple[str, str]) -> Outcome:
    """The outcome of "at least ``minimum``" given the certain and possible matches.

    ``words`` are the partners counted and the sentence saying there are enough of them.
    """
    status = count_status(masks, minimum)
    if status is PASS:
        return Outcome(PASS, f"{words[1]} ({masks.certain.bit_count()}, at least {minimum}).")
    counts = (masks.certain, masks.possible, minimum)
    message = partial(_count_text, index.roster, counts, words)
    return Outcome(status, message, counted(masks, status))


def counted(masks: Masks, status: RuleStatus) -> int:
    """The partners a count names: the certain matches of a failure, the undecided otherwise."""
    return masks.certain if status is FAIL else masks.undecided


def _count_text(roster: Roster, counts: tuple[int, int, int], words: tuple[str, str]) -> str:
    # Deferred: strings and ints only (see Roster). counts: certain, possible and minimum.
    (certain, possible, minimum), (what, ok) = counts, words
    count = certain.bit_count()
    if count >= minimum:
        return f"{ok} ({count}, at least {minimum})."
    if possible.bit_count() < minimum:
        found = f": {labels_of(roster, certain)}" if certain else ""
        return f"Number of {what}: {count}; at least {minimum} needed{found}."
    return (
        f"Number of {what} for certain: {count}; at least {minimum} needed; "
        f"missing data on {labels_of(roster, possible & ~certain)} decides it."
    )


@register
class MinPartners(ConsortiumCondition[MinPartnersParams]):
    """At least N partners of a kind: applicants, cluster organisations among applicants..."""

    name = "min_partners"
    description = "The consortium has at least a minimum number of partners of a kind."
    params_model = MinPartnersParams

    def judge(self, params: MinPartnersParams, index: PartnerIndex) -> Outcome:
        """Count certain and possible matches; undecided partners make the outcome unknown."""
        return bounded(index, params.among.masks(index), params.min, params.counted)


class DistinctCountriesParams(MinPartnersParams):
    """At least ``min`` different countries of ``countries`` among the partners selected."""

    countries: tuple[str, ...] = ("eu_member_states",)

    @field_validator("countries")
    @classmethod
    def _resolvable(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        resolve_country_scope(value)
        return value

    @cached_property
    def scope(self) -> CountryScope:
        """The resolved countries."""
        return resolve_country_scope(self.countries)

    @cached_property
    def words(self) -> tuple[str, str]:
        """The partners concerned and the countries counted, in words."""
        return self.among.description, self.scope.title


@register
class MinDistinctCountries(ConsortiumCondition[DistinctCountriesParams]):
    """Partners of a kind come from at least N different countries of a set (e.g. Member States)."""

    name = "min_distinct_countries"
    description = (
        "The partners concerned are established in a minimum number of distinct countries."
    )
    params_model = DistinctCountriesParams

    def judge(self, params: DistinctCountriesParams, index: PartnerIndex) -> Outcome:
        """Count distinct countries among certain matches, and among possible ones for the bound."""
        members = params.scope.members
        surely, maybe = params.among.masks(index)
        certain: list[str] = []
        possible: list[str] = []
        undecided = 0
        for country, partners in index.countries.items():
            if partners & maybe and country in members:
                possible.append(country)
                if partners & surely:
                    certain.append(country)
                else:
                    undecided |= partners & maybe
        minimum, found = params.min, tuple(certain)
        if len(certain) >= minimum:
            return Outcome(PASS, partial(_countries_text, params.words, found, minimum))
        if len(possible) < minimum:
            return Outcome(FAIL, _countries_failed_text(params.words, found, minimum, possible))
        message = partial(
            _countries_undecided_text, params.words, found, minimum, index.roster, undecided
        )
        return Outcome(UNKNOWN, message, undecided)


def _countries_text(
    words: tuple[str, str], certain: tuple[str, ...], minimum: int, after: str = "", sure: str = ""
) -> str:
    """The message of a distinct-countries rule, such as *The applicants are established in 2
    different countries of: EU Member States (DE, FR); at least 3 needed* (``sure`` goes after
    *established*, ``after`` after *needed*); no country and one country are said as such."""
    noun, title = words
    if len(certain) >= minimum:
        return f"The {noun} are established in {_countries(certain, title)}; at least {minimum}."
    if certain:
        head = f"The {noun} are established{sure} in {_countries(certain, title)}"
    else:
        head = f"None of the {noun} is established{sure} in a country of: {title}"
    unit = "" if len(certain) > 1 else " country" if minimum == 1 else " different countries"
    return f"{head}; at least {minimum}{unit} needed{after}."


def _countries_failed_text(
    words: tuple[str, str], certain: tuple[str, ...], minimum: int, possible: list[str]
) -> Text:
    """The message of a distinct-countries rule that fails whatever the missing data: with
    partners that might count (their role or type not given), it says how many countries they
    could make at most, not that none of the partners is established in one."""
    if len(possible) == len(certain):
        return partial(_countries_text, words, certain, minimum)
    after = f"; even with the missing data, at most {len(possible)} ({', '.join(sorted(possible))})"
    return partial(_countries_text, words, certain, minimum, after, " for certain")


def _countries(certain: tuple[str, ...], title: str) -> str:
    if len(certain) == 1:
        return f"1 country of: {title} ({certain[0]})"
    return f"{len(certain)} different countries of: {title} ({', '.join(sorted(certain))})"


def _countries_undecided_text(
    words: tuple[str, str], certain: tuple[str, ...], minimum: int, roster: Roster, undecided: int
) -> str:
    after = f", and missing data on {labels_of(roster, undecided)} decides it"
    return _countries_text(words, certain, minimum, after, " for certain")


class ShareParams(AmongParams):
    """At least ``share`` (0-1) of the partners selected by ``among`` also meet ``require``.

    Only the qualities of ``require`` count (type, profile, flags); its roles are ``among``'s.
    """

    require: PartnerFilter
    share: Fraction = Field(gt=0, le=1)

    @cached_property
    def ratio(self) -> tuple[int, int]:
        """``share`` as (numerator, denominator), read once: Fraction's properties are slow."""
        return self.share.numerator, self.share.denominator

    @cached_property
    def share_words(self) -> str:
        """``half`` or a percentage."""
        return "half" if self.share == Fraction(1, 2) else f"{float(self.share):.0%}"

    @cached_property
    def words(self) -> tuple[str, str]:
        """The partners counted and the requirement, in words (computed once)."""
        wanted = self.require.qualities or "concerned"
        noun = self.among.description
        return f"{noun} are {wanted}; at least {self.share_words} are required", wanted


class ShareBounds(NamedTuple):
    """The lowest and highest share the unknown values allow, as numerators and denominators."""

    low: int
    low_of: int
    high: int
    high_of: int
    undecided: int  # the partners whose missing data matters


def share_bounds(among: Masks, require: Masks) -> ShareBounds:
    """Bound the share of partners ``among`` selects that also meet ``require``.

    Partners concerned for sure and meeting the requirement for sure count in both terms; those
    concerned for sure and surely not meeting it count in the denominator only. For the others
    the worst case and the best case differ: a partner meeting the requirement but of unknown
    concern is left out at worst (it cannot lower the share, as it would join both terms) and
    counted at best; one of unknown concern that surely does not meet it is counted at worst and
    left out at best; one whose meeting is unknown is a non-match at worst and a match at best.
    """
    sure_in = (among.certain & require.certain).bit_count()
    sure_out = (among.certain & ~require.possible).bit_count()
    optional_in = among.undecided & require.certain
    optional_out = among.undecided & ~require.possible
    open_question = among.possible & require.undecided
    maybe_out = optional_out.bit_count() + open_question.bit_count()
    maybe_in = optional_in.bit_count() + open_question.bit_count()
    return ShareBounds(
        low=sure_in,
        low_of=sure_in + sure_out + maybe_out,
        high=sure_in + maybe_in,
        high_of=sure_in + maybe_in + sure_out,
        undecided=optional_in | optional_out | open_question,
    )


def at_least(numerator: int, denominator: int, share: tuple[int, int]) -> bool:
    """``numerator / denominator >= share`` in integers (an empty denominator counts as 1).

    ``share`` is a (numerator, denominator) pair, as ``ShareParams.ratio`` gives it.
    """
    if not denominator:
        return True
    return numerator * share[1] >= share[0] * denominator


@register
class MinShare(ConsortiumCondition[ShareParams]):
    """At least a share of the partners concerned meet a requirement (e.g. half on the ECCP)."""

    name = "min_share"
    description = "At least a given share of the partners concerned meet a requirement."
    params_model = ShareParams

    def judge(self, params: ShareParams, index: PartnerIndex) -> Outcome:
        """Compare the share bounds with the minimum share; name the partners that decide it.

        A share of no partners is no share: with no partner concerned the rule is unknown, as
        the rules on each partner are; it passes only when some partner is concerned for sure.
        """
        among = params.among.masks(index)
        if not among.possible:
            noun = params.among.description
            return Outcome(UNKNOWN, f"The consortium has no {noun} to check.")
        require = params.require.quality_masks(index)
        bounds = share_bounds(among, require)
        what, wanted = params.words
        text = f"{(among.certain & require.certain).bit_count()} of {among.possible.bit_count()} {what}"
        if bounds.low_of and at_least(bounds.low, bounds.low_of, params.ratio):
            return Outcome(PASS, f"{text}.")
        if not at_least(bounds.high, bounds.high_of, params.ratio):
            others = among.possible & ~require.possible
            message = partial(_share_short_text, text, wanted, index.roster, others)
            return Outcome(FAIL, message, others)
        message = partial(_share_undecided_text, text, index.roster, bounds.undecided)
        return Outcome(UNKNOWN, message, bounds.undecided)


def _share_short_text(text: str, wanted: str, roster: Roster, others: int) -> str:
    return f"{text}. Not {wanted}: {labels_of(roster, others)}."


def _share_undecided_text(text: str, roster: Roster, undecided: int) -> str:
    return f"{text}; missing data on {labels_of(roster, undecided)} decides it."


#: What a person should know about the trust of a period's categories (see PROVENANCE.md).
CATEGORY_CAVEATS: dict[Period, str] = {
    Period.P2014_2020: (
        "Caveat: clusterbridge's 2014-2020 categories are a reconstruction of Decision "
        "2014/99/EU, not a transcription; check the region against its annexes."
    ),
}


class RegionParams(MinPartnersParams):
    """At least ``min`` partners in a region of ``categories`` for the cohesion ``period``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int = Field(default=1, ge=1)
    period: Period
    categories: tuple[RegionCategory, ...] = Field(min_length=1)

    @cached_property
    def counted(self) -> tuple[str, str]:
        """The partners counted, in words, and the sentence saying there are enough of them."""
        words = " or ".join(c.value.replace("_", " ") for c in self.categories)
        what = f"{self.among.description} in a {words} region ({self.period.value})"
        return what, f"The consortium has {what}"


@register
class MinPartnersInRegion(ConsortiumCondition[RegionParams]):
    """Partners established in regions of given cohesion-policy categories (less developed...)."""

    name = "min_partners_in_region"
    description = (
        "Enough partners are established in regions of the given cohesion-policy categories."
    )
    params_model = RegionParams

    def judge(self, params: RegionParams, index: PartnerIndex) -> Outcome:
        """Place each partner by NUTS code (or single-region country) for the period, then count."""
        placement = index.placement(params.period)
        inside = 0
        for category in params.categories:
            inside |= placement.by_category.get(category, 0)
        among = params.among.masks(index)
        masks = Masks(among.certain & inside, among.possible & (inside | placement.unplaced))
        status = count_status(masks, params.min)
        counts = (masks.certain, masks.possible, params.min)
        caveat = CATEGORY_CAVEATS.get(params.period)
        message = partial(_placed_text, index.roster, counts, params.counted, placement, caveat)
        if status is PASS:
            return Outcome(PASS, message)
        return Outcome(status, message, counted(masks, status))


def _placed_text(
    roster: Roster,
    counts: tuple[int, int, int],
    words: tuple[str, str],
    placement: RegionPlacement,
    caveat: str | None,
) -> str:
    certain, possible, _ = counts
    names, countries = roster
    notes = [
        placement.note(partner_label(names[bit], countries[bit]), bit)
        for bit in bits(certain or possible & ~certain)
    ]
    sentences = [_count_text(roster, counts, words), *notes]
    return " ".join([*sentences, caveat] if caveat else sentences)
