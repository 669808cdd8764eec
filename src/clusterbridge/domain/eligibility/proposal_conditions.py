"""Conditions on what is applied for: the strand, the duration and the requested grant."""

from collections.abc import Callable
from functools import cached_property, partial

from pydantic import BaseModel, ConfigDict, Field, model_validator

from clusterbridge.domain.calls import Call
from clusterbridge.domain.eligibility.conditions import (
    Condition,
    Context,
    NoParams,
    Outcome,
    register,
)
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN
from clusterbridge.domain.money import CURRENCY, format_euros


@register
class OneStrand(Condition[NoParams]):
    """The proposal addresses exactly one of the call's strands."""

    name = "one_strand"
    description = "The proposal addresses exactly one of the call's strands."
    params_model = NoParams

    def check(self, params: NoParams, context: Context) -> Outcome:
        """Unknown without a strand; fail on a strand the call does not have."""
        application, call = context.application, context.call
        if application.strand is None:
            return Outcome(UNKNOWN, partial(_no_strand_text, call))
        strand = call.strand(application.strand)
        if strand is None:
            return Outcome(FAIL, partial(_not_a_strand_text, call, application.strand))
        return Outcome(PASS, f"The proposal addresses one strand: {strand.title}.")

    def unmet(self, params: NoParams, call: Call) -> str | None:
        """A call without strands: no proposal can address one."""
        if call.strands:
            return None
        return "the call has no strands, so no proposal can address exactly one of them"


def _choices(call: Call) -> str:
    return ", ".join(s.id for s in call.strands)


def _no_strand_text(call: Call) -> str:
    return f"No strand given; a proposal addresses exactly one of: {_choices(call)}."


def _not_a_strand_text(call: Call, strand: str) -> str:
    return f'"{strand}" is not a strand of this call; choose one of: {_choices(call)}.'


class RangeParams(BaseModel):
    """A closed range; either end may be open."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "RangeParams":
        if self.min is None and self.max is None:
            msg = "give 'min', 'max' or both"
            raise ValueError(msg)
        if self.min is not None and self.max is not None and self.min > self.max:
            msg = f"'min' ({self.min}) is greater than 'max' ({self.max})"
            raise ValueError(msg)
        return self

    @cached_property
    def words(self) -> str:
        """The range in words, without unit: ``between 20 and 24``, ``at most 36``."""
        return self.written(_grouped)

    def written(self, write: Callable[[int], str]) -> str:
        """The range in words, each limit as ``write`` writes it: ``between EUR 2,000,000 and
        EUR 3,000,000`` with ``format_euros``."""
        if self.min is not None and self.min == self.max:
            return f"exactly {write(self.min)}"
        if self.min is not None and self.max is not None:
            return f"between {write(self.min)} and {write(self.max)}"
        if self.max is not None:
            return f"at most {write(self.max)}"
        assert self.min is not None  # the validator wants one limit at least
        return f"at least {write(self.min)}"

    def contains(self, value: int) -> bool:
        """Whether ``value`` lies within the range."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    @cached_property
    def outcomes(self) -> dict[tuple[str, int | None], Outcome]:
        """The outcomes of ``check_range`` so far, by quantity and value (see there)."""
        return {}


#: How many outcomes ``check_range`` keeps per range: a few durations and amounts recur.
KEPT_OUTCOMES = 64


def check_range(
    value: int | None, params: RangeParams, *, what: str, unit: str, option: str
) -> Outcome:
    """Compare a value with a range; unknown when the value is not given.

    The outcome depends only on the range and the value, and every consortium checked for the
    same proposal asks the same question, so the range keeps its first outcomes.
    """
    kept = params.outcomes
    found = kept.get((what, value))
    if found is None:
        found = _range_outcome(value, params, what=what, unit=unit, option=option)
        if len(kept) < KEPT_OUTCOMES:
            kept[what, value] = found
    return found


def _range_outcome(
    value: int | None, params: RangeParams, *, what: str, unit: str, option: str
) -> Outcome:
    # Money is written as everywhere ("EUR 2,000,000"); other quantities end with their unit.
    money = unit == CURRENCY
    limits = params.written(format_euros) if money else f"{params.words} {unit}"
    if value is None:
        return Outcome(UNKNOWN, f"The {what} is not given ({option}); it must be {limits}.")
    status = PASS if params.contains(value) else FAIL
    found = format_euros(value) if money else f"{value:,} {unit}"
    return Outcome(status, f"The {what} is {found}; it must be {limits}.")


def _grouped(number: int) -> str:
    return f"{number:,}"


@register
class Duration(Condition[RangeParams]):
    """The project duration in months lies within a range."""

    name = "duration"
    description = "The project's duration in months lies within the call's limits."
    params_model = RangeParams

    def check(self, params: RangeParams, context: Context) -> Outcome:
        """Compare ``duration_months`` with the range."""
        return check_range(
            context.application.duration_months,
            params,
            what="project duration",
            unit="months",
            option="--duration-months",
        )


@register
class GrantRange(Condition[RangeParams]):
    """The requested EU grant in euros lies within a range."""

    name = "grant_range"
    description = "The requested grant lies within the call's range."
    params_model = RangeParams

    def check(self, params: RangeParams, context: Context) -> Outcome:
        """Compare ``requested_grant_eur`` with the range."""
        return check_range(
            context.application.requested_grant_eur,
            params,
            what="requested grant",
            unit=CURRENCY,
            option="--requested-grant",
        )
