"""The one wording of pydantic's refusals: the reason each interface shows for a value a declared
check refused, read from real validation errors."""

from datetime import UTC, date, datetime
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clusterbridge.domain.refusals import (
    length_reason,
    refusal_reason,
    too_long_reason,
    typed_value_refusal,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)

    count: int = Field(default=1, ge=1, le=10)
    share: float = Field(default=0.5, gt=0, lt=1)
    name: str = Field(default="x", min_length=1, max_length=5)
    code: str = Field(default="ab", min_length=2, pattern=r"^[a-z]+$")
    tags: list[str] = Field(default_factory=lambda: ["a"], min_length=1, max_length=2)
    kind: Literal["sme", "cluster"] = "sme"
    flag: bool = False
    day: date = date(2025, 1, 1)
    at: datetime = datetime(2025, 1, 1, tzinfo=UTC)
    rate: str = "1 per hour"
    required: str

    @field_validator("rate")
    @classmethod
    def _rate(cls, value: str) -> str:
        if "per" not in value:
            raise ValueError('must be a rate such as "10 per 15 minutes"')
        return value


def _reason(**fields: Any) -> str:
    with pytest.raises(ValidationError) as raised:
        _Model.model_validate({"required": "yes"} | fields)
    [error] = raised.value.errors()
    return refusal_reason(error)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"count": 0}, "must be at least 1"),
        ({"count": 11}, "must be at most 10"),
        ({"count": "three"}, "must be a whole number"),
        ({"count": 1.5}, "must be a whole number"),
        ({"share": 0}, "must be more than 0"),
        ({"share": 1}, "must be less than 1"),
        ({"share": "half"}, "must be a number"),
        ({"name": ""}, "is required"),
        ({"name": "toolong"}, "must be at most 5 characters, not 7"),
        ({"name": 5}, "must be text"),
        ({"code": "a"}, "must be at least 2 characters"),
        ({"code": "AB"}, "does not have the expected form (pattern ^[a-z]+$)"),
        ({"tags": []}, "must have at least 1 entry"),
        ({"tags": ["a", "b", "c"]}, "must have at most 2 entries"),
        ({"tags": "a"}, "must be a list"),
        ({"kind": "university"}, "must be one of 'sme' or 'cluster'"),
        ({"flag": "perhaps"}, "must be true or false"),
        ({"day": "2025-02-30"}, "must be a date such as 2025-03-10"),
        ({"at": "tomorrow"}, "must be a date and time such as 2025-03-10 09:00"),
        ({"rate": "often"}, 'must be a rate such as "10 per 15 minutes"'),
        ({"colour": "red"}, "is not a known field"),
    ],
)
def test_each_refusal_reads_in_the_platforms_words(fields: dict[str, Any], reason: str) -> None:
    assert _reason(**fields) == reason


def test_a_missing_field_is_required() -> None:
    with pytest.raises(ValidationError) as raised:
        _Model.model_validate({})

    assert [refusal_reason(error) for error in raised.value.errors()] == ["is required"]


def test_an_error_of_another_kind_keeps_pydantics_message() -> None:
    error = {"type": "url_parsing", "msg": "Input should be a valid URL", "ctx": {}}

    assert refusal_reason(error) == "Input should be a valid URL"


@pytest.mark.parametrize(
    ("fields", "value", "reason"),
    [
        ({"count": "abc"}, "abc", '"abc" is not a whole number'),
        ({"count": 0}, 0, "must be at least 1, not 0"),
        (
            {"at": "yesterday"},
            "yesterday",
            '"yesterday" is not a date and time such as 2025-03-10 09:00',
        ),
        ({"kind": "x"}, "x", "\"x\": must be one of 'sme' or 'cluster'"),
    ],
)
def test_a_typed_value_is_quoted_in_its_refusal(
    fields: dict[str, Any], value: object, reason: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        _Model.model_validate({"required": "yes"} | fields)
    [error] = raised.value.errors()

    assert typed_value_refusal(error, value) == reason


def test_a_text_too_long_says_the_limit_and_its_length_in_one_wording() -> None:
    # It read "is too long", "is over N characters", "is 1001 characters long; at most 1000
    # are allowed" or "must be at most N characters", depending on the form.
    too_long = {"type": "string_too_long", "ctx": {"max_length": 2000}, "input": "x" * 2001}

    assert too_long_reason(2000, 2001) == "must be at most 2,000 characters, not 2,001"
    assert length_reason("ab", 1) == "must be at most 1 character, not 2"
    assert length_reason("a", 1) is None
    assert refusal_reason(too_long) == "must be at most 2,000 characters, not 2,001"
    # A command's option: the length, not the long text quoted back.
    assert (
        typed_value_refusal(too_long, "x" * 2001) == "must be at most 2,000 characters, not 2,001"
    )
