"""Eligibility throughput: 10,000 generated consortia of 3-20 partners against every call.

Prints consortium-call checks per second on one core (the process is single-threaded), the best
of several rounds, and two ratios measured in the same run:

* against the target of 20,000 checks per second (issue 2);
* against a baseline: the same consortia checked for SMP-COSME-2024-CLUSTER by a hand-written
  Python function (two-valued, verdict only, no messages). It says what the declarative,
  explained, three-valued engine costs compared with hard-coding one call.

What is measured. Every check evaluates every rule of the call and builds the full report: each
rule's status, the verdict, and each finding's message and partners, ready to be read. Since
ADR 0007 the words are *deferred*: a message that lists partners (or countries) is built the
first time it is read, and partner names are kept as a bit mask until then. So:

* "engine, every call" (the figure for issue 2) reads only the verdict of each report, as
  ``--all-calls`` does for the strands it does not keep and a consortium builder does for most
  pairs it tries. Messages that list nobody are built; messages that list partners are not.
* "engine, every call, every message read" checks the same consortia against the same calls and
  also reads every finding's message and partners, as showing every report in full would.
* "engine, SMP-COSME-2024 only" indexes the consortium for each check (no index shared across
  calls) and keeps all its reports, reading only the verdicts.

Run with ``make bench`` (or ``python benchmarks/bench_eligibility.py --consortia 2000``).
"""

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from clusterbridge.domain.consortium import Application, Consortium, Partner
from clusterbridge.domain.eligibility.evaluate import evaluate, index_consortium
from clusterbridge.domain.enums import CLUSTER_TYPES, OrgType, Role
from clusterbridge.reference import (
    Period,
    RegionCategory,
    eu_member_state_codes,
    get_country_set,
    list_region_codes,
    region_category,
)
from clusterbridge.services.calls.catalogue import Catalogue, load_catalogue

TARGET_PER_SECOND = 20_000
NOW = datetime(2024, 12, 1, tzinfo=UTC)
TYPES = [
    (OrgType.CLUSTER_ORGANISATION, 50),
    (OrgType.CLUSTER_NETWORK, 5),
    (OrgType.SME, 20),
    (OrgType.TECHNOLOGY_CENTRE, 10),
    (OrgType.UNIVERSITY, 5),
    (OrgType.RESEARCH_ORGANISATION, 4),
    (OrgType.BUSINESS_NETWORK, 3),
    (OrgType.PUBLIC_BODY, 3),
]


def nuts3_codes() -> dict[str, list[str]]:
    """NUTS 2021 level-3 codes by country, to place generated partners in real regions."""
    codes: dict[str, list[str]] = {}
    for code in list_region_codes(2021, 3):
        codes.setdefault(code[:2], []).append(code)
    return codes


def generate(count: int, seed: int) -> list[Consortium]:
    """``count`` plausible consortia: mostly EU cluster organisations, some data missing."""
    rng = random.Random(seed)
    regions = nuts3_codes()
    eu = sorted(eu_member_state_codes())
    others = sorted(get_country_set("cosme_2014_2020").members | {"NO", "CH", "UK", "US"})
    kinds, weights = zip(*TYPES, strict=True)
    consortia = []
    for number in range(count):
        partners = []
        for position in range(rng.randint(3, 20)):
            country = rng.choice(eu) if rng.random() < 0.88 else rng.choice(others)
            nuts = (
                rng.choice(regions[country]) if country in regions and rng.random() < 0.8 else None
            )
            partners.append(
                Partner(
                    name=f"Organisation {number}-{position}",
                    country=country,
                    nuts=nuts,
                    type=rng.choices(kinds, weights)[0] if rng.random() < 0.95 else None,
                    legal_entity=True if rng.random() < 0.92 else rng.choice([None, False]),
                    eccp_registered=rng.choice([True, True, False, None]),
                    role=_role(rng, position),
                )
            )
        consortia.append(Consortium(tuple(partners)))
    return consortia


def _role(rng: random.Random, position: int) -> Role | None:
    if position == 0:
        return Role.COORDINATOR
    draw = rng.random()
    if draw < 0.80:
        return Role.BENEFICIARY
    if draw < 0.90:
        return Role.AFFILIATED_ENTITY
    return Role.ASSOCIATED_PARTNER if draw < 0.95 else None


