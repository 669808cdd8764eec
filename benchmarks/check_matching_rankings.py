"""Whether a change of the matching engine left its CORDIS rankings as they were.

Builds ``bench_matching.py``'s registry (the time split) and asks a sample of its questions
(every ``--step``-th case of each protocol, with and without the hidden member's kind as the
benchmark does) two ways: the benchmark's ``matching`` order (its best 20 rows) and the
engine's ``score.suggest_with_newcomers`` (its listed suggestions and newcomers, by id).
``--write FILE`` stores them as JSON; ``--compare FILE`` asks again and reports every question
whose lists differ (exit 1), so a refactoring is checked by writing before and comparing after.
Run with ``.venv/bin/python benchmarks/check_matching_rankings.py --write before.json``.
"""

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from bench_matching import PROTOCOLS, Case, _asked, load_protocols
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.score import (
    blocked_rows,
    ranked_scores,
    score_rows,
    suggest_with_newcomers,
    trees_for,
    vectorise,
    weights_for,
)
from clusterbridge.services.registry.cordis import shipped_cordis_folder

#: The length of the lists compared: the benchmark's recall@20.
LISTED = 20


def bench_order(index: MatchIndex, case: Case, *, with_kind: bool) -> list[int]:
    """The ids of the best ``LISTED`` rows as ``bench_matching.evaluate`` ranks them
    (``matching``), ties by id."""
    query = _asked(index, case, with_kind=with_kind)
    vectors = vectorise(index, query, dense=None)
    blocked = blocked_rows(index, query, vectors)
    weights = weights_for(vectors, new_only=query.new_only)
    weighted, signals = score_rows(index, vectors, query, weights)
    trees = trees_for(index, vectors, query)
    scores = ranked_scores(index, vectors, query, weighted, signals, blocked=blocked, trees=trees)
    rows = [int(r) for r in np.flatnonzero(np.isfinite(scores))]
    rows.sort(key=lambda row: (-float(scores[row]), index.profiles[row].id))
    return [index.profiles[row].id for row in rows[:LISTED]]


def engine_lists(index: MatchIndex, case: Case, *, with_kind: bool) -> dict[str, list[int]]:
    """The ids the engine lists for the case's question, asked for ``LISTED``."""
    query = _asked(index, case, with_kind=with_kind)
    found = suggest_with_newcomers(index, dataclasses.replace(query, top=LISTED))
    return {
        "suggestions": [index.profiles[s.row].id for s in found.suggestions],
        "newcomers": [index.profiles[s.row].id for s in found.newcomers],
    }


def rankings(step: int) -> dict[str, object]:
    """Every sampled question's lists, keyed ``protocol[+kind]/case number``."""
    index, protocols = load_protocols(shipped_cordis_folder(), date(2024, 1, 1), None)
    found: dict[str, object] = {}
    for protocol in PROTOCOLS:
        for number, case in list(enumerate(protocols[protocol]))[::step]:
            for with_kind in (False,) if protocol == "new" else (False, True):
                key = f"{protocol}{'+kind' if with_kind else ''}/{number}"
                found[key] = {
                    "bench": bench_order(index, case, with_kind=with_kind),
                    **engine_lists(index, case, with_kind=with_kind),
                }
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--step", type=int, default=25, help="every STEP-th case")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path)
    action.add_argument("--compare", type=Path)
    args = parser.parse_args()
    found = rankings(args.step)
    if args.write:
        args.write.write_text(json.dumps(found, indent=1), encoding="utf-8")
        print(f"{len(found)} questions written to {args.write}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    changed = sorted(
        key for key in before.keys() | found.keys() if before.get(key) != found.get(key)
    )
    newcomers = sum(len(lists["newcomers"]) for lists in found.values())  # type: ignore[index]
    print(f"{len(found)} questions, {newcomers} newcomers listed; {len(changed)} changed")
    for key in changed[:20]:
        print(f"  {key}: {before.get(key)} -> {found.get(key)}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
