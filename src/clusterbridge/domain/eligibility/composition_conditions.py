"""Conditions on the consortium as a whole: minimum counts, distinct countries, shares, regions."""

from fractions import Fraction
from functools import cached_property

from pydantic import ConfigDict, Field, field_validator

from clusterbridge.domain.eligibility.conditions import Condition, Context, Outcome, register
from clusterbridge.domain.eligibility.filters import PartnerFilter
from clusterbridge.domain.eligibility.index import Masks, PartnerIndex, bits
from clusterbridge.domain.eligibility.partner_conditions import AmongParams, names_of, partner_names
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN
from clusterbridge.domain.geography import resolve_country_scope
from clusterbridge.reference import Period, RegionCategory


class MinPartnersParams(AmongParams):
    """At least ``min`` partners selected by ``among``."""

    min: int = Field(ge=1)


def bounded(index: PartnerIndex, masks: Masks, minimum: int, *, what: str, ok: str) -> Outcome:
    """The outcome of "at least ``minimum``" given the certain and possible matches."""
    certain, possible = masks.certain.bit_count(), masks.possible.bit_count()
    if certain >= minimum:
        return Outcome(PASS, f"{ok} ({certain}, at least {minimum}).")
    if possible < minimum:
        found = f": {names_of(index, masks.certain)}" if masks.certain else ""
        message = f"The consortium has {certain} {what}, at least {minimum} are required{found}."
        return Outcome(FAIL, message, partner_names(index, masks.certain))
    message = (
        f"The consortium has {certain} {what} for certain, at least {minimum} are required; "
        f"missing data on {names_of(index, masks.undecided)} decides it."
    )
    return Outcome(UNKNOWN, message, partner_names(index, masks.undecided))


@register
class MinPartners(Condition[MinPartnersParams]):
    """At least N partners of a kind: applicants, cluster organisations among applicants..."""

    name = "min_partners"
    description = "The consortium has at least a minimum number of partners of a kind."
    params_model = MinPartnersParams

    def check(self, params: MinPartnersParams, context: Context) -> Outcome:
        """Count certain and possible matches; undecided partners make the outcome unknown."""
        noun = params.among.description
        masks = params.among.masks(context.index)
        return bounded(
            context.index, masks, params.min, what=noun, ok=f"The consortium has enough {noun}"
        )


