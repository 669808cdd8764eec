"""The registry of conditions a call file can name, and the base they share.

A condition is a small class with a ``name``, a ``description``, a pydantic ``Params`` schema and
``check(params, context) -> Outcome``. Call files name conditions; the catalogue
validates each rule's parameters against the schema when it loads the call.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict

from clusterbridge.domain.calls import Call
from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.enums import RuleStatus


class Outcome(NamedTuple):
    """What a condition found: a status, a sentence saying why, and the partners concerned.

    A NamedTuple rather than a frozen dataclass: one is built per rule per check, on the hot path.
    """

    status: RuleStatus
    message: str
    partners: tuple[str, ...] = ()


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

    def parse_params(self, raw: dict[str, Any]) -> P:
        """Validate raw parameters from a call file (raises pydantic.ValidationError)."""
        return self.params_model.model_validate(raw)  # type: ignore[return-value]


CONDITIONS: dict[str, Condition[Any]] = {}

C = TypeVar("C", bound=type[Condition[Any]])


def register(cls: C) -> C:
    """Class decorator: make a condition available to call files under its ``name``."""
    if cls.name in CONDITIONS:
        msg = f"condition {cls.name!r} is registered twice"
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
