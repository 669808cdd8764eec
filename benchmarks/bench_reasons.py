"""What the reasons of partner suggestions quote, on the demo registry (the shipped CORDIS data).

For a seeded sample of registry organisations with projects, three questions each, as the
CLI and the web app ask them (``score.suggest`` then ``reasons.explain``, top 10): the
organisation alone (its own work is the topic), the same for new partners only
(``new_only``), and the organisation with an idea (the title and objective of a project it
did not take part in). Every term a "shared topics" reason quotes is checked against three
sources the reasons do not read:

- a **technology** of the vocabulary (``engines/profiles/data/technology_terms.csv``: labels,
  terms and EuroSciVoc terms);
- a **EuroSciVoc term** CORDIS assigned to some project (``euroSciVoc_terms`` of
  ``he_projects.csv.gz``; the registry does not keep this column);
- a **high-IDF phrase**: in at least 2 and at most ``HIGH_IDF_SHARE`` of the registry's
  project texts (title, keywords and objective).

Reported: the share of quoted terms that are one of these, the share of topic reasons whose
every term is, the most frequent quoted terms and the most frequent ones that are none, how
many reasons name project acronyms, and how many new-partner answers speak of past
collaborations (none should). Then the issue's demo check: the furniture maker asking alone for
new partners must get tech-savvy SMEs and technology providers it never worked with, each with
projects named (exit status 1 otherwise). Run with ``make bench-reasons``; the demo registry is made once
in ``--data-dir`` (about 3 minutes), shared with ``bench_matching_registry.py``.
"""

import argparse
import csv
import gzip
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from platformdirs import user_cache_path

from clusterbridge.config import Settings
from clusterbridge.engines.matching.index import (
    TECH_SAVVY_SME,
    TECHNOLOGY_PROVIDER,
    MatchIndex,
    kind_of,
)
from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import suggest
from clusterbridge.engines.profiles.terms import PhraseIndex, fold, words
from clusterbridge.services.database import open_database
from clusterbridge.services.matching.loading import load_match_index
from clusterbridge.services.registry.cordis import shipped_cordis_folder

#: A phrase in at most this share of the project texts has a high IDF (ln 100 = 4.6).
HIGH_IDF_SHARE = 0.01
TOPIC_PREFIX = "shared topics with "
COLLABORATION_PREFIXES = ("worked with ",)
TECHNOLOGY_FILE = (
    Path(__file__).parents[1] / "src/clusterbridge/engines/profiles/data/technology_terms.csv"
)
BIN = Path(sys.executable).parent
#: The demo's furniture maker (MEDITERRANEAN WOOD FACTORY S.L., a traditional SME).
FURNITURE_MAKER = "924099310"
_IN_BRACKETS = re.compile(r"\s*\([^)]*\)")
_ACRONYMS = re.compile(r"\(([^)]*)\)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data-dir", type=Path, default=user_cache_path("clusterbridge", appauthor=False)
        / "bench-matching-demo",
    )  # fmt: skip
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    _make_demo(args.data_dir)
    database = open_database(Settings(data_dir=args.data_dir))
    with database.unit_of_work() as session:
        index = load_match_index(session)
    started = time.perf_counter()
    quoted, reasons = _ask(index, random.Random(args.seed), args.organisations)
    seconds = time.perf_counter() - started
    _report(index, quoted, reasons, seconds)
    return 0 if _check_furniture_maker(index) else 1


def _check_furniture_maker(index: MatchIndex) -> bool:
    """The issue's demo check: the furniture maker (a traditional SME needing AI, IoT and
    advanced manufacturing) asking alone for new partners gets tech-savvy SMEs and technology
    providers it never worked with, none needing what it needs, each with projects named."""
    maker = next(p for p in index.profiles if p.pic == FURNITURE_MAKER)
    query = MatchQuery(members=(maker.id,), new_only=True, top=10)
    scored, vectors = suggest(index, query)
    own = index.rows[maker.id]
    needs = {t.key for t in maker.needed}
    print(f"\n{maker.name} asks for new partners (its needs: {', '.join(sorted(needs))})")
    passed = bool(scored)
    for item in scored:
        profile = index.profiles[item.row]
        reasons = explain(index, query, vectors, item)
        worked = index.graph[own, item.row] > 0
        provider = kind_of(profile) in {TECH_SAVVY_SME, TECHNOLOGY_PROVIDER}
        rival = bool(needs & {t.key for t in profile.needed}) and not provider
        checked = any(_ACRONYMS.search(r) for r in reasons)
        ok = provider and not worked and not rival and checked
        passed &= ok
        what = f"{profile.type.value if profile.type else '?'}, " + (
            profile.sme_profile.value if profile.sme_profile else "-"
        )
        print(f"  {'ok ' if ok else 'BAD'} {profile.name[:60]} ({what}): {reasons[0][:110]}")
    print(f"demo check: {'passed' if passed else 'FAILED'}")
    return passed


