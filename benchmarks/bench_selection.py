"""Selection at scale: rank and select 5,000 proposals, assign 300 experts to them.

Prints CPU seconds (the machine may be shared) and ratios against baselines measured in the same run:

* **rank and select** 5,000 generated proposals (15 strands, four criteria scored in half
  points, one in ten ineligible, a strand minimum, EUR 42M and 16 places): the file read and
  validated from its JSON document, then the engine; the baseline is a plain sort of the same
  proposals by total (no thresholds, tie-breaks, quotas or reasons). Also the whole command
  (``clusterbridge selection rank FILE --format json`` in a new process), against the tool's
  start-up (``clusterbridge --version``).
* **assign** 300 experts to the 5,000 proposals, 3 per proposal, at most 55 each (feasible),
  sparse random affinities (each expert fits about 2% of the proposals; the rest are 0) and
  random conflicts: the exact min-cost flow, checked by the independent checker, against a
  greedy baseline (best fits first) for the quality ratio.
* the same assignment on a **10× smaller** instance (30 experts, 500 proposals): the min-cost
  flow against CP-SAT on the same model (one worker), which must reach the same optimum.
* the explanation of an **infeasible** instance (the same experts at most 49 each: 14,700 <
  15,000 evaluations).
* **through the database** (issue 18, ADR 0025; SQLite file): the same 300 experts and 5,000
  proposals stored as rows (each proposal a consortium of three of 1,000 registry
  organisations, each expert working for one of them, texts of random topic words): the
  officer's panel (conflicts of interest from the registry), the assignment (fit of every
  pair, min-cost flow, 15,000 rows written), the ranking and selection from the stored
  consensus scores, and the XLSX of the ranked list.

Run with ``make bench-selection`` (or ``python benchmarks/bench_selection.py --seed 2``).
"""

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from clusterbridge.db import migrate
from clusterbridge.db.models import (
    ConsensusReport,
    Consortium,
    ConsortiumPartner,
    Expert,
    Organisation,
    ProgrammeCall,
    Proposal,
    User,
)
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ProposalState, UserRole
from clusterbridge.engines.selection.assignment import (
    AssignmentProblem,
    AssignStatus,
    check_assignment,
    scaled,
)
from clusterbridge.engines.selection.flow import solve_assignment, solve_assignment_cp_sat
from clusterbridge.engines.selection.select import select
from clusterbridge.services.selection import assignment as assigning
from clusterbridge.services.selection import letters, outcome, parse_selection

T = TypeVar("T")
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
CRITERIA = [
    {"id": "relevance", "max": 30, "threshold": 21},
    {"id": "design", "max": 30, "threshold": 21},
    {"id": "team", "max": 30, "threshold": 21},
    {"id": "impact", "max": 10, "threshold": 7},
]


def timed(function: Callable[[], T]) -> tuple[T, float]:
    """The value and the CPU seconds of this process (the machine may be shared: wall time
    would count the waits)."""
    started = time.process_time()
    value = function()
    return value, time.process_time() - started