class DistinctCountriesParams(MinPartnersParams):
    """At least ``min`` different countries of ``countries`` among the partners selected."""

    countries: tuple[str, ...] = ("eu_member_states",)

    @field_validator("countries")
    @classmethod
    def _resolvable(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        resolve_country_scope(value)
        return value


@register
class MinDistinctCountries(Condition[DistinctCountriesParams]):
    """Partners of a kind come from at least N different countries of a set (e.g. Member States)."""

    name = "min_distinct_countries"
    description = (
        "The partners concerned are established in a minimum number of distinct countries."
    )
    params_model = DistinctCountriesParams

    def check(self, params: DistinctCountriesParams, context: Context) -> Outcome:
        """Count distinct countries among certain matches, and among possible ones for the bound."""
        scope, index = resolve_country_scope(params.countries), context.index
        masks = params.among.masks(index)
        certain: list[str] = []
        possible = 0
        undecided = 0
        for country, partners in index.countries.items():
            if country not in scope.members:
                continue
            if partners & masks.certain:
                certain.append(country)
            elif partners & masks.possible:
                undecided |= partners & masks.possible
            possible += bool(partners & masks.possible)
        noun, minimum = params.among.description, params.min
        listed = f" ({', '.join(sorted(certain))})" if certain else ""
        where = f"The {noun} are established in {len(certain)} different countries of: {scope.title}{listed}"
        if len(certain) >= minimum:
            return Outcome(PASS, f"{where}; at least {minimum}.")
        if possible < minimum:
            return Outcome(FAIL, f"{where}; at least {minimum} are required.")
        message = (
            f"{where} for certain; at least {minimum} are required and missing data on "
            f"{names_of(index, undecided)} decides it."
        )
        return Outcome(UNKNOWN, message, partner_names(index, undecided))


class ShareParams(AmongParams):
    """At least ``share`` (0-1) of the partners selected by ``among`` also meet ``require``."""

    require: PartnerFilter
    share: Fraction = Field(gt=0, le=1)

    @cached_property
    def share_words(self) -> str:
        """``half`` or a percentage."""
        return "half" if self.share == Fraction(1, 2) else f"{float(self.share):.0%}"


def share_counts(among: Masks, matching: Masks) -> tuple[int, int, int, int]:
    """The bounds of the share as fractions: (low numerator, low denominator, high ...).

    Lowest: every undecided partner counted in the denominator and none in the numerator.
    Highest: every possible match counted, and no partner that surely does not match added.
    An empty denominator stands for a share of 1 (nobody is concerned, nobody falls short).
    """
    sure_in = matching.certain.bit_count()
    maybe_in = matching.undecided.bit_count()
    sure_out = (among.certain & ~matching.possible).bit_count()
    maybe_den = (among.undecided & ~matching.possible).bit_count()
    return (
        sure_in,
        sure_in + maybe_in + sure_out + maybe_den,
        sure_in + maybe_in,
        sure_in + maybe_in + sure_out,
    )


def at_least(numerator: int, denominator: int, share: Fraction) -> bool:
    """``numerator / denominator >= share`` in integers (an empty denominator counts as 1)."""
    if not denominator:
        return True
    return numerator * share.denominator >= share.numerator * denominator


@register
class MinShare(Condition[ShareParams]):
    """At least a share of the partners concerned meet a requirement (e.g. half on the ECCP)."""

    name = "min_share"
    description = "At least a given share of the partners concerned meet a requirement."
    params_model = ShareParams

    def check(self, params: ShareParams, context: Context) -> Outcome:
        """Compare the share bounds with the minimum share; name the partners that decide it."""
        index = context.index
        among = params.among.masks(index)
        matching = among.meet(params.require.masks(index))
        low_num, low_den, high_num, high_den = share_counts(among, matching)
        noun, wanted = params.among.description, params.require.qualities or "concerned"
        text = (
            f"{matching.certain.bit_count()} of {among.possible.bit_count()} {noun} are {wanted}; "
            f"at least {params.share_words} are required"
        )
        if at_least(low_num, low_den, params.share):
            return Outcome(PASS, f"{text}.")
        if not at_least(high_num, high_den, params.share):
            others = among.possible & ~matching.possible
            message = f"{text}. Not {wanted}: {names_of(index, others)}."
            return Outcome(FAIL, message, partner_names(index, others))
        undecided = matching.undecided | (among.undecided & ~matching.certain)
        message = f"{text}; missing data on {names_of(index, undecided)} decides it."
        return Outcome(UNKNOWN, message, partner_names(index, undecided))


class RegionParams(MinPartnersParams):
    """At least ``min`` partners in a region of ``categories`` for the cohesion ``period``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int = Field(default=1, ge=1)
    period: Period
    categories: tuple[RegionCategory, ...] = Field(min_length=1)

    @cached_property
    def what(self) -> str:
        """The partners counted, in words."""
        words = " or ".join(c.value.replace("_", " ") for c in self.categories)
        return f"{self.among.description} in a {words} region ({self.period.value})"


@register
class MinPartnersInRegion(Condition[RegionParams]):
    """Partners established in regions of given cohesion-policy categories (less developed...)."""

    name = "min_partners_in_region"
    description = (
        "Enough partners are established in regions of the given cohesion-policy categories."
    )
    params_model = RegionParams

    def check(self, params: RegionParams, context: Context) -> Outcome:
        """Place each partner by NUTS code (or single-region country) for the period, then count."""
        index = context.index
        placement = index.placement(params.period)
        inside = 0
        for category in params.categories:
            inside |= placement.by_category.get(category, 0)
        among = params.among.masks(index)
        masks = Masks(among.certain & inside, among.possible & (inside | placement.unplaced))
        what = params.what
        outcome = bounded(index, masks, params.min, what=what, ok=f"The consortium has {what}")
        shown = masks.certain or masks.undecided
        notes = [placement.note(index.partners[bit], bit) for bit in bits(shown)]
        return Outcome(outcome.status, " ".join([outcome.message, *notes]), outcome.partners)
