"""Load benchmark: a realistic mix of requests against ``clusterbridge serve`` on PostgreSQL,
at rising concurrency, with 1 and 2 web processes (``make bench-load``).

What it does, all on this machine:

1. creates a throwaway PostgreSQL database (``CLUSTERBRIDGE_TEST_PG_ADMIN_URL``, default the
   local server as ``postgres``; dropped at the end) and loads the demo registry into it
   (``clusterbridge demo --no-serve``), builds the shared matching index
   (``clusterbridge index build``) and an API token for the demo account;
2. starts a Redis server of its own (sign-in limits shared by the web processes);
3. for 1 and then 2 web processes (``clusterbridge serve --workers N``): signs in through the
   web form, then runs the mix with ``--concurrency`` clients in a closed loop for
   ``--seconds`` each, then API search alone at a fixed rate (``--rate``, open loop);
4. prints, per run, throughput and p50/p95/p99 latency per mix item and overall, the errors
   (any status but the expected one, or no answer), and the ratio of 2 to 1 processes.

The load generator runs in this process (asyncio, httpx) on the same cores as the server, as
a real client would not: the figures are a lower bound of what the server does alone.
"""

# ruff: noqa: S603 -- every subprocess runs this package's own command line or redis-server

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import psycopg
from psycopg import sql

from load_client import Answer, ConnectionPool, get_request

ADMIN_URL = os.environ.get(
    "CLUSTERBRIDGE_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
CLI = [sys.executable, "-m", "clusterbridge"]
CALL = "SMP-COSME-2024-CLUSTER"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "consortium-template.csv"
#: Words people search the registry for (technologies, sectors, places).
SEARCH_WORDS = (
    "hydrogen", "robotics", "artificial intelligence", "textile", "food", "battery", "solar",
    "furniture", "aerospace", "health", "digital", "blockchain", "water", "agriculture",
    "recycling", "photonics", "wood", "cluster", "tourism", "automotive", "sensors", "plastics",
    "construction", "biotech", "logistics", "maritime", "energy", "steel", "ceramics", "wine",
)  # fmt: skip
#: The mix: item name → weight (share of the requests).
MIX = {
    "api_search": 30,
    "organisation_page": 20,
    "eligibility_check": 15,
    "suggestions": 10,
    "event_page": 10,
    "agenda": 15,
}
SECONDS_PER_MS = 1000.0


@dataclass
class Fixture:
    """What the requests use: the demo's sign-in, a token, organisation ids, the event."""

    base_url: str
    password: str
    token: str
    organisation_ids: list[int]
    event_id: int
    partners: list[dict[str, str | None]]


@dataclass
class Run:
    """The latencies (ms) and errors of one run, per mix item."""

    label: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)
    #: CPU seconds the web processes used during the run.
    cpu: float = 0.0
    #: CPU seconds this process (the load generator) used during the run.
    client_cpu: float = 0.0
    #: Connections the lean client opened (0 for httpx).
    connections: int = 0
    #: Requests the lean client sent again on a new connection (see load_client).
    retried: int = 0

    def total(self) -> int:
        """Requests answered as expected."""
        return sum(len(v) for v in self.latencies.values())


def main() -> None:
    """Prepare the database, run the benchmark for 1 and 2 processes, print the figures."""
    options = _options()
    with _workspace(options) as env, _redis(env):
        fixture_env = dict(env)
        results: dict[int, list[Run]] = {}
        before: dict[int, list[Run]] = {}
        for workers in options.workers:
            if options.baseline_python:
                before[workers] = _serve_and_run(
                    fixture_env, options, workers, python=str(options.baseline_python)
                )
            results[workers] = _serve_and_run(fixture_env, options, workers, python=sys.executable)
        _print_comparison(results)
        _print_before_after(before, results)