def run_engine(catalogue: Catalogue, consortia: list[Consortium]) -> Counter[str]:
    """Check every consortium against every call (first strand), sharing the index per consortium."""
    verdicts: Counter[str] = Counter()
    for consortium in consortia:
        index = index_consortium(consortium)
        for call in catalogue.calls:
            strand = call.strands[0].id if call.strands else None
            application = Application(consortium, strand, 24, 2_500_000)
            verdicts[evaluate(call, application, now=NOW, index=index).verdict.value] += 1
    return verdicts


def run_engine_reading(catalogue: Catalogue, consortia: list[Consortium]) -> int:
    """``run_engine``, also reading every finding's message and partners; returns their length."""
    length = 0
    for consortium in consortia:
        index = index_consortium(consortium)
        for call in catalogue.calls:
            strand = call.strands[0].id if call.strands else None
            application = Application(consortium, strand, 24, 2_500_000)
            report = evaluate(call, application, now=NOW, index=index)
            for finding in report.findings:
                length += len(finding.message) + len(finding.partners)
    return length


def handwritten_2024(consortium: Consortium) -> bool:
    """SMP-COSME-2024-CLUSTER coded by hand in two-valued logic (a missing value counts as no)."""
    eligible_countries = _eligible_2024()
    eu = eu_member_state_codes()
    applicants = [p for p in consortium.partners if p.role in (Role.COORDINATOR, Role.BENEFICIARY)]
    concerned = [*applicants, *(p for p in consortium.partners if p.role is Role.AFFILIATED_ENTITY)]
    if not all(p.legal_entity and p.country in eligible_countries for p in concerned):
        return False
    clusters = [p for p in applicants if p.type in CLUSTER_TYPES]
    registered = sum(1 for p in clusters if p.eccp_registered)
    less_developed = any(
        p.nuts
        and p.country in eu
        and region_category(p.nuts, Period.P2021_2027).category is RegionCategory.LESS_DEVELOPED
        for p in applicants
    )
    return (
        len(applicants) >= 3
        and len({p.country for p in clusters if p.country in eu}) >= 3
        and 2 * registered >= len(applicants)
        and less_developed
    )


def _eligible_2024() -> frozenset[str]:
    names = ("eu_member_states", "octs", "eea_efta", "smp_cosme_associated")
    return frozenset().union(*(get_country_set(n).members for n in names))


def best_time(work: Callable[[], object], rounds: int) -> float:
    """The best CPU time of ``rounds`` runs (CPU time resists the noise of a shared machine)."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consortia", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    catalogue = load_catalogue()
    consortia = generate(args.consortia, args.seed)
    checks = len(consortia) * len(catalogue.calls)
    verdicts = run_engine(catalogue, consortia)  # also warms the region caches
    engine = best_time(lambda: run_engine(catalogue, consortia), args.rounds)
    reading = best_time(lambda: run_engine_reading(catalogue, consortia), args.rounds)
    call = catalogue.get("SMP-COSME-2024-CLUSTER")
    single = best_time(
        lambda: [evaluate(call, Application(c, "1", 24), now=NOW) for c in consortia], args.rounds
    )
    baseline = best_time(lambda: [handwritten_2024(c) for c in consortia], args.rounds)

    sizes = [len(c.partners) for c in consortia]
    per_second = checks / engine
    print(
        f"consortia: {len(consortia):,} of {min(sizes)}-{max(sizes)} partners "
        f"(mean {sum(sizes) / len(sizes):.1f}); calls: {len(catalogue.calls)}; checks: {checks:,}"
    )
    print(f"verdicts: {dict(verdicts)}")
    print(
        f"engine, every call:          {per_second:>10,.0f} checks/s  "
        f"({engine / checks * 1e6:.1f} us per check, best of {args.rounds})"
    )
    print(
        f"  ratio to the target of {TARGET_PER_SECOND:,}/s:  {per_second / TARGET_PER_SECOND:.2f}x"
    )
    print(
        f"engine, every call, every message read: {checks / reading:>10,.0f} checks/s  "
        f"({reading / checks * 1e6:.1f} us per check; "
        f"{checks / reading / TARGET_PER_SECOND:.2f}x the target)"
    )
    print(f"engine, SMP-COSME-2024 only: {len(consortia) / single:>10,.0f} checks/s")
    print(f"baseline, hand-written 2024: {len(consortia) / baseline:>10,.0f} checks/s")
    print(f"  engine / baseline time for the same call: {single / baseline:.2f}x")


if __name__ == "__main__":
    main()
