"""The builder's one entry point: proposals one after another, each optimal given the
earlier ones (which it must differ from, and whose partners count half their relevance in it:
``Weights.reused``). The solver's parameters come from a preset (``presets/<name>.toml``)."""

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from clusterbridge.engines.consortium.model import BuilderModel
from clusterbridge.engines.consortium.problem import BuildProblem
from clusterbridge.engines.consortium.result import SolveResult

#: Seconds per solve unless told otherwise: the full CORDIS shortlist solves in well under one.
DEFAULT_TIME_LIMIT = 10.0
DEFAULT_SEED = 1
DEFAULT_PRESET = "default"
MAX_PROPOSALS = 10


@cache
def load_preset(name: str = DEFAULT_PRESET) -> dict[str, Any]:
    """The CP-SAT parameters of preset ``name`` (FileNotFoundError for an unknown one)."""
    text = resources.files("clusterbridge.engines.consortium") / "presets" / f"{name}.toml"
    return tomllib.loads(text.read_text(encoding="utf-8"))


def solve(
    problem: BuildProblem,
    *,
    proposals: int = 1,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    **params: Any,
) -> list[SolveResult]:
    """Up to ``proposals`` results, best first. After each, the model excludes it (see
    ``BuilderModel.exclude``) and is solved again; it stops at the first solve without a
    selection, whose result is the last in the list. ValueError for ``proposals`` outside
    1-10 or a time limit that is not positive. ``workers`` and ``params`` override the
    default preset's CP-SAT parameters. Pure apart from the solver's threads."""
    if not 1 <= proposals <= MAX_PROPOSALS:
        raise ValueError(f"proposals must be between 1 and {MAX_PROPOSALS}, not {proposals}")
    if time_limit <= 0:
        raise ValueError("the time limit must be positive")
    settings = load_preset() | params | ({"num_workers": workers} if workers else {})
    settings |= {"max_time_in_seconds": time_limit, "random_seed": seed}
    model = BuilderModel(problem)
    results: list[SolveResult] = []
    while len(results) < proposals:
        result = model.solve(settings)
        results.append(result)
        if result.selection is None:
            break
        model.exclude(result.selection)
    return results