def _serve_and_run(
    env: dict[str, str], options: argparse.Namespace, workers: int, *, python: str
) -> list[Run]:
    """The runs of ``options`` against ``serve --workers`` run by ``python`` (this package's
    or a baseline's), and the memory of its web processes afterwards."""
    print(f"\n=== {workers} web process(es) served by {python}")
    with _server(env, workers, python) as (base_url, server):
        fixture = _fixture(env, base_url)
        with asyncio.Runner(loop_factory=_event_loop) as runner:
            runs = runner.run(_runs(fixture, options, workers, server))
        _print_memory(server)
    return runs


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's event loop (the server's too), the standard one when it is not installed."""
    try:
        import uvloop  # noqa: PLC0415 -- optional dependency
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each run")
    parser.add_argument("--concurrency", type=int, nargs="*", default=[4, 16, 48])
    parser.add_argument("--rate", type=float, nargs="*", default=[100.0, 300.0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--client",
        nargs="+",
        choices=["lean", "httpx"],
        default=["lean"],
        help="the client(s) of the open-loop search runs (httpx costs the shared cores more)",
    )
    parser.add_argument(
        "--items", nargs="+", choices=list(MIX), default=list(MIX), help="the mix items to send"
    )
    parser.add_argument(
        "--database-url", help="use this database (already loaded with the demo) and keep it"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="with --database-url: the data folder a --keep run left"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and data folder")
    parser.add_argument(
        "--baseline-python",
        type=Path,
        help="also serve with this interpreter first (another checkout's .venv/bin/python, "
        "e.g. of main) and print its figures against this package's",
    )
    return parser.parse_args()


@contextmanager
def _workspace(options: argparse.Namespace) -> Iterator[dict[str, str]]:
    """The environment of every command: a loaded database and a data folder."""
    if options.database_url:
        data_dir = options.data_dir or Path(tempfile.mkdtemp(prefix="bench-load-"))
        yield _env(options.database_url, data_dir)
        return
    name = f"clusterbridge_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    data_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    env = _env(f"{server}/{name}", data_dir)
    try:
        _prepare(env)
        yield env
    finally:
        if options.keep:
            print(f"\nKept: --database-url {env['CLUSTERBRIDGE_DATABASE_URL']}", end=" ")
            print(f"--data-dir {data_dir}")
        else:
            _drop(name, data_dir)


def _drop(name: str, data_dir: Path) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    shutil.rmtree(data_dir, ignore_errors=True)


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CLUSTERBRIDGE_DATABASE_URL": database_url,
        "CLUSTERBRIDGE_DATA_DIR": str(data_dir),
        # Many sign-ins from one address in a benchmark are not an attack.
        "CLUSTERBRIDGE_SIGN_IN_LIMIT_PER_ADDRESS": "100000 per 15 minutes",
    }


def _prepare(env: dict[str, str]) -> None:
    started = time.perf_counter()
    demo = subprocess.run(
        [*CLI, "demo", "--no-serve"], env=env, capture_output=True, text=True, check=False
    )
    if demo.returncode != 0:
        sys.exit(f"demo failed:\n{demo.stderr}")
    found = re.search(r"demo@clusterbridge\.example with the password (\S+)", demo.stdout)
    if found is None:
        sys.exit(f"no demo password in:\n{demo.stdout}")
    (Path(env["CLUSTERBRIDGE_DATA_DIR"]) / "demo-password").write_text(found[1], "utf-8")
    subprocess.run([*CLI, "index", "build"], env=env, check=True, capture_output=True)
    # The demo event's agenda is published, so that participants can read it.
    for step in (["schedule", "1", "--time-limit", "5"], ["publish", "1"]):
        subprocess.run([*CLI, "events", *step], env=env, check=True, capture_output=True)
    print(f"Prepared the demo registry on PostgreSQL in {time.perf_counter() - started:.0f} s")


@contextmanager
def _redis(env: dict[str, str]) -> Iterator[None]:
    """A Redis server of its own for the sign-in limits (memory:// if none is installed:
    then only one web process can run)."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield
        return
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    env["CLUSTERBRIDGE_RATE_LIMIT_STORAGE"] = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_port(port)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def _server(env: dict[str, str], workers: int, python: str) -> Iterator[tuple[str, int]]:
    port = _free_port()
    command = [python, "-m", "clusterbridge", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base_url}/api/calls")
        yield base_url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _fixture(env: dict[str, str], base_url: str) -> Fixture:
    data_dir = Path(env["CLUSTERBRIDGE_DATA_DIR"])
    token_file = data_dir / "bench-token"
    if not token_file.exists():
        created = subprocess.run(
            [*CLI, "tokens", "create", "--email", "demo@clusterbridge.example"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        token_file.write_text(created.stdout.strip(), "utf-8")
    with httpx.Client(base_url=base_url, timeout=60) as client:
        ids: list[int] = []
        for word in SEARCH_WORDS:
            page = client.get("/api/organisations", params={"text": word, "per_page": 20})
            found = page.json()
            # Every word finds results and facets: the runs check only each answer's start.
            assert found["items"], f"{word}: no results"
            assert found["facets"]["countries"], f"{word}: no facets"
            if word in SEARCH_WORDS[:10]:
                ids += [item["id"] for item in found["items"]]
        # Every web process answers each word once before the runs (each keeps its own search
        # cache; a process that had not would compute its facets during the first run).
        for _round in range(4):
            for word in SEARCH_WORDS:
                client.get("/api/organisations", params={"text": word, "per_page": 20})
        # The index may still be opening in a process: ask until suggestions answer.
        for _attempt in range(60):
            if client.get(f"/api/organisations/{ids[0]}/suggestions").status_code == 200:
                break
            time.sleep(1)
    return Fixture(
        base_url=base_url,
        password=(data_dir / "demo-password").read_text("utf-8"),
        token=token_file.read_text("utf-8"),
        organisation_ids=ids,
        event_id=1,
        partners=_partners(),
    )


def _partners() -> list[dict[str, str | None]]:
    import csv  # noqa: PLC0415 -- only here

    with EXAMPLE.open(encoding="utf-8", newline="") as stream:
        return [
            {key: value or None for key, value in row.items() if key != "id"}
            for row in csv.DictReader(stream)
        ]


async def _runs(
    fixture: Fixture, options: argparse.Namespace, workers: int, server: int
) -> list[Run]:
    runs = []
    for concurrency in options.concurrency:
        before = _server_cpu(server)
        run = await _closed_loop(fixture, concurrency, options.seconds, options.items)
        run.cpu = _server_cpu(server) - before
        mix = "mix" if len(options.items) == len(MIX) else "+".join(options.items)
        run.label = f"{workers} process(es), {mix}, {concurrency} clients"
        _print_run(run)
        runs.append(run)
    for rate in options.rate:
        for client in options.client:
            before = _server_cpu(server)
            run = await _open_loop(fixture, rate, options.seconds, client)
            run.cpu = _server_cpu(server) - before
            run.label = f"{workers} process(es), API search at {rate:.0f} req/s ({client} client)"
            _print_run(run)
            runs.append(run)
    return runs


def _web_pids(server: int) -> list[str]:
    children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
    web = [p for p in children if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return web or [str(server)]


def _server_cpu(server: int) -> float:
    """CPU seconds (user and system) the web processes of ``server`` have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _web_pids(server):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


async def _signed_in_client(fixture: Fixture) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        base_url=fixture.base_url,
        timeout=30,
        limits=httpx.Limits(max_connections=1000, max_keepalive_connections=1000),
    )
    form = await client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None, "no CSRF token on the sign-in form"
    answer = await client.post(
        "/sign-in",
        data={
            "csrf_token": token[1],
            "next": "/",
            "email": "demo@clusterbridge.example",
            "password": fixture.password,
        },
    )
    assert answer.status_code == 303, f"sign-in answered {answer.status_code}"
    return client


def _requests(
    fixture: Fixture,
) -> dict[str, Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]]:
    bearer = {"Authorization": f"Bearer {fixture.token}"}
    check_body = {"strand": "1", "duration_months": 24, "partners": fixture.partners}

    def org() -> int:
        return random.choice(fixture.organisation_ids)

    return {
        "api_search": lambda c: c.get(
            "/api/organisations", params={"text": random.choice(SEARCH_WORDS), "per_page": 20}
        ),
        "organisation_page": lambda c: c.get(f"/organisations/{org()}"),
        "eligibility_check": lambda c: c.post(f"/api/calls/{CALL}/check", json=check_body),
        "suggestions": lambda c: c.get(
            f"/api/organisations/{org()}/suggestions", params={"top": 10}, headers=bearer
        ),
        "event_page": lambda c: c.get(f"/events/{fixture.event_id}"),
        "agenda": lambda c: c.get(f"/events/{fixture.event_id}/agenda"),
    }


async def _timed(
    run: Run, name: str, send: Awaitable[httpx.Response], due: float | None = None
) -> None:
    started = time.perf_counter() if due is None else due
    try:
        response = await send
    except httpx.HTTPError as error:
        run.errors[name] += 1
        run.examples.setdefault(name, f"{type(error).__name__}: {error}")
        return
    elapsed = (time.perf_counter() - started) * SECONDS_PER_MS
    problem = (
        _search_problem(response.status_code, response.content)
        if name == "api_search"
        else None
        if response.status_code == 200
        else f"HTTP {response.status_code}: {response.text[:200]}"
    )
    if problem:
        run.errors[name] += 1
        run.examples.setdefault(name, problem)
        return
    run.latencies[name].append(elapsed)


async def _closed_loop(fixture: Fixture, concurrency: int, seconds: float, items: list[str]) -> Run:
    run = Run("")
    requests = _requests(fixture)
    names, weights = items, [MIX[name] for name in items]
    client = await _signed_in_client(fixture)
    deadline = time.perf_counter() + seconds

    async def user() -> None:
        while time.perf_counter() < deadline:
            name = random.choices(names, weights)[0]
            await _timed(run, name, requests[name](client))

    cpu = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(concurrency)))
    run.seconds = time.perf_counter() - started
    run.client_cpu = time.process_time() - cpu
    await client.aclose()
    return run


async def _open_loop(fixture: Fixture, rate: float, seconds: float, client: str) -> Run:
    """API search sent at ``rate`` per second whatever the answers' pace (as users arrive),
    by the lean client of ``load_client`` or by httpx (``client``)."""
    run = Run("")
    pool = ConnectionPool.of(fixture.base_url)
    requests = [
        get_request(fixture.base_url, "/api/organisations", {"text": word, "per_page": 20})
        for word in SEARCH_WORDS
    ]
    search = _requests(fixture)["api_search"]
    http = httpx.AsyncClient(
        base_url=fixture.base_url,
        timeout=30,
        limits=httpx.Limits(max_connections=1000, max_keepalive_connections=1000),
    )

    def send(due: float) -> Awaitable[None]:
        if client == "lean":
            return _timed_lean(run, pool.send(random.choice(requests)), due)
        return _timed(run, "api_search", search(http), due)

    pending: set[asyncio.Task[None]] = set()
    cpu = time.process_time()
    started = time.perf_counter()
    for number in range(int(rate * seconds)):
        due = started + number / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        # Timed from when it was due: a late generator counts against the latency.
        task = asyncio.create_task(send(due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    run.seconds = time.perf_counter() - started
    run.client_cpu = time.process_time() - cpu
    run.connections = pool.opened
    run.retried = pool.retried
    await pool.close()
    await http.aclose()
    return run


async def _timed_lean(run: Run, send: Awaitable[Answer], due: float) -> None:
    started = due
    try:
        answer = await send
    except (OSError, asyncio.IncompleteReadError, ValueError) as error:
        run.errors["api_search"] += 1
        run.examples.setdefault("api_search", f"{type(error).__name__}: {error}")
        return
    elapsed = (time.perf_counter() - started) * SECONDS_PER_MS
    problem = _search_problem(answer.status, answer.body)
    if problem:
        run.errors["api_search"] += 1
        run.examples.setdefault("api_search", problem)
        return
    run.latencies["api_search"].append(elapsed)


def _search_problem(status: int, body: bytes) -> str | None:
    """Why an answer of API search is not a page of results (None when it is one).

    Every answer's start and keys are checked (cheap); each word's page was parsed in full and
    found non-empty by ``_fixture`` before the run."""
    if status != 200:
        return f"HTTP {status}: {body[:200]!r}"
    if not body.startswith(b'{"items":[{') or b'"total":' not in body:
        return f"not a page of results: {body[:200]!r}"
    return None


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _line(name: str, values: list[float], errors: int, seconds: float) -> str:
    if not values:
        return f"  {name:18} {'-':>8} {'-':>8} {'-':>8} {'-':>8} {errors:>7}"
    p50, p95, p99 = (_percentile(values, q) for q in (0.5, 0.95, 0.99))
    rate = len(values) / seconds
    return f"  {name:18} {rate:>8.1f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {errors:>7}"


def _print_run(run: Run) -> None:
    print(f"\n{run.label} ({run.seconds:.1f} s)")
    print(f"  {'item':18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name in MIX:
        if name in run.latencies or name in run.errors:
            print(_line(name, run.latencies[name], run.errors[name], run.seconds))
    everything = [v for values in run.latencies.values() for v in values]
    print(_line("overall", everything, sum(run.errors.values()), run.seconds))
    answered = run.total() + sum(run.errors.values())
    if answered:
        per_request = run.cpu / answered * SECONDS_PER_MS
        print(
            f"  server CPU: {per_request:.2f} ms per request, so about "
            f"{SECONDS_PER_MS / per_request:.0f} req/s per idle core; load generator CPU: "
            f"{run.client_cpu / answered * SECONDS_PER_MS:.2f} ms per request"
            + (f" ({run.connections} connections)" if run.connections else "")
            + (f", {run.retried} sent again (idle connection closed)" if run.retried else "")
        )
    for name, example in run.examples.items():
        print(f"  first error of {name}: {example}")
    sys.stdout.flush()


def _print_comparison(results: dict[int, list[Run]]) -> None:
    if 1 not in results or 2 not in results:
        return
    print("\nThroughput, 2 processes / 1 process (same run settings):")
    for one, two in zip(results[1], results[2], strict=True):
        ratio = (two.total() / two.seconds) / max(one.total() / one.seconds, 1e-9)
        label = one.label.split(", ", 1)[1]
        print(f"  {label:40} {ratio:5.2f}x")


def _print_before_after(before: dict[int, list[Run]], after: dict[int, list[Run]]) -> None:
    """Per run: p95 and the server's CPU per request of the baseline and of this package."""
    if not before:
        return
    print("\nBaseline (--baseline-python) -> this package, same run settings:")
    for workers, runs in before.items():
        for old, new in zip(runs, after[workers], strict=True):
            print(f"  {new.label:58} p95 {_p95(old):8.1f} -> {_p95(new):7.1f} ms, ", end="")
            print(f"server CPU {_cpu_ms(old):5.2f} -> {_cpu_ms(new):5.2f} ms/request, ", end="")
            print(f"errors {_errors(old)} -> {_errors(new)}")


def _p95(run: Run) -> float:
    everything = [v for values in run.latencies.values() for v in values]
    return _percentile(everything, 0.95) if everything else float("nan")


def _errors(run: Run) -> int:
    return sum(run.errors.values())


def _cpu_ms(run: Run) -> float:
    return run.cpu / max(1, run.total() + _errors(run)) * SECONDS_PER_MS


def _print_memory(server: int) -> None:
    """RSS, its anonymous (private) part and PSS of each web process of ``server`` (MB)."""
    for pid in _web_pids(server):
        status = Path(f"/proc/{pid}/status").read_text()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        found = {
            name: int(re.search(rf"^{name}:\s+(\d+)", text, re.M)[1]) // 1024  # type: ignore[index]
            for name, text in (("VmRSS", status), ("RssAnon", status), ("Pss", rollup))
        }
        print(
            f"  web process {pid}: RSS {found['VmRSS']} MB (anonymous {found['RssAnon']} MB), "
            f"PSS {found['Pss']} MB"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"nothing listens on port {port}")


def _wait_for(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    sys.exit(f"the server did not answer {url}")


if __name__ == "__main__":
    main()
