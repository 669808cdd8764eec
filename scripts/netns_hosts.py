"""The hosts of the test deployment (`netns_deploy.py`): the private bridge and one network
namespace per host, the data host's PostgreSQL and Redis, and the clusterbridge processes of the
web and worker hosts. Every step records what it made in the run's state file first, so that
``down`` can remove it even after a failure.
"""

import contextlib
import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SUBNET_PREFIX = "10.231"
LOCK_FILE = Path("/run/clusterbridge-netns.lock")
STATE_FILE = "deployment.json"
HOSTS = {"data": 2, "web": 3, "worker": 4}
WEB_PORT = 8000
PG_PORT = 5432
REDIS_PORT = 6379
START_TIMEOUT = 120.0
STOP_TIMEOUT = 5.0
#: Sets the host name of the command it runs (in its own UTS namespace), then runs it.
SET_HOSTNAME = (
    "import os, socket, sys; socket.sethostname(sys.argv[1]); os.execvp(sys.argv[2], sys.argv[2:])"
)


class DeployError(RuntimeError):
    """A step of the deployment failed; the message says which and why."""


def run(*command: str, check: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``command``, capturing its output; DeployError with that output if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if check and done.returncode != 0:
        raise DeployError(f"{' '.join(command)} failed: {(done.stderr or done.stdout).strip()}")
    return done


def in_namespace(namespace: str, *command: str) -> tuple[str, ...]:
    """``command`` run inside ``namespace``."""
    return ("ip", "netns", "exec", namespace, *command)


def save(state: dict[str, Any]) -> None:
    """Write the state of the run, so that ``down`` finds what exists even after a failure."""
    path = Path(state["run_dir"]) / STATE_FILE
    path.touch(mode=0o600)  # it holds the passwords
    path.write_text(json.dumps(state, indent=2), encoding="utf-8")


def load(run_dir: Path) -> dict[str, Any]:
    """The state of the run in ``run_dir``."""
    state: dict[str, Any] = json.loads((run_dir / STATE_FILE).read_text(encoding="utf-8"))
    return state


# --- the network -----------------------------------------------------------------------------


@contextlib.contextmanager
def allocation_lock() -> Iterator[None]:
    """Hold the machine-wide lock while a run picks its subnet and makes its bridge."""
    with LOCK_FILE.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def free_subnet() -> int:
    """The lowest N whose 10.231.N.0/24 no interface of this machine uses."""
    used = run("ip", "-o", "-4", "addr", "show").stdout
    for number in range(1, 255):
        if f" {SUBNET_PREFIX}.{number}." not in used:
            return number
    raise DeployError(f"no free subnet {SUBNET_PREFIX}.N.0/24 left")


def make_network(state: dict[str, Any]) -> None:
    """The bridge with this machine's address, then one namespace per host joined to it."""
    run_id, bridge = state["run_id"], state["bridge"]
    with allocation_lock():
        state["subnet"] = free_subnet()
        run("ip", "link", "add", bridge, "type", "bridge")
        save(state)
        run("ip", "addr", "add", f"{address(state, 1)}/24", "dev", bridge)
    run("ip", "link", "set", bridge, "up")
    for role, number in HOSTS.items():
        make_host(state, role, f"cb{role[:2]}{run_id}", address(state, number))


def make_host(state: dict[str, Any], role: str, veth: str, host_address: str) -> None:
    """Namespace ``cb-ROLE-ID`` with ``eth0`` at ``host_address``, its peer on the bridge."""
    namespace = state["namespaces"][role]
    run("ip", "netns", "add", namespace)
    state["made"].append(namespace)
    save(state)
    run("ip", "link", "add", veth, "type", "veth", "peer", "name", f"{veth}p")
    run("ip", "link", "set", f"{veth}p", "netns", namespace)
    run("ip", "link", "set", veth, "master", state["bridge"], "up")
    run("ip", "-n", namespace, "link", "set", f"{veth}p", "name", "eth0")
    run("ip", "-n", namespace, "addr", "add", f"{host_address}/24", "dev", "eth0")
    run("ip", "-n", namespace, "link", "set", "eth0", "up")
    run("ip", "-n", namespace, "link", "set", "lo", "up")


def address(state: dict[str, Any], number: int) -> str:
    """The address ``number`` of the run's subnet."""
    return f"{SUBNET_PREFIX}.{state['subnet']}.{number}"


# --- the database and the broker on the data host --------------------------------------------


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program: on the PATH, else Debian's newest in /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_version)
    if not candidates:
        raise DeployError(
            f"{name} not found: install PostgreSQL's server (apt-get install postgresql)"
        )
    return str(candidates[-1])


def _version(path: Path) -> int:
    return int(path.parts[-3]) if path.parts[-3].isdigit() else 0


def start_postgres(state: dict[str, Any]) -> None:
    """A new cluster owned by ``postgres``, listening on the data host's address only, with the
    role and database ``clusterbridge`` (password login from the subnet, nothing else)."""
    run_dir, password = Path(state["run_dir"]), state["secrets"]["database"]
    pgdata, sockets = run_dir / "postgres", run_dir / "postgres-run"
    for folder in (pgdata, sockets):
        folder.mkdir(mode=0o700)
        shutil.chown(folder, "postgres", "postgres")
    as_postgres = ("runuser", "-u", "postgres", "--")
    run(*as_postgres, postgres_bin("initdb"), "-D", str(pgdata), "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256")  # fmt: skip
    subnet = f"{SUBNET_PREFIX}.{state['subnet']}.0/24"
    with (pgdata / "pg_hba.conf").open("a", encoding="utf-8") as hba:
        hba.write(f"host clusterbridge clusterbridge {subnet} scram-sha-256\n")
    options = (
        f"-c listen_addresses={address(state, HOSTS['data'])} -c port={PG_PORT}"
        f" -c unix_socket_directories={sockets} -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off"
    )
    state["postgres"] = {"data": str(pgdata), "pg_ctl": postgres_bin("pg_ctl")}
    save(state)
    start = (state["postgres"]["pg_ctl"], "-D", str(pgdata), "-l", str(sockets / "postgres.log"))
    namespace = state["namespaces"]["data"]
    run(*in_namespace(namespace, *as_postgres, *start, "-w", "-t", "30", "-o", options, "start"))
    psql = (*as_postgres, postgres_bin("psql"), "-h", str(sockets), "-U", "postgres", "-q")
    run(*in_namespace(namespace, *psql, "-c",
        f"CREATE ROLE clusterbridge LOGIN PASSWORD '{password}'"))  # fmt: skip
    run(*in_namespace(namespace, *psql, "-c", "CREATE DATABASE clusterbridge OWNER clusterbridge"))


def start_redis(state: dict[str, Any]) -> None:
    """A Redis server keeping nothing on disk, bound to the data host's address, with a
    password."""
    run_dir = Path(state["run_dir"])
    state["redis_pidfile"] = str(run_dir / "redis.pid")
    save(state)
    command = (
        shutil.which("redis-server") or "redis-server",
        "--bind", address(state, HOSTS["data"]), "--port", str(REDIS_PORT),
        "--requirepass", state["secrets"]["broker"], "--save", "", "--appendonly", "no",
        "--daemonize", "yes", "--pidfile", state["redis_pidfile"],
        "--logfile", str(run_dir / "redis.log"), "--dir", str(run_dir),
    )  # fmt: skip
    run(*in_namespace(state["namespaces"]["data"], *command))
    wait_for_port(address(state, HOSTS["data"]), REDIS_PORT, what="Redis")


def wait_for_port(host: str, port: int, *, what: str) -> None:
    """Return once ``host``:``port`` accepts a connection (from this machine, over the bridge)."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError as error:
            if time.monotonic() > deadline:
                raise DeployError(f"{what} did not answer on {host}:{port}: {error}") from None
            time.sleep(0.1)


# --- clusterbridge on the web and worker hosts ------------------------------------------------


def settings_env(state: dict[str, Any], role: str) -> dict[str, str]:
    """The environment of a clusterbridge process on host ``role``: this one's, less any
    ``CLUSTERBRIDGE_*`` setting, plus the deployment's settings and a data directory of its own."""
    data_host, secret = address(state, HOSTS["data"]), state["secrets"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERBRIDGE_")}
    data_dir = Path(state["run_dir"]) / f"{role}-data"
    data_dir.mkdir(mode=0o700, exist_ok=True)
    environment.update(
        CLUSTERBRIDGE_DATA_DIR=str(data_dir),
        CLUSTERBRIDGE_DATABASE_URL=state["database_url"],
        CLUSTERBRIDGE_BROKER_URL=state["broker_url"],
        CLUSTERBRIDGE_RATE_LIMIT_STORAGE=f"redis://:{secret['broker']}@{data_host}:{REDIS_PORT}/1",
        CLUSTERBRIDGE_SECRET_KEY=secret["key"],
        CLUSTERBRIDGE_PUBLIC_URL=state["web_url"],
    )
    return environment


def clusterbridge_command(state: dict[str, Any], role: str, *arguments: str) -> tuple[str, ...]:
    """``clusterbridge ARGUMENTS`` on host ``role``, with the host's name as its host name."""
    hostname = state["namespaces"][role]
    program = str(Path(sys.executable).parent / "clusterbridge")
    unshare = ("unshare", "--uts", sys.executable, "-c", SET_HOSTNAME, hostname)
    return in_namespace(hostname, *unshare, program, *arguments)


def start_process(state: dict[str, Any], role: str, *arguments: str) -> None:
    """Start ``clusterbridge ARGUMENTS`` on host ``role`` in its own process group, logging to
    ``ROLE.log`` in the run directory; its id is kept for ``down``."""
    with (Path(state["run_dir"]) / f"{role}.log").open("ab") as log:
        process = subprocess.Popen(
            clusterbridge_command(state, role, *arguments),
            env=settings_env(state, role),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    state["pids"][role] = process.pid
    save(state)


def start_web(state: dict[str, Any]) -> None:
    """Start ``clusterbridge serve`` with ``web_workers`` processes on the web host's address
    (`wait_for_web` waits for it); it migrates the database before it serves."""
    host, workers = address(state, HOSTS["web"]), str(state["web_workers"])
    start_process(
        state, "web", "serve", "--host", host, "--port", str(WEB_PORT), "--workers", workers
    )


def wait_for_web(state: dict[str, Any]) -> None:
    """Return once the web host's API answers."""
    wait_for_http(state, f"{state['web_url']}/api/organisations", role="web")


def start_worker(state: dict[str, Any]) -> None:
    """Start the Celery worker on the worker host (`wait_for_worker` waits for it)."""
    start_process(state, "worker", "worker", "--concurrency", "2", "--loglevel", "info")


def wait_for_http(state: dict[str, Any], url: str, *, role: str) -> None:
    """Return once ``url`` answers 200; DeployError (with the log) if the process ends first."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        check_alive(state, role)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 -- our URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise DeployError(
                f"{url} did not answer within {START_TIMEOUT:g} s:\n{log_tail(state, role)}"
            )
        time.sleep(0.2)


def wait_for_worker(state: dict[str, Any]) -> None:
    """Return once the worker of the worker host answers a Celery ping through the broker."""
    from celery import Celery  # noqa: PLC0415 -- optional dependency

    node = f"celery@{state['namespaces']['worker']}"
    app = Celery("clusterbridge", broker=state["broker_url"], set_as_current=False)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        check_alive(state, "worker")
        replies = app.control.ping(timeout=0.5)
        if any(node in reply for reply in replies):
            return
    raise DeployError(
        f"the worker {node} did not answer within {START_TIMEOUT:g} s:\n{log_tail(state, 'worker')}"
    )


def check_alive(state: dict[str, Any], role: str) -> None:
    """DeployError with the end of its log if the ``role`` process has ended."""
    pid = state["pids"][role]
    ended, _status = os.waitpid(pid, os.WNOHANG)
    if ended:
        raise DeployError(f"the {role} process ended:\n{log_tail(state, role)}")


def log_tail(state: dict[str, Any], role: str) -> str:
    """The end of the ``role`` process's log."""
    log = (Path(state["run_dir"]) / f"{role}.log").read_text(encoding="utf-8", errors="replace")
    return log[-3000:]
