"""B2B meeting scheduling against the published results (Bofill et al., JAIR 74, 2022).

Solves every published instance (``*.dzn``: 20 originals and 120 variants at fairness d = 2, the
originals also at d = 0, 1 and 3 as in the paper's tables 9-11), checks each schedule with the
independent checker, and prints per instance: our status and breaks, the published optimum, our
seconds and the published MaxSAT seconds (UWrMaxSat on a 3.1 GHz Xeon E3-1220v2). Then totals per
variant family and overall, a generated 1,000-participant virtual event against first fit, and
repairs during that event. The published results are the shared transcription beside the
instances and, for the forbidden-slot and precedence variants it leaves out, the paper's tables 6
and 8 in ``b2b-reference-supplement.csv`` here.

The instances are read from ``../shared/data/b2b-instances`` beside the repository, or from
``$CLUSTERBRIDGE_B2B_INSTANCES``; they carry no licence and are never copied here. Run with
``make bench-b2b`` or ``python benchmarks/bench_b2b.py --only 'tic-*' --skip-scale``.
"""

import argparse
import csv
import fnmatch
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from clusterbridge.domain.enums import SolveStatus
from clusterbridge.domain.scheduling import seat
from clusterbridge.engines.scheduling import (
    Assignment,
    Meeting,
    Schedule,
    SchedulingProblem,
    check_schedule,
    count_breaks,
    first_fit,
    repair,
    solve,
)
from clusterbridge.services.scheduling.dzn import read_dzn

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "b2b-instances"
PAPER_D = 2
SCALE_PARTICIPANTS, SCALE_MEETINGS, SCALE_SLOTS, SCALE_SEED = 1000, 6000, 16, 20260101
SCALE_TIME_LIMIT = 110.0
#: Tables 6 and 8 of the paper (forbidden slots, precedences), which the shared file leaves out.
SUPPLEMENT = Path(__file__).resolve().parent / "b2b-reference-supplement.csv"


@dataclass(frozen=True)
class Reference:
    status: str
    optimum: int | None
    maxsat_seconds: float | None
    supplement: bool = False


@dataclass(frozen=True)
class Row:
    name: str
    family: str
    d: int
    status: SolveStatus
    breaks: int | None
    seconds: float
    reference: Reference | None
    checked: bool

    def agrees(self) -> bool | None:
        ref = self.reference
        if ref is None:
            return None
        if ref.status == "UNSAT":
            return self.status is SolveStatus.INFEASIBLE
        return self.status is SolveStatus.OPTIMAL and self.breaks == ref.optimum


def read_references(folder: Path) -> dict[tuple[str, int], Reference]:
    found = {}
    for path in (folder / "paper-reference-results.csv", SUPPLEMENT):
        lines = (line for line in path.open() if line[0] != "#")
        for row in csv.DictReader(lines):
            seconds = row["maxsat_s"]
            found[row["variant_file"], int(row["fairness_d"])] = Reference(
                row["status"],
                int(row["optimum_breaks"]) if row["optimum_breaks"] else None,
                float(seconds) if seconds.replace(".", "").isdigit() else None,
                supplement=path == SUPPLEMENT,
            )
    return found


def run_instance(path: Path, d: int, refs: dict, time_limit: float) -> Row:
    problem = read_dzn(path)
    result = solve(problem, time_limit=time_limit, fairness=d, require_all=True)
    checked = result.schedule is None or not check_schedule(
        problem, result.schedule, fairness=d, require_all=True
    )
    family = path.name.split(".", 1)[1].removesuffix(".dzn")
    return Row(
        path.name,
        family,
        d,
        result.status,
        result.breaks,
        result.seconds,
        refs.get((path.name, d)),
        checked,
    )


