"""Start-up time of the command line: ``clusterbridge --help`` and ``clusterbridge calls list``.

Each command runs as a fresh subprocess (as a user starts it), several times; the figures are the
median wall-clock time and the median CPU time (user + system) of the child, which a busy
shared machine inflates far less than the wall clock. Baselines measured in the same run:

* ``python -c pass``: the interpreter's own start-up, the floor;
* the eager start-up: every command module imported before ``--help`` is printed, as the
  command line did before each command was loaded only when it runs (issue 16: 3.9 s);
* ``import clusterbridge.web.app``: the web application alone, which the eager start-up loaded.

Target (issue 16): both commands under 0.5 s. Run with ``make bench-cli`` or
``python benchmarks/bench_cli_startup.py --runs 9``.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from clusterbridge.cli.app import COMMANDS

TARGET_SECONDS = 0.5
EAGER = (
    "import importlib\n"
    f"for module in {sorted({spec.module for spec in COMMANDS.values()})!r}:\n"
    "    importlib.import_module(module)\n"
    "from clusterbridge.cli.app import main\n"
    "main()"
)
CLI = "from clusterbridge.cli.app import main\nmain()"


def run_once(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds one fresh interpreter takes to run ``code`` with ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-c", code, *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_seconds(
    code: str, args: list[str], *, runs: int, env: dict[str, str]
) -> tuple[float, float]:
    """The medians of ``runs`` wall-clock and CPU timings, after one run that warms the file
    cache."""
    run_once(code, args, env)
    timings = [run_once(code, args, env) for _ in range(runs)]
    return (
        statistics.median(wall for wall, _cpu in timings),
        statistics.median(cpu for _wall, cpu in timings),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (median)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "CLUSTERBRIDGE_DATA_DIR": data_dir}
        env.pop("CLUSTERBRIDGE_CALLS_DIR", None)
        measure = {
            "python -c pass (floor)": ("pass", []),
            "eager start-up: every command imported, then --help": (EAGER, ["--help"]),
            "import clusterbridge.web.app": ("import clusterbridge.web.app", []),
            "clusterbridge --help": (CLI, ["--help"]),
            "clusterbridge calls list": (CLI, ["calls", "list"]),
        }
        figures = {
            name: median_seconds(code, args, runs=options.runs, env=env)
            for name, (code, args) in measure.items()
        }
    eager = figures["eager start-up: every command imported, then --help"]
    print(f"CLI start-up, median of {options.runs} runs each (fresh interpreters)")
    print(f"  {'':<55} {'wall':>8}  {'cpu':>8}  wall vs eager")
    for name, (wall, cpu) in figures.items():
        print(f"  {name:<55} {wall * 1000:5.0f} ms  {cpu * 1000:5.0f} ms  {wall / eager[0]:5.2f} x")
    for name in ("clusterbridge --help", "clusterbridge calls list"):
        wall, cpu = figures[name]
        verdict = "meets" if wall < TARGET_SECONDS else "MISSES"
        print(
            f"{name}: {wall * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU), "
            f"{eager[0] / wall:.1f} times faster than eager; {verdict} the "
            f"{TARGET_SECONDS * 1000:.0f} ms target"
        )
    print(
        f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
