"""``benchmarks/bench_matching.py --dense`` ranks as the engine does with sentence embeddings.

The dense path is measured on the CORDIS data only with the ``embeddings`` extra; here a small
registry gets made-up unit vectors (no model), and the benchmark's ``matching+dense`` order must
be the order ``score.suggest`` chooses by for the same question and vectors.
"""

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.engines.matching.index import MatchIndex, build_index
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, ProjectInfo
from clusterbridge.engines.matching.rerank import shipped_trees
from clusterbridge.engines.matching.score import blocked_rows, suggest, trees_for, vectorise

pytestmark = pytest.mark.unit

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
#: Every text has "hydrogen", so that every organisation has some evidence for the idea (the
#: engine leaves out those with none; the benchmark ranks everyone).
PROJECTS = {
    n: ProjectInfo(n, f"P{n}", f"Hydrogen project {n}", f"hydrogen {words}")
    for n, words in enumerate(
        (
            "electrolysers steel furnaces",
            "fuel cells for trucks",
            "storage tanks and pipelines",
            "catalysts for electrolysers",
            "hydrogen valleys in ports",
            "safety of hydrogen refuelling",
        ),
        start=1,
    )
}


def _org(number: int, kind: OrgType, projects: tuple[int, ...], **extra: object) -> OrgProfile:
    return OrgProfile(
        number, f"Org {number}", "DE" if number % 2 else "FR", type=kind,
        text=f"hydrogen work {number}", projects=projects, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _registry() -> MatchIndex:
    tech = {"sme_profile": SmeProfile.TECH_SAVVY}
    profiles = [
        _org(1, OrgType.SME, (1, 2), **tech),
        _org(2, OrgType.UNIVERSITY, (1, 3)),
        _org(3, OrgType.UNIVERSITY, (2, 4, 5)),
        _org(4, OrgType.UNIVERSITY, (6,)),
        _org(5, OrgType.UNIVERSITY, (3, 4)),
        _org(6, OrgType.SME, (4,), **tech),
        _org(7, OrgType.SME, (5, 6), **tech),
        _org(8, OrgType.SME, (6,)),
        _org(9, OrgType.RESEARCH_ORGANISATION, (1, 5)),
        _org(10, OrgType.SME, (3,), **tech),
    ]
    index = build_index(profiles, PROJECTS)
    vectors = np.random.default_rng(7).normal(size=(index.size, 6)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return dataclasses.replace(index, dense=vectors)


def _bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(
            "bench_matching", BENCHMARKS / "bench_matching.py"
        )
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


QUESTIONS = {
    "no kind": MatchQuery(members=(1,), idea="hydrogen electrolysers and fuel cells"),
    "a company kind": MatchQuery(members=(1,), idea="hydrogen storage", kind="sme"),
    "a kind the dense trees were not fitted for": MatchQuery(
        members=(1,), idea="hydrogen electrolysers and fuel cells", kind="university"
    ),
    "new SME partners": MatchQuery(
        members=(9,), idea="hydrogen valleys", kind="sme", new_only=True
    ),
}


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_the_dense_benchmark_orders_as_the_engine_with_embeddings(name: str) -> None:
    index = _registry()
    idea = np.zeros(6, dtype=np.float32)
    idea[0] = 1.0
    query = dataclasses.replace(QUESTIONS[name], top=index.size)
    vectors = vectorise(index, query, dense=idea)
    blocked = blocked_rows(index, query, vectors)

    _plain, ordered = _bench().dense_scores(index, query, idea, blocked=blocked)
    chosen, _vectors = suggest(index, query, dense=idea)

    # Equal values in id order, as the engine breaks ties (``score._top``).
    engine = sorted((-s.order, index.profiles[s.row].id) for s in chosen)
    bench = sorted((-ordered[r], index.profiles[r].id) for r in range(index.size) if not blocked[r])
    assert bench == engine
    assert len(engine) >= 2


def test_the_questions_cover_every_choice_of_ranker_with_embeddings() -> None:
    index = _registry()
    idea = np.ones(6, dtype=np.float32) / np.sqrt(6)

    chosen = {
        name: trees_for(index, vectorise(index, query, dense=idea), query)
        for name, query in QUESTIONS.items()
    }

    assert chosen == {
        "no kind": None,
        "a company kind": shipped_trees("dense"),
        "a kind the dense trees were not fitted for": None,
        "new SME partners": shipped_trees("new"),
    }
