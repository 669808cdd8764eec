"""A test deployment of clusterbridge on several hosts, made of network namespaces (issue 20).

Three hosts on this machine, each a network namespace with its own address on a private bridge
(10.231.N.0/24, a free N per run, so that runs side by side do not clash):

- ``cb-data-ID`` (``.2``): PostgreSQL (a throwaway cluster made with ``initdb``) and Redis (the
  broker), listening on that address only, with passwords;
- ``cb-web-ID`` (``.3``): ``clusterbridge serve`` on port 8000;
- ``cb-worker-ID`` (``.4``): ``clusterbridge worker`` (Celery).

This machine is ``.1`` on the bridge: the tests and an administrator reach every host from it.
The web and worker hosts share nothing but the settings (database, broker, secret key); each has
a data directory of its own (docs/admin/deployment.md says what else to share when it is used).

Run as root with the project's environment, e.g.::

    .venv/bin/python scripts/netns_deploy.py up            # prints the deployment as JSON
    .venv/bin/python scripts/netns_deploy.py down /tmp/cb-netns-1a2b3c

``up --no-worker`` leaves the worker host idle; ``worker RUN_DIR`` starts it later. ``down``
stops every process of the run, removes the namespaces, the bridge and the run directory, and is
safe to repeat; a failed ``up`` tears down what it had made.
"""

import argparse
import contextlib
import functools
import json
import os
import secrets
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from netns_hosts import (
    HOSTS,
    PG_PORT,
    REDIS_PORT,
    STOP_TIMEOUT,
    WEB_PORT,
    DeployError,
    address,
    load,
    make_network,
    run,
    save,
    start_postgres,
    start_redis,
    start_web,
    start_worker,
    wait_for_web,
    wait_for_worker,
)


def new_state(run_id: str, *, web_workers: int) -> dict[str, Any]:
    """The state of a new run: names, secrets and its directory (made here; others may only
    pass through it, as the ``postgres`` user must to reach its cluster's folder)."""
    run_dir = Path(f"/tmp/cb-netns-{run_id}")  # noqa: S108 -- a fresh folder, refused if it exists
    run_dir.mkdir()
    run_dir.chmod(0o711)
    return {
        "run_id": run_id,
        "run_dir": str(run_dir),
        "web_workers": web_workers,
        "bridge": f"cbbr{run_id}",
        "namespaces": {role: f"cb-{role}-{run_id}" for role in HOSTS},
        "made": [],
        "pids": {},
        "secrets": {
            "database": secrets.token_hex(16),
            "broker": secrets.token_hex(16),
            "key": secrets.token_urlsafe(48),
        },
    }


def describe(state: dict[str, Any]) -> None:
    """Fill in the addresses the processes and clients use."""
    data_host, secret = address(state, HOSTS["data"]), state["secrets"]
    state["hosts"] = {
        role: {"namespace": state["namespaces"][role], "address": address(state, number)}
        for role, number in HOSTS.items()
    }
    state["web_url"] = f"http://{address(state, HOSTS['web'])}:{WEB_PORT}"
    state["database_url"] = (
        f"postgresql+psycopg://clusterbridge:{secret['database']}@{data_host}:{PG_PORT}/clusterbridge"
    )
    state["broker_url"] = f"redis://:{secret['broker']}@{data_host}:{REDIS_PORT}/0"
    save(state)


@contextlib.contextmanager
def step(what: str) -> Iterator[None]:
    """Report on standard error how long ``what`` took."""
    started = time.monotonic()
    yield
    print(f"{what}: {time.monotonic() - started:.1f} s", file=sys.stderr)


def up(*, with_worker: bool, web_workers: int) -> dict[str, Any]:
    """Make the hosts and start every service; on any failure, tear down what was made."""
    state = new_state(secrets.token_hex(3), web_workers=web_workers)
    try:
        with step("network"):
            make_network(state)
            describe(state)
        with step("PostgreSQL"):
            start_postgres(state)
        with step("Redis"):
            start_redis(state)
        with step("web (migrates the database, then serves)"):
            start_web(state)
            wait_for_web(state)
        if with_worker:
            with step("worker"):
                start_worker(state)
                wait_for_worker(state)
    except BaseException:
        down(state)
        raise
    return state


def stop_processes(pids: list[int]) -> None:
    """SIGTERM to the process groups of ``pids``, SIGKILL to those still there after a while."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(map(is_running, pids)):
        time.sleep(0.05)
    for pid in filter(is_running, pids):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def is_running(pid: int) -> bool:
    """Whether process ``pid`` is still there (reaped here if it is a child that ended)."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False
    return Path(f"/proc/{pid}").exists()


def stop_services(state: dict[str, Any]) -> None:
    """The clusterbridge processes, then PostgreSQL (the data is thrown away: no checkpoint)."""
    stop_processes(list(state["pids"].values()))
    postgres = state.get("postgres")
    if postgres and Path(postgres["data"], "postmaster.pid").exists():
        run("runuser", "-u", "postgres", "--", postgres["pg_ctl"], "-D", postgres["data"],
            "-m", "immediate", "-w", "stop", check=False)  # fmt: skip


def sweep_namespace(namespace: str) -> None:
    """SIGKILL every process still in ``namespace`` (Redis, anything left), then delete it."""
    for _attempt in range(50):
        pids = run("ip", "netns", "pids", namespace, check=False).stdout.split()
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        time.sleep(0.1)
    run("ip", "netns", "del", namespace, check=False)


def down(state: dict[str, Any], *, keep: bool = False) -> None:
    """Stop everything of the run and remove its namespaces, bridge and (unless ``keep``) its
    directory. Each step runs even if one before it failed; safe to repeat."""
    steps: list[Callable[[], object]] = [lambda: stop_services(state)]
    steps += [functools.partial(sweep_namespace, namespace) for namespace in state["made"]]
    steps.append(lambda: run("ip", "link", "del", state["bridge"], check=False))
    if not keep:
        steps.append(lambda: shutil.rmtree(state["run_dir"], ignore_errors=True))
    failures = []
    for step in steps:
        try:
            step()
        except Exception as error:  # every step runs; failures are reported together
            failures.append(str(error))
    if failures:
        raise DeployError("; ".join(failures))


def main() -> int:
    """The command line: ``up``, ``worker RUN_DIR`` and ``down RUN_DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("up", help="make the hosts and start the services; print JSON")
    start.add_argument("--no-worker", action="store_true", help="leave the worker host idle")
    start.add_argument("--web-workers", type=int, default=1, help="web processes (serve --workers)")
    commands.add_parser("worker", help="start the worker host's worker").add_argument("run_dir")
    stop = commands.add_parser("down", help="stop everything and remove it")
    stop.add_argument("run_dir")
    stop.add_argument("--keep", action="store_true", help="keep the run directory (logs)")
    arguments = parser.parse_args()
    if os.geteuid() != 0:
        parser.error("needs root (network namespaces)")
    try:
        if arguments.command == "up":
            print(
                json.dumps(
                    up(with_worker=not arguments.no_worker, web_workers=arguments.web_workers),
                    indent=2,
                )
            )
        elif arguments.command == "worker":
            state = load(Path(arguments.run_dir))
            with step("worker"):
                start_worker(state)
                wait_for_worker(state)
        else:
            down(load(Path(arguments.run_dir)), keep=arguments.keep)
    except DeployError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
