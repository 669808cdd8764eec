"""Partner matching on the demo registry: how long ``clusterbridge partners suggest`` takes, and
what a registry edit costs the matching index (issues 14 and 15).

The demo registry (the 24,840 CORDIS organisations with derived profiles, as ``clusterbridge
demo --no-serve`` makes it) lives in ``--data-dir`` (made there once, about 3 minutes, when it has
no database yet). Measured in one run:

- **the CLI**: ``clusterbridge partners suggest`` for the furniture maker of the demo (a
  traditional SME needing AI, robotics and IoT; ``--kind tech_savvy --new-only``), wall time of
  ``--runs`` runs with the index saved in the cache folder (target: under 2 s), against the same
  command through the whole tool's imports (``clusterbridge.cli.app``, what the console script
  ran before) and the first run, which builds the index and saves it;
- **a registry edit**: one organisation's description changed, then the index brought up to
  date (``refresh_match_index``: only that organisation's words are read again) against building
  it whole (``load_match_index``, what every edit cost before), CPU seconds of this process. The
  edit is rolled back.

Run with ``make bench-matching`` (after ``bench_matching.py``) or
``.venv/bin/python benchmarks/bench_matching_registry.py``.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from platformdirs import user_cache_path

from clusterbridge.config import Settings
from clusterbridge.db.models import Organisation
from clusterbridge.services.database import open_database
from clusterbridge.services.matching.index import load_match_index, refresh_match_index

#: The demo's furniture maker (MEDITERRANEAN WOOD FACTORY S.L., a traditional SME).
FURNITURE_MAKER = "924099310"
IDEA = "We are a traditional furniture maker and need AI, robotics and IoT for our production.\n"
TARGET_SECONDS = 2.0
BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data-dir", type=Path, default=user_cache_path("clusterbridge", appauthor=False)
        / "bench-matching-demo",
    )  # fmt: skip
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    environment = os.environ | {"CLUSTERBRIDGE_DATA_DIR": str(args.data_dir)}
    environment.pop("CLUSTERBRIDGE_DATABASE_URL", None)
    settings = Settings(data_dir=args.data_dir)
    if not (args.data_dir / "clusterbridge.sqlite3").exists():
        print(f"making the demo registry in {args.data_dir} (once, about 3 minutes)")
        subprocess.run(  # noqa: S603 -- our own command and arguments
            [BIN / "clusterbridge", "demo", "--no-serve"], env=environment, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    idea = args.data_dir / "furniture-idea.txt"
    idea.write_text(IDEA, encoding="utf-8")
    _cli(environment, settings, idea, args.runs)
    _edit(settings)
    return 0


def _cli(environment: dict[str, str], settings: Settings, idea: Path, runs: int) -> None:
    question = [
        "partners", "suggest", "--org", FURNITURE_MAKER, "--idea", str(idea),
        "--kind", "tech_savvy", "--new-only", "--top", "10",
    ]  # fmt: skip
    fast = [str(BIN / "clusterbridge"), *question]
    whole = [sys.executable, "-c", "from clusterbridge.cli.app import main; main()", *question]
    # The shared index store (ADR 0028) is removed, so that the first run builds it.
    shutil.rmtree(settings.resolved_cache_dir() / "match-index", ignore_errors=True)
    first, first_cpu = _timed(fast, environment)
    print(f"\npartners suggest on the demo registry ({runs} runs each; wall and CPU seconds)")
    print(f"first run, index built and saved: {first:.2f} s (CPU {first_cpu:.2f} s)")
    timings = {
        "partners suggest (index read from the cache)": [
            _timed(fast, environment) for _ in range(runs)
        ],
        "the same through the whole tool's imports": [
            _timed(whole, environment) for _ in range(runs)
        ],
    }
    for name, values in timings.items():
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        print(
            f"{name}: wall median {statistics.median(walls):.2f} s, max {max(walls):.2f} s; "
            f"CPU median {statistics.median(cpus):.2f} s"
        )
    median = statistics.median(v[0] for v in next(iter(timings.values())))
    verdict = "met" if median < TARGET_SECONDS else "NOT met"
    print(
        f"target under {TARGET_SECONDS} s (wall median): {verdict}; load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work slows every run)"
    )


def _timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user and system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _edit(settings: Settings) -> None:
    database = open_database(settings)
    with database.unit_of_work() as session:
        started = time.process_time()
        index = load_match_index(session)
        built = time.process_time() - started
        organisation = session.get(Organisation, index.profiles[len(index.profiles) // 2].id)
        assert organisation is not None
        organisation.description = "Collaborative robots and machine vision for furniture"
        session.flush()
        started = time.process_time()
        updated = refresh_match_index(session, index)
        refreshed = time.process_time() - started
        assert "furniture" in updated.profiles[updated.rows[organisation.id]].text
        session.rollback()
    print(f"\none organisation edited ({index.size:,} in the registry), CPU seconds")
    print(f"index built whole (before): {built:.2f} s")
    print(f"index updated (only the edited organisation's words read): {refreshed:.2f} s")
    print(f"{built / refreshed:.1f} times less CPU")


if __name__ == "__main__":
    sys.exit(main())
