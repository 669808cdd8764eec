"""The schema of a call file, validated with pydantic, and its conversion into a domain ``Call``."""

from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from clusterbridge.domain.calendar import WITH_ITS_TIME, local_time_problem
from clusterbridge.domain.calls import Call, RuleSpec, Source, Strand
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.domain.geography import resolve_country_scope
from clusterbridge.domain.refusals import refusal_reason

CALL_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
#: Why a call file without rules is refused, with the form of one to write.
NO_RULES = (
    "a call needs at least one rule: write each as a [[rules]] table with id, title, "
    'condition, params and source, e.g. [[rules]] id = "two-partners" '
    'title = "At least two partners" condition = "min_partners" params = { min = 2 } '
    'source = { document = "call", section = "Eligibility", quote = "..." }'
)


class Strict(BaseModel):
    """Base of every part of a call file: unknown fields are errors, nothing is coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourceModel(Strict):
    """Where in the call text a rule or fact comes from."""

    document: str = Field(min_length=1)
    section: str = Field(min_length=1)
    quote: str = Field(min_length=8)


class StrandModel(Strict):
    """A strand of the call."""

    id: str = Field(pattern=CALL_ID_PATTERN)
    title: str = Field(min_length=1)
    description: str = ""
    min_projects: int | None = Field(default=None, ge=1)


class RuleModel(Strict):
    """One rule: a registered condition with its parameters and the clause it encodes."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    condition: str
    params: dict[str, Any] = Field(default_factory=dict)
    source: SourceModel
    on_fail: Literal["fail", "warning"] = "fail"
    advice: str = ""

    @model_validator(mode="after")
    def _known_condition_and_params(self) -> "RuleModel":
        try:
            get_condition(self.condition).parse_params(self.params)
        except KeyError as error:
            raise ValueError(error.args[0]) from None
        except ValidationError as error:
            problems = "; ".join(
                f"params.{'.'.join(str(p) for p in e['loc'])}: {refusal_reason(e)}"
                if e["loc"]
                else refusal_reason(e)
                for e in error.errors(include_url=False)
            )
            raise ValueError(f"condition {self.condition!r}: {problems}") from None
        return self


class CallFile(Strict):
    """The whole call file."""

    id: str = Field(pattern=CALL_ID_PATTERN)
    title: str = Field(min_length=1)
    programme: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    #: Whom a call written in the app funds: consortia, or SMEs applying alone (a Eurocluster's
    #: open call), so that its exported file imports as the same kind of call (ADR 0042).
    kind: Literal["programme", "cascade"] = "programme"
    url: str | None = None
    documents: dict[str, str] = Field(min_length=1)
    budget_eur: int | None = Field(default=None, gt=0)
    expected_projects: int | None = Field(default=None, gt=0)
    grant_min_eur: int | None = Field(default=None, gt=0)
    grant_max_eur: int | None = Field(default=None, gt=0)
    deadline: Annotated[datetime | None, WITH_ITS_TIME] = None
    timezone: str | None = Field(default=None, validate_default=True)
    duration_min_months: int | None = Field(default=None, gt=0)
    duration_max_months: int | None = Field(default=None, gt=0)
    duration_indicative_months: int | None = Field(default=None, gt=0)
    strands: list[StrandModel] = Field(default_factory=list)
    priorities: list[str] = Field(default_factory=list)
    funded_activities: list[str] = Field(default_factory=list)
    eligible_countries: list[str] = Field(default_factory=list)
    applicant_types: list[str] = Field(default_factory=list)
    fact_sources: dict[str, SourceModel] = Field(default_factory=dict)
    rules: list[RuleModel] = Field(default_factory=list, validate_default=True)
    #: The award criteria and ranking settings of a call authored in the app (``criteria``,
    #: ``overall_threshold``, ``tie_break``, ``on_overflow``), kept so that its file round-trips;
    #: the selection service validates them, the eligibility checker does not read them.
    selection: dict[str, Any] | None = None

    @field_validator("rules")
    @classmethod
    def _some_rules(cls, value: list[RuleModel]) -> list[RuleModel]:
        if not value:
            raise ValueError(NO_RULES)
        return value

    @field_validator("eligible_countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        resolve_country_scope(tuple(value))
        return value

    @field_validator("deadline")
    @classmethod
    def _local_deadline(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            msg = "write the deadline as local time (2025-02-05T17:00:00) and name its 'timezone'"
            raise ValueError(msg)
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None, info: ValidationInfo) -> str | None:
        _check_deadline(info.data.get("deadline"), value)
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                msg = f'"{value}" is not an IANA time zone such as Europe/Brussels'
                raise ValueError(msg) from None
            deadline = info.data.get("deadline")
            problem = None if deadline is None else local_time_problem(deadline, value)
            if problem is not None:
                raise ValueError(f"the deadline {problem}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "CallFile":
        _check_ranges(self)
        _check_unique("strands", [s.id for s in self.strands])
        _check_unique("rules", [r.id for r in self.rules])
        return self

    def uncited_documents(self) -> list[tuple[str, str]]:
        """(field, document) for every source citing a document not listed in [documents]."""
        sources = [
            *(
                (f'rules[{n}] (id "{r.id}").source.document', r.source)
                for n, r in enumerate(self.rules, start=1)
            ),
            *((f"fact_sources.{k}.document", v) for k, v in self.fact_sources.items()),
        ]
        return [(f, s.document) for f, s in sources if s.document not in self.documents]

    def to_call(self) -> Call:
        """The validated file as a domain ``Call`` (the deadline made time-zone aware)."""
        deadline = self.deadline
        if deadline is not None and self.timezone is not None:
            deadline = deadline.replace(tzinfo=ZoneInfo(self.timezone))
        return Call(
            **self.model_dump(
                exclude={
                    "strands",
                    "rules",
                    "fact_sources",
                    "deadline",
                    "timezone",
                    "priorities",
                    "funded_activities",
                    "eligible_countries",
                    "applicant_types",
                    "selection",
                    "kind",
                }
            ),
            deadline=deadline,
            strands=tuple(Strand(**s.model_dump()) for s in self.strands),
            rules=tuple(_rule(r) for r in self.rules),
            fact_sources={k: Source(**v.model_dump()) for k, v in self.fact_sources.items()},
            priorities=tuple(self.priorities),
            funded_activities=tuple(self.funded_activities),
            eligible_countries=tuple(self.eligible_countries),
            applicant_types=tuple(self.applicant_types),
        )


def _rule(model: RuleModel) -> RuleSpec:
    return RuleSpec(
        id=model.id,
        title=model.title,
        condition=model.condition,
        params=get_condition(model.condition).parse_params(model.params),
        source=Source(**model.source.model_dump()),
        on_fail=RuleStatus(model.on_fail),
        advice=model.advice,
    )


def _check_deadline(deadline: datetime | None, timezone: str | None) -> None:
    if deadline is not None and timezone is None:
        msg = "a deadline needs a 'timezone' such as Europe/Brussels"
        raise ValueError(msg)


def _check_ranges(call: CallFile) -> None:
    for low, high in (
        ("grant_min_eur", "grant_max_eur"),
        ("duration_min_months", "duration_max_months"),
    ):
        a, b = getattr(call, low), getattr(call, high)
        if a is not None and b is not None and a > b:
            msg = f"'{low}' ({a}) is greater than '{high}' ({b})"
            raise ValueError(msg)


def _check_unique(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            msg = f'{what}: id "{item}" is used twice'
            raise ValueError(msg)
        seen.add(item)