def run_child(arguments: list[str]) -> tuple[bytes, float, float]:
    """Standard output, CPU seconds and wall seconds of a new process running arguments."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(arguments, capture_output=True, check=True)  # noqa: S603 -- our own command
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return done.stdout, cpu, wall


def selection_document(count: int, rng: random.Random) -> dict[str, Any]:
    proposals = []
    for number in range(count):
        scores = {
            c["id"]: rng.randrange(int(c["max"]) * 2 * 5 // 10, int(c["max"]) * 2 + 1) / 2
            for c in CRITERIA
        }
        proposals.append(
            {
                "id": f"P{number:05d}",
                "strand": str(rng.randint(1, 15)),
                "requested": rng.randrange(1_000_000, 3_000_001, 50_000),
                "eligible": rng.random() > 0.1,
                "scores": scores,
            }
        )
    return {
        "budget": 42_000_000, "max_projects": 16, "strand_minimum": {"1": 8},
        "on_overflow": "skip", "criteria": CRITERIA, "overall_threshold": 70,
        "tie_break": ["uncovered_strand", "relevance", "impact"], "proposals": proposals,
    }  # fmt: skip


def bench_selection(count: int, rng: random.Random) -> None:
    document = selection_document(count, rng)
    problem, read = timed(lambda: parse_selection(document, source="bench"))
    result, engine = timed(lambda: select(problem))
    _, baseline = timed(
        lambda: sorted(document["proposals"], key=lambda p: -sum(p.get("scores", {}).values()))
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "call.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        tool = [sys.executable, "-m", "clusterbridge"]
        output, whole, wall = run_child([*tool, "selection", "rank", str(path), "--format", "json"])
        _, start_up, start_wall = run_child([*tool, "--version"])
    assert json.loads(output)["selected"] == list(result.selected)
    print(f"rank and select {count:,} proposals ({len(result.ranking):,} pass, "
          f"{len(result.selected)} selected, {len(result.ties_left)} ties left)")  # fmt: skip
    print(f"  read and validate the document  {read:7.3f} s")
    print(f"  rank and select (engine)        {engine:7.3f} s")
    print(f"  baseline: sort by total         {baseline:7.3f} s   engine / baseline = "
          f"{engine / baseline:5.1f}x")  # fmt: skip
    print(f"  whole command, new process      {whole:7.3f} s   (wall {wall:.3f} s)")
    print(f"  baseline: clusterbridge --version {start_up:5.3f} s   (wall {start_wall:.3f} s)   "
          f"command / start-up = {whole / start_up:4.1f}x")  # fmt: skip


def assignment_problem(
    experts: int, proposals: int, *, max_load: int, rng: random.Random
) -> AssignmentProblem:
    expert_ids = tuple(f"E{i:03d}" for i in range(experts))
    proposal_ids = tuple(f"P{i:05d}" for i in range(proposals))
    fits = max(1, proposals // 50)
    affinity = {
        (e, p): round(rng.random(), 3) for e in expert_ids for p in rng.sample(proposal_ids, fits)
    }
    conflicts = frozenset(
        (rng.choice(expert_ids), rng.choice(proposal_ids)) for _ in range(proposals // 5)
    )
    return AssignmentProblem(expert_ids, proposal_ids, 3, max_load, affinity, conflicts)


def greedy(problem: AssignmentProblem) -> int:
    """Best fits first, within loads and conflicts; 0-fit pairs fill what is left."""
    load = dict.fromkeys(problem.experts, 0)
    cover = dict.fromkeys(problem.proposals, 0)
    taken: set[tuple[str, str]] = set()
    total = 0
    pairs = sorted(problem.affinity.items(), key=lambda item: -item[1])
    rest = ((e, p) for p in problem.proposals for e in problem.experts)
    for expert, proposal in [*(pair for pair, _ in pairs), *rest]:
        if (
            (expert, proposal) in taken or not problem.allowed(expert, proposal)
            or load[expert] >= problem.max_load or cover[proposal] >= problem.per_proposal
        ):  # fmt: skip
            continue
        taken.add((expert, proposal))
        load[expert] += 1
        cover[proposal] += 1
        total += scaled(problem.fit(expert, proposal))
    return total


def bench_assignment(experts: int, proposals: int, rng: random.Random) -> None:
    load = math.ceil(3 * proposals / experts) + 5
    problem = assignment_problem(experts, proposals, max_load=load, rng=rng)
    result, seconds = timed(lambda: solve_assignment(problem))
    assert result.status is AssignStatus.OPTIMAL
    assert check_assignment(problem, [(p.expert, p.proposal) for p in result.pairs]) == []
    base, greedy_seconds = timed(lambda: greedy(problem))
    optimum = sum(scaled(p.affinity) for p in result.pairs)
    print(f"assign {experts} experts to {proposals:,} proposals (3 each, at most {load}; "
          f"{len(problem.affinity):,} affinities, {len(problem.conflicts)} conflicts)")  # fmt: skip
    print(f"  min-cost flow (exact)           {seconds:7.3f} s   total affinity "
          f"{result.total_affinity:.3f}")  # fmt: skip
    print(f"  baseline: greedy by best fit    {greedy_seconds:7.3f} s   total affinity "
          f"{base / 1e6:.3f}   optimum / greedy = {optimum / base:5.3f}")  # fmt: skip

    small = assignment_problem(experts // 10, proposals // 10, max_load=load, rng=rng)
    flow, flow_seconds = timed(lambda: solve_assignment(small))
    sat, sat_seconds = timed(lambda: solve_assignment_cp_sat(small, time_limit=300, workers=1))
    assert sat.status is AssignStatus.OPTIMAL
    assert sat.total_affinity == flow.total_affinity
    print(f"10x smaller ({experts // 10} experts, {proposals // 10} proposals), same optimum "
          f"{flow.total_affinity:.3f}:")  # fmt: skip
    print(f"  min-cost flow                   {flow_seconds:7.3f} s")
    print(f"  baseline: CP-SAT, 1 worker      {sat_seconds:7.3f} s   CP-SAT / flow = "
          f"{sat_seconds / flow_seconds:6.1f}x")  # fmt: skip

    tight = assignment_problem(experts, proposals, max_load=3 * proposals // experts - 1, rng=rng)
    failed, failed_seconds = timed(lambda: solve_assignment(tight))
    assert failed.status is AssignStatus.INFEASIBLE
    [deficiency] = failed.deficiencies
    print(f"infeasible (at most {tight.max_load} each): explained in {failed_seconds:.3f} s: "
          f"{len(deficiency.proposals):,} proposals need {deficiency.needed:,}, "
          f"at most {deficiency.available:,}")  # fmt: skip


TOPICS = [f"topic{number}" for number in range(400)]


#: The benchmark's accounts never sign in: no hash matches it.
NO_SIGN_IN = "!"


def user(name: str, role: UserRole = UserRole.ORGANISATION_MEMBER) -> User:
    """An account ``name@bench.example`` that cannot sign in."""
    return User(email=f"{name}@bench.example", name=name, password_hash=NO_SIGN_IN, role=role)


def _seed_evaluation(session: Session, experts: int, proposals: int, rng: random.Random) -> int:
    """The call, its proposals, the pool and the registry (see the module); the call's id."""
    organisations = [
        Organisation(name=f"Org {n}", name_key=f"org {n}", country="DE") for n in range(1000)
    ]
    session.add_all(organisations)
    applicant = user("applicant")
    call = ProgrammeCall(identifier="BENCH", title="Bench", call_file="", selection={
        "budget": 42_000_000, "max_projects": 16, "strand_minimum": {"1": 8},
        "criteria": CRITERIA, "overall_threshold": 70, "tie_break": ["uncovered_strand"],
    })  # fmt: skip
    session.add_all([applicant, call])
    session.flush()
    for number in range(proposals):
        consortium = Consortium(name=f"C{number}", owner=applicant, members=[], partners=[
            ConsortiumPartner(position=k + 1, organisation=organisation)
            for k, organisation in enumerate(rng.sample(organisations, 3))
        ])  # fmt: skip
        session.add(Proposal(
            call=call, applicant=applicant, consortium=consortium, acronym=f"P{number}",
            title=f"Proposal {number}", summary=" ".join(rng.sample(TOPICS, 8)),
            strand=str(1 + number % 15), requested_grant=rng.randrange(1, 30) * 100_000,
            state=ProposalState.SUBMITTED, submitted_at=NOW, eligible=rng.random() > 0.1,
        ))  # fmt: skip
    for number in range(experts):
        session.add(Expert(user=user(f"expert{number}"), organisation=rng.choice(organisations),
                           expertise=" ".join(rng.sample(TOPICS, 12)), ecosystems=[],
                           technologies=[]))  # fmt: skip
    session.flush()
    return call.id