def print_row(row: Row) -> None:
    ref = row.reference
    published = "-" if ref is None else ("UNSAT" if ref.status == "UNSAT" else str(ref.optimum))
    paper_s = "-" if ref is None or ref.maxsat_seconds is None else f"{ref.maxsat_seconds:.1f}"
    ours = "UNSAT" if row.status is SolveStatus.INFEASIBLE else str(row.breaks)
    flag = {True: "", False: "  MISMATCH", None: ""}[row.agrees()]
    if row.status not in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE):
        flag += f"  NOT PROVEN ({row.status})"
    if not row.checked:
        flag += "  CHECKER REJECTS"
    print(
        f"{row.name:<36} d={row.d}  {ours:>6} {published:>6}  {row.seconds:7.2f}s {paper_s:>7}s{flag}",
        flush=True,
    )


def print_totals(rows: list[Row]) -> None:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[f"{row.family} d={row.d}"].append(row)
    print("\nfamily                      n  proven  ours(s)  max(s)  published(s) on the same")
    for key in sorted(groups):
        print_group(key, groups[key])
    print_group("ALL", rows)
    shared = [r for r in rows if r.reference is None or not r.reference.supplement]
    if shared:
        print_group("ALL but tables 6 and 8", shared)


def print_group(key: str, rows: list[Row]) -> None:
    proven = sum(r.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE) for r in rows)
    with_ref = [r for r in rows if r.reference and r.reference.maxsat_seconds is not None]
    ours_ref = sum(r.seconds for r in with_ref)
    paper = sum(r.reference.maxsat_seconds for r in with_ref if r.reference)
    vs = f"{paper:8.1f} (ours {ours_ref:.1f} on {len(with_ref)})" if with_ref else "-"
    print(
        f"{key:<26} {len(rows):>3}  {proven:>6}  {sum(r.seconds for r in rows):7.1f} "
        f"{max(r.seconds for r in rows):7.2f}  {vs}"
    )


def scale_problem() -> tuple[SchedulingProblem, list[int]]:
    """A feasible virtual event: random matchings per slot, deduplicated, shuffled; a fifth of
    the meetings keep the session of their planted slot."""
    rng = random.Random(SCALE_SEED)
    per_slot = SCALE_MEETINGS // SCALE_SLOTS
    half = SCALE_SLOTS // 2
    meetings: dict[frozenset[int], Meeting] = {}
    people = list(range(1, SCALE_PARTICIPANTS + 1))
    for t in range(SCALE_SLOTS):
        rng.shuffle(people)
        for i in range(per_slot):
            a, b = people[2 * i], people[2 * i + 1]
            session = (1 if t < half else 2) if rng.random() < 0.2 else None
            meetings.setdefault(frozenset((a, b)), Meeting(a, b, session=session))
    listed = list(meetings.values())
    rng.shuffle(listed)
    problem = SchedulingProblem(
        participants=SCALE_PARTICIPANTS,
        slots=SCALE_SLOTS,
        sessions=(half, half),
        meetings=tuple(listed),
        rooms=None,
    )
    return problem, []


def run_scale() -> tuple[SchedulingProblem, Schedule] | None:
    problem, _ = scale_problem()
    started = time.monotonic()
    baseline = first_fit(problem)
    fit_seconds = time.monotonic() - started
    fit = seat(baseline)
    print(
        f"\nScale: {SCALE_PARTICIPANTS} participants, {len(problem.meetings)} meetings, "
        f"{SCALE_SLOTS} slots in two sessions, unlimited rooms"
    )
    print(
        f"  first fit: {len(baseline)} placed, {count_breaks(problem, fit)} breaks, "
        f"{fit_seconds:.2f}s"
    )
    result = solve(problem, time_limit=SCALE_TIME_LIMIT, seed=0, workers=2)
    if result.schedule is None:
        print(f"  solve: {result.status} after {result.seconds:.1f}s, no schedule")
        return None
    valid = not check_schedule(problem, result.schedule)
    print(
        f"  solve: {result.status}, {len(result.schedule.assignments)} placed, "
        f"{result.breaks} breaks, {result.seconds:.1f}s, checker {'accepts' if valid else 'REJECTS'}"
    )
    return problem, result.schedule


