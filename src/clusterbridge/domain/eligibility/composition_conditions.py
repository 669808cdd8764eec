"""Conditions on the consortium as a whole: minimum counts, distinct countries, shares, regions."""

from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field, field_validator

from clusterbridge.domain.calls import Call
from clusterbridge.domain.consortium import Application, Partner
from clusterbridge.domain.eligibility.conditions import Condition, Outcome, register
from clusterbridge.domain.eligibility.filters import PartnerFilter
from clusterbridge.domain.eligibility.logic import Tally, Tri, both, names, tally
from clusterbridge.domain.eligibility.partner_conditions import AmongParams
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.domain.geography import in_cohesion_area, place_partner, resolve_country_scope
from clusterbridge.reference import Period, RegionCategory


class MinPartnersParams(AmongParams):
    """At least ``min`` partners selected by ``among``."""

    min: int = Field(ge=1)


def bounded(tallied: Tally, minimum: int, *, what: str, ok: str) -> Outcome:
    """The outcome of "at least ``minimum``" given the certain and possible matches."""
    certain, possible = len(tallied.certain), len(tallied.possible)
    if certain >= minimum:
        return Outcome(RuleStatus.PASS, f"{ok} ({certain}, at least {minimum}).")
    if possible < minimum:
        found = f": {names(tallied.certain)}" if tallied.certain else ""
        message = f"The consortium has {certain} {what}, at least {minimum} are required{found}."
        return Outcome(RuleStatus.FAIL, message, tuple(p.name for p in tallied.certain))
    undecided = tallied.undecided
    message = (
        f"The consortium has {certain} {what} for certain, at least {minimum} are required; "
        f"missing data on {names(undecided)} decides it."
    )
    return Outcome(RuleStatus.UNKNOWN, message, tuple(p.name for p in undecided))


@register
class MinPartners(Condition[MinPartnersParams]):
    """At least N partners of a kind: applicants, cluster organisations among applicants..."""

    name = "min_partners"
    description = "The consortium has at least a minimum number of partners of a kind."
    params_model = MinPartnersParams

    def check(self, params: MinPartnersParams, application: Application, call: Call) -> Outcome:
        """Count certain and possible matches; undecided partners make the outcome unknown."""
        noun = params.among.describe()
        tallied = tally(application.consortium.partners, params.among.test)
        return bounded(tallied, params.min, what=noun, ok=f"The consortium has enough {noun}")


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
    description = "The partners concerned are established in a minimum number of distinct countries."
    params_model = DistinctCountriesParams

    def check(
        self, params: DistinctCountriesParams, application: Application, call: Call
    ) -> Outcome:
        """Count distinct countries among certain matches, and among possible ones for the bound."""
        scope = resolve_country_scope(params.countries)
        tallied = tally(application.consortium.partners, params.among.test)
        certain = sorted({p.country for p in tallied.certain if p.country in scope.members})
        possible = {p.country for p in tallied.possible if p.country in scope.members}
        noun = params.among.describe()
        where = f"{len(certain)} different countries of: {scope.title}"
        listed = f" ({', '.join(certain)})" if certain else ""
        if len(certain) >= params.min:
            message = f"The {noun} are established in {where}{listed}; at least {params.min}."
            return Outcome(RuleStatus.PASS, message)
        if len(possible) < params.min:
            message = (
                f"The {noun} are established in {where}{listed}; "
                f"at least {params.min} are required."
            )
            return Outcome(RuleStatus.FAIL, message)
        undecided = [p for p in tallied.undecided if p.country not in certain]
        message = (
            f"The {noun} are established in {where}{listed} for certain; at least {params.min} "
            f"are required and missing data on {names(undecided)} decides it."
        )
        return Outcome(RuleStatus.UNKNOWN, message, tuple(p.name for p in undecided))


class ShareParams(AmongParams):
    """At least ``share`` (0-1) of the partners selected by ``among`` also meet ``require``."""

    require: PartnerFilter
    share: Fraction = Field(gt=0, le=1)