def _make_demo(data_dir: Path) -> None:
    if (data_dir / "clusterbridge.sqlite3").exists():
        return
    print(f"making the demo registry in {data_dir} (once, about 3 minutes)")
    environment = os.environ | {"CLUSTERBRIDGE_DATA_DIR": str(data_dir)}
    environment.pop("CLUSTERBRIDGE_DATABASE_URL", None)
    subprocess.run(  # noqa: S603 -- our own command and arguments
        [BIN / "clusterbridge", "demo", "--no-serve"], env=environment, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def _ask(index: MatchIndex, rng: random.Random, count: int) -> tuple[list[str], list[str]]:
    """Every quoted term and every reason of the sample's questions."""
    with_projects = [p for p in index.profiles if p.projects]
    sample = rng.sample(with_projects, min(count, len(with_projects)))
    project_ids = sorted(index.projects)
    quoted: list[str] = []
    reasons: list[str] = []
    for profile in sample:
        other = index.projects[rng.choice(project_ids)]
        for query, label in (
            (MatchQuery(members=(profile.id,), top=10), "alone"),
            (MatchQuery(members=(profile.id,), top=10, new_only=True), "new"),
            (MatchQuery(members=(profile.id,), top=10, idea=other.text), "idea"),
        ):
            scored, vectors = suggest(index, query)
            for item in scored:
                for reason in explain(index, query, vectors, item):
                    reasons.append(f"{label}\t{reason}")
                    quoted += _terms_of(reason)
    return quoted, reasons


def _terms_of(reason: str) -> list[str]:
    """The terms a "shared topics" reason quotes (without the projects in brackets)."""
    if not reason.startswith(TOPIC_PREFIX):
        return []
    listed = _IN_BRACKETS.sub("", reason.split(": ", 1)[1])
    return [term.strip() for term in listed.split(", ") if term.strip()]


def _report(index: MatchIndex, quoted: list[str], reasons: list[str], seconds: float) -> None:
    distinctive = _distinctive(index, {_folded(t) for t in quoted})
    counts = Counter(_folded(t) for t in quoted)
    good = sum(n for term, n in counts.items() if distinctive[term])
    topic = [r.split("\t", 1)[1] for r in reasons if r.split("\t", 1)[1].startswith(TOPIC_PREFIX)]
    whole = sum(all(distinctive[_folded(t)] for t in _terms_of(r)) for r in topic)
    with_acronyms = sum(bool(_ACRONYMS.search(r)) for r in topic)
    new_collaborations = sum(
        r.startswith("new\t") and r.split("\t", 1)[1].startswith(COLLABORATION_PREFIXES)
        for r in reasons
    )
    print(f"{len(reasons):,} reasons, {len(topic):,} of them shared topics ({seconds:.1f} s)")
    print(
        f"quoted terms that are a technology, a EuroSciVoc term or a high-IDF phrase: "
        f"{good:,} of {len(quoted):,} ({good / max(len(quoted), 1):.1%})"
    )
    print(
        f"topic reasons quoting only such terms: {whole:,} of {len(topic):,} "
        f"({whole / max(len(topic), 1):.1%}); naming projects: {with_acronyms:,}"
    )
    print(f"new-partner answers speaking of past collaborations: {new_collaborations:,}")
    print("most quoted terms: " + _listed(counts.most_common(25)))
    weak = Counter({term: n for term, n in counts.items() if not distinctive[term]})
    print("most quoted terms that are none of these: " + _listed(weak.most_common(25)))


def _folded(term: str) -> str:
    return " ".join(words(fold(term)))


def _listed(items: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{term} ({n})" for term, n in items) or "none"


def _distinctive(index: MatchIndex, terms: set[str]) -> dict[str, bool]:
    """Per folded term, whether it is a technology, a EuroSciVoc term or a high-IDF phrase."""
    known = _technology_terms() | _euroscivoc_terms()
    phrases = PhraseIndex((tuple(words(term)), term) for term in terms)
    documents: Counter[str] = Counter()
    for project in index.projects.values():
        documents.update(set(phrases.count(words(fold(project.text)))))
    most = HIGH_IDF_SHARE * len(index.projects)
    return {term: term in known or 2 <= documents[term] <= most for term in terms}


def _technology_terms() -> set[str]:
    with TECHNOLOGY_FILE.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return {
        " ".join(words(fold(term.removeprefix("="))))
        for row in rows
        for column in ("label", "terms", "euroscivoc")
        for term in (row.get(column) or "").split(";")
        if term.strip()
    }


def _euroscivoc_terms() -> set[str]:
    path = shipped_cordis_folder() / "he_projects.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
        return {
            " ".join(words(fold(term)))
            for row in csv.DictReader(file)
            for term in row["euroSciVoc_terms"].split(";")
            if term.strip()
        }


if __name__ == "__main__":
    sys.exit(main())