def _store_consensus(session: Session, call_id: int, rng: random.Random) -> None:
    """A submitted consensus for every eligible proposal, its rapporteur the first expert."""
    seen: set[int] = set()
    for assignment in repository.assignments_of_call(session, call_id):
        if assignment.proposal_id in seen:
            continue
        seen.add(assignment.proposal_id)
        scores = {c["id"]: str(rng.randrange(c["max"] // 2, c["max"] + 1)) for c in CRITERIA}
        session.add(
            ConsensusReport(
                proposal_id=assignment.proposal_id,
                rapporteur_id=assignment.id,
                scores=scores,
                comments=dict.fromkeys(scores, "Agreed."),
                submitted_at=NOW,
            )
        )
    session.flush()


def bench_persistence(experts: int, proposals: int, rng: random.Random) -> None:
    """The evaluation through the database (see the module)."""
    load = math.ceil(3 * proposals / experts) + 5
    with tempfile.TemporaryDirectory() as folder:
        database = Database.connect(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        migrate.upgrade(database.engine)
        with database.unit_of_work() as session:
            officer = user("officer", UserRole.PROGRAMME_OFFICER)
            session.add(officer)
            call_id, seeding = timed(lambda: _seed_evaluation(session, experts, proposals, rng))
            panel, panel_seconds = timed(
                lambda: assigning.call_panel(session, officer, call_id, now=NOW)
            )
            assigned, assign_seconds = timed(lambda: assigning.assign_experts(
                session, officer, call_id, per_proposal=3, max_load=load, now=NOW
            ))  # fmt: skip
            _store_consensus(session, call_id, rng)
            ranked, rank_seconds = timed(lambda: outcome.rank_call(session, officer, call_id,
                                                                    now=NOW))  # fmt: skip
            workbook, xlsx_seconds = timed(lambda: letters.selection_xlsx(session, officer,
                                                                          call_id))  # fmt: skip
        database.dispose()
    print(f"through the database (SQLite): {experts} experts, {proposals:,} proposals "
          f"({len(panel.evaluated()):,} eligible), seeded in {seeding:.1f} s")  # fmt: skip
    print(f"  panel: {len(panel.conflicts):,} conflicts found   {panel_seconds:7.3f} s")
    print(f"  assign (fit, flow, {len(assigned.assignments):,} rows)  {assign_seconds:7.3f} s")
    print(f"  rank and select, decisions stored {rank_seconds:7.3f} s   "
          f"{len(ranked.selected)} selected of {len(ranked.decisions):,}")  # fmt: skip
    print(f"  ranked list as XLSX ({len(workbook) // 1024} KiB)  {xlsx_seconds:7.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=5000)
    parser.add_argument("--experts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bench_selection(args.proposals, rng)
    bench_assignment(args.experts, args.proposals, rng)
    bench_persistence(args.experts, args.proposals, rng)


if __name__ == "__main__":
    main()
