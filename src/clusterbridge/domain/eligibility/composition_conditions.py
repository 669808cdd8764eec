"""Conditions on the consortium as a whole: minimum counts, distinct countries, shares, regions."""

from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

from pydantic import ConfigDict, Field, field_validator

from clusterbridge.domain.eligibility.conditions import Condition, Context, Outcome, register
from clusterbridge.domain.eligibility.filters import PartnerFilter
from clusterbridge.domain.eligibility.index import Masks, PartnerIndex, bits
from clusterbridge.domain.eligibility.partner_conditions import AmongParams
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
        found = f": {index.labels_of(masks.certain)}" if masks.certain else ""
        message = f"The consortium has {certain} {what}, at least {minimum} are required{found}."
        return Outcome(FAIL, message, index.names(masks.certain))
    message = (
        f"The consortium has {certain} {what} for certain, at least {minimum} are required; "
        f"missing data on {index.labels_of(masks.undecided)} decides it."
    )
    return Outcome(UNKNOWN, message, index.names(masks.undecided))


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
            f"{index.labels_of(undecided)} decides it."
        )
        return Outcome(UNKNOWN, message, index.names(undecided))


class ShareParams(AmongParams):
    """At least ``share`` (0-1) of the partners selected by ``among`` also meet ``require``.

    Only the qualities of ``require`` count (type, profile, flags); its roles are ``among``'s.
    """

    require: PartnerFilter
    share: Fraction = Field(gt=0, le=1)

    @cached_property
    def share_words(self) -> str:
        """``half`` or a percentage."""
        return "half" if self.share == Fraction(1, 2) else f"{float(self.share):.0%}"


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
        require = params.require.quality_masks(index)
        bounds = share_bounds(among, require)
        noun, wanted = params.among.description, params.require.qualities or "concerned"
        text = (
            f"{(among.certain & require.certain).bit_count()} of {among.possible.bit_count()} "
            f"{noun} are {wanted}; at least {params.share_words} are required"
        )
        if at_least(bounds.low, bounds.low_of, params.share):
            return Outcome(PASS, f"{text}.")
        if not at_least(bounds.high, bounds.high_of, params.share):
            others = among.possible & ~require.possible
            message = f"{text}. Not {wanted}: {index.labels_of(others)}."
            return Outcome(FAIL, message, index.names(others))
        message = f"{text}; missing data on {index.labels_of(bounds.undecided)} decides it."
        return Outcome(UNKNOWN, message, index.names(bounds.undecided))


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
        caveat = CATEGORY_CAVEATS.get(params.period)
        sentences = [outcome.message, *notes, *([caveat] if caveat else [])]
        return Outcome(outcome.status, " ".join(sentences), outcome.partners)