def share_bounds(partners: tuple[Partner, ...], among: PartnerFilter, require: PartnerFilter) -> tuple[Fraction, Fraction]:
    """The lowest and highest share that the unknown values still allow (1 for no partner)."""
    sure_in, sure_out, maybe_in, maybe_den = 0, 0, 0, 0
    matches = both(among.test, require.test)
    for partner in partners:
        in_den, in_num = among.test(partner), matches(partner)
        if in_den is False:
            continue
        if in_num is True:
            sure_in += 1
        elif in_num is None:
            maybe_in += 1
        elif in_den is True:
            sure_out += 1
        else:
            maybe_den += 1
    low_den = sure_in + sure_out + maybe_in + maybe_den
    high_den = sure_in + maybe_in + sure_out
    low = Fraction(sure_in, low_den) if low_den else Fraction(1)
    high = Fraction(sure_in + maybe_in, high_den) if high_den else Fraction(1)
    return low, high


@register
class MinShare(Condition[ShareParams]):
    """At least a share of the partners concerned meet a requirement (e.g. half on the ECCP)."""

    name = "min_share"
    description = "At least a given share of the partners concerned meet a requirement."
    params_model = ShareParams

    def check(self, params: ShareParams, application: Application, call: Call) -> Outcome:
        """Compare the share bounds with the minimum share; name the partners that decide it."""
        partners = application.consortium.partners
        low, high = share_bounds(partners, params.among, params.require)
        matching = tally(partners, both(params.among.test, params.require.test))
        concerned = tally(partners, params.among.test)
        noun, wanted = params.among.describe(), params.require.describe()
        text = (
            f"{len(matching.certain)} of {len(concerned.possible)} {noun} are {wanted}; "
            f"at least {_percent(params.share)} are required"
        )
        if low >= params.share:
            return Outcome(RuleStatus.PASS, f"{text}.")
        if high < params.share:
            others = [p for p in concerned.possible if p not in matching.possible]
            message = f"{text}. Not {wanted}: {names(others)}."
            return Outcome(RuleStatus.FAIL, message, tuple(p.name for p in others))
        undecided = [p for p in concerned.possible if p in matching.undecided or p in concerned.undecided]
        message = f"{text}; missing data on {names(undecided)} decides it."
        return Outcome(RuleStatus.UNKNOWN, message, tuple(p.name for p in undecided))


def _percent(share: Fraction) -> str:
    return "half" if share == Fraction(1, 2) else f"{float(share):.0%}"


class RegionParams(MinPartnersParams):
    """At least ``min`` partners in a region of ``categories`` for the cohesion ``period``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int = Field(default=1, ge=1)
    period: Period
    categories: tuple[RegionCategory, ...] = Field(min_length=1)


@register
class MinPartnersInRegion(Condition[RegionParams]):
    """Partners established in regions of given cohesion-policy categories (less developed...)."""

    name = "min_partners_in_region"
    description = "Enough partners are established in regions of the given cohesion-policy categories."
    params_model = RegionParams

    def check(self, params: RegionParams, application: Application, call: Call) -> Outcome:
        """Place each partner by NUTS code (or single-region country) for the period, then count."""
        wanted = frozenset(params.categories)
        notes: dict[str, str] = {}

        def in_region(partner: Partner) -> Tri:
            if not in_cohesion_area(partner.country, params.period):
                notes[partner.name] = f"{partner.label} is outside the EU of {params.period.value}."
                return False
            answer = place_partner(partner.country, partner.nuts, params.period)
            if answer is None:
                notes[partner.name] = f"{partner.label}: no NUTS code given."
                return None
            notes[partner.name] = answer.note
            return None if answer.category is None else answer.category in wanted

        tallied = tally(application.consortium.partners, both(params.among.test, in_region))
        words = " or ".join(c.value.replace("_", " ") for c in params.categories)
        what = f"{params.among.describe()} in a {words} region ({params.period.value})"
        outcome = bounded(tallied, params.min, what=what, ok=f"The consortium has {what}")
        detail = [notes[p.name] for p in (tallied.certain or tallied.undecided) if p.name in notes]
        return Outcome(outcome.status, " ".join([outcome.message, *detail]), outcome.partners)
