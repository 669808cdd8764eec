"""The registry of conditions a call file can name, and the base they share.

A condition is a small class with a ``name``, a ``description``, a pydantic ``Params`` schema and
``check(params, context) -> Outcome``. Call files name conditions; the catalogue
validates each rule's parameters against the schema when it loads the call.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from clusterbridge.domain.calls import Call
from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.eligibility.outcome import Outcome

__all__ = [
    "CONDITIONS",
    "Condition",
    "ConsortiumCondition",
    "Context",
    "KeyedParams",
    "NoParams",
    "Outcome",
    "get_condition",
    "register",
]


@dataclass(slots=True)
class Context:
    """What a condition sees: the application, the call, and the consortium's index.

    Not frozen: a frozen dataclass is slower to build, and one is built per check.
    """

    application: Application
    call: Call
    index: PartnerIndex


class NoParams(BaseModel):
    """For conditions that take no parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=BaseModel)


class Condition(ABC, Generic[P]):
    """A named, parametrised test of an application against a call."""

    name: ClassVar[str]
    description: ClassVar[str]
    params_model: ClassVar[type[BaseModel]]

    @abstractmethod
    def check(self, params: P, context: Context) -> Outcome:
        """Evaluate the condition; never raises for missing data, answers ``unknown`` instead."""

    def unmet(self, params: P, call: Call) -> str | None:
        """Why no application can ever pass this condition on ``call`` (e.g. a strand to
        choose in a call without strands), or None; publishing a call refuses such a rule.
        Most conditions depend on the applicant only: None."""
        return None

    def parse_params(self, raw: dict[str, Any]) -> P:
        """Validate raw parameters from a call file (raises pydantic.ValidationError)."""
        return self.params_model.model_validate(raw)  # type: ignore[return-value]


class KeyedParams(BaseModel):
    """Parameters with a text ``memo_key``: parameters of one type with equal values have equal
    keys, and parameters of different types different keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @cached_property
    def memo_key(self) -> str:
        """The parameters' type and values as text (computed once)."""
        kind = type(self)
        return f"{kind.__module__}.{kind.__qualname__}{self.model_dump_json()}"


K = TypeVar("K", bound=KeyedParams)


class ConsortiumCondition(Condition[K]):
    """A condition on the partners alone, whatever the call and what is applied for.

    Its outcome depends only on its parameters and the consortium, so ``check`` memoises it in
    the consortium's index: a rule that several calls, or every strand of a call, share is
    judged once per consortium. The memo key is ``params.memo_key``, so each such condition has
    a ``params_model`` of its own (``register`` checks). Subclasses implement ``judge``.
    """

    def check(self, params: K, context: Context) -> Outcome:
        """The outcome of ``judge``, memoised in the index under the parameters."""
        outcomes, key = context.index.outcomes, params.memo_key
        found = outcomes.get(key)
        if found is None:
            found = outcomes[key] = self.judge(params, context.index)
        return found

    @abstractmethod
    def judge(self, params: K, index: PartnerIndex) -> Outcome:
        """Evaluate the condition over the consortium's index; answers ``unknown`` for missing data."""


CONDITIONS: dict[str, Condition[Any]] = {}

C = TypeVar("C", bound=type[Condition[Any]])


def register(cls: C) -> C:
    """Class decorator: make a condition available to call files under its ``name``."""
    if cls.name in CONDITIONS:
        msg = f"condition {cls.name!r} is registered twice"
        raise ValueError(msg)
    if issubclass(cls, ConsortiumCondition):
        for other in CONDITIONS.values():
            if isinstance(other, ConsortiumCondition) and other.params_model is cls.params_model:
                msg = (
                    f"condition {cls.name!r} shares its params_model with {other.name!r}: a "
                    "condition on the consortium needs its own (outcomes are memoised by it)"
                )
                raise ValueError(msg)
    CONDITIONS[cls.name] = cls()
    return cls


def get_condition(name: str) -> Condition[Any]:
    """The registered condition called ``name`` (KeyError with the known names otherwise)."""
    try:
        return CONDITIONS[name]
    except KeyError:
        known = ", ".join(sorted(CONDITIONS))
        msg = f"unknown condition {name!r}; known conditions: {known}"
        raise KeyError(msg) from None


def unmet_rules(call: Call) -> tuple[str, ...]:
    """The rules of ``call`` no application can ever pass, each as "rule <id> (<condition>):
    <reason>", in the call's order (empty for a call whose rules can all be met)."""
    found = []
    for rule in call.rules:
        reason = get_condition(rule.condition).unmet(rule.params, call)
        if reason is not None:
            found.append(f"rule {rule.id} ({rule.condition}): {reason}")
    return tuple(found)
