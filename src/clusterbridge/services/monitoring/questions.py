"""The question sets shipped as data (``data/*.toml``), each with its sources and notice."""

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from clusterbridge.domain.assessment import ClusterDimension, DmaDimension


@dataclass(frozen=True, slots=True)
class Question:
    """A shipped question: key, dimension, wording and where it comes from."""

    key: str
    dimension: str
    text: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Band:
    """A band of the overall digital maturity score, up to and including ``upto``."""

    name: str
    upto: int
    source: str


@dataclass(frozen=True, slots=True)
class MaturityRules:
    """The digital maturity questions, bands, and what an assessment suggests (ADR 0019)."""

    notice: str
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    traditional_upto: int
    tech_savvy_from: int
    tech_savvy_dimension: str
    weak_upto: int
    needs: dict[str, tuple[str, ...]]

    def band(self, score: float) -> str:
        """The band the overall ``score`` falls in."""
        return next(b.name for b in self.bands if score <= b.upto)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("clusterbridge.services.monitoring").joinpath("data", name).read_text()
    return tomllib.loads(text)


def _questions(rows: list[dict[str, str]], dimensions: type[StrEnum]) -> tuple[Question, ...]:
    found = tuple(Question(**row) for row in rows)
    names = {str(d) for d in dimensions}
    wrong = [q.key for q in found if q.dimension not in names]
    if wrong:
        raise ValueError(f"Questions with an unknown dimension in the data: {', '.join(wrong)}")
    return found


@cache
def readiness_questions() -> tuple[str, tuple[Question, ...]]:
    """The notice and the shipped readiness questions (data/readiness_questions.toml)."""
    data = _load("readiness_questions.toml")
    return data["notice"], _questions(data["question"], ClusterDimension)


@cache
def maturity_rules() -> MaturityRules:
    """The digital maturity questions and rules (data/digital_maturity.toml)."""
    data = _load("digital_maturity.toml")
    return MaturityRules(
        notice=data["notice"],
        questions=_questions(data["question"], DmaDimension),
        bands=tuple(Band(**row) for row in data["band"]),
        traditional_upto=data["profile"]["traditional_upto"],
        tech_savvy_from=data["profile"]["tech_savvy_from"],
        tech_savvy_dimension=data["profile"]["tech_savvy_dimension"],
        weak_upto=data["needs"]["weak_upto"],
        needs={k: tuple(v) for k, v in data["needs"]["technologies"].items()},
    )