def run_repairs(problem: SchedulingProblem, schedule: Schedule) -> None:
    """Three random changes (a cancellation and a new meeting each), then a new meeting between
    two participants with no free later slot in common, which needs moves."""
    rng = random.Random(SCALE_SEED + 1)
    current = 4
    later = [a for a in schedule.assignments if a.slot > current]
    for trial in range(4):
        cancelled = rng.choice(later).meeting
        a, b = (
            _busy_pair(problem, schedule, current)
            if trial == 3
            else rng.sample(range(1, SCALE_PARTICIPANTS + 1), 2)
        )
        run_repair(problem, schedule, cancelled, (a, b), current)


def _busy_pair(problem: SchedulingProblem, schedule: Schedule, current: int) -> tuple[int, int]:
    free: dict[object, set[int]] = {
        p: set(range(current + 1, problem.slots + 1)) for p in problem.participant_ids
    }
    for x in schedule.assignments:
        meeting = problem.meetings[x.meeting - 1]
        free[meeting.a].discard(x.slot)
        free[meeting.b].discard(x.slot)
    people = sorted(problem.participant_ids, key=str)
    for a in people:
        for b in people:
            if a != b and free[a] and free[b] and not free[a] & free[b]:
                return int(a), int(b)
    return 1, 2


def run_repair(
    problem: SchedulingProblem,
    schedule: Schedule,
    cancelled: int,
    pair: tuple[int, int],
    current: int,
) -> None:
    kept = [m for i, m in enumerate(problem.meetings, start=1) if i != cancelled]
    changed = SchedulingProblem(
        participants=problem.participants,
        slots=problem.slots,
        sessions=problem.sessions,
        meetings=(*kept, Meeting(*pair)),
        rooms=problem.rooms,
    )
    renumbered = Schedule.of(
        Assignment(x.meeting - (x.meeting > cancelled), x.slot, x.room)
        for x in schedule.assignments
        if x.meeting != cancelled
    )
    result = repair(changed, renumbered, current_slot=current, time_limit=1.0)
    assert result.schedule is not None
    after = result.schedule.slot_of()
    frozen_ok = all(
        after.get(x.meeting) == x.slot for x in renumbered.assignments if x.slot <= current
    )
    valid = not check_schedule(changed, result.schedule)
    print(
        f"  repair (cancel {cancelled}, add {pair[0]}-{pair[1]}, current slot {current}): "
        f"{result.seconds:.2f}s, {result.status}, moved {len(result.moved)}, unplaced "
        f"{len(result.unplaced)}, breaks {result.breaks}, started untouched {frozen_ok}, checker "
        f"{'accepts' if valid else 'REJECTS'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="*", help="glob of instance file names")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--d2-only", action="store_true", help="skip the d = 0, 1, 3 runs")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    folder = Path(os.environ.get("CLUSTERBRIDGE_B2B_INSTANCES", DEFAULT_DATA))
    if not folder.is_dir():
        print(f"No instances at {folder}: set CLUSTERBRIDGE_B2B_INSTANCES", file=sys.stderr)
        return 2
    refs = read_references(folder)
    rows = []
    paths = sorted(p for p in folder.glob("*.dzn") if fnmatch.fnmatch(p.name, args.only))
    runs = [(p, PAPER_D) for p in paths]
    if not args.d2_only:
        runs += [(p, d) for d in (0, 1, 3) for p in paths if p.name.endswith(".original.dzn")]
    print(f"{'instance':<36} d    ours  paper     ours   paper(MaxSAT)")
    for path, d in runs:
        row = run_instance(path, d, refs, args.time_limit)
        print_row(row)
        rows.append(row)
    if rows:
        print_totals(rows)
    if not args.skip_scale:
        scaled = run_scale()
        if scaled:
            run_repairs(*scaled)
    return 0


if __name__ == "__main__":
    sys.exit(main())
