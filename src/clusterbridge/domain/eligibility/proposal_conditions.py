"""Conditions on what is applied for: the strand, the duration and the requested grant."""

from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from clusterbridge.domain.eligibility.conditions import (
    Condition,
    Context,
    NoParams,
    Outcome,
    register,
)
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN


@register
class OneStrand(Condition[NoParams]):
    """The proposal addresses exactly one of the call's strands."""

    name = "one_strand"
    description = "The proposal addresses exactly one of the call's strands."
    params_model = NoParams

    def check(self, params: NoParams, context: Context) -> Outcome:
        """Unknown without a strand; fail on a strand the call does not have."""
        application, call = context.application, context.call
        choices = ", ".join(s.id for s in call.strands)
        if application.strand is None:
            message = f"No strand given; a proposal addresses exactly one of: {choices}."
            return Outcome(UNKNOWN, message)
        strand = call.strand(application.strand)
        if strand is None:
            message = (
                f'"{application.strand}" is not a strand of this call; choose one of: {choices}.'
            )
            return Outcome(FAIL, message)
        return Outcome(PASS, f"The proposal addresses one strand: {strand.title}.")


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
        if self.min is not None and self.min == self.max:
            return f"exactly {self.min:,}"
        if self.min is not None and self.max is not None:
            return f"between {self.min:,} and {self.max:,}"
        if self.max is not None:
            return f"at most {self.max:,}"
        return f"at least {self.min:,}"

    def contains(self, value: int) -> bool:
        """Whether ``value`` lies within the range."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


def check_range(
    value: int | None, params: RangeParams, *, what: str, unit: str, option: str
) -> Outcome:
    """Compare a value with a range; unknown when the value is not given."""
    if value is None:
        return Outcome(
            UNKNOWN, f"The {what} is not given ({option}); it must be {params.words} {unit}."
        )
    status = PASS if params.contains(value) else FAIL
    return Outcome(status, f"The {what} is {value:,} {unit}; it must be {params.words} {unit}.")


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
            unit="EUR",
            option="--requested-grant",
        )
