"""``clusterbridge serve --workers 2`` on a real port: two web processes share the database,
the sessions, the sign-in limits (Redis) and the matching index, and both answer."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest

from clusterbridge.config import Settings
from clusterbridge.db import migrate
from clusterbridge.db.session import Database
from clusterbridge.services.matching.shared import build_matching_index
from tests.factories.matching import make_matching_registry
from tests.factories.users import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CLUSTERBRIDGE = Path(sys.executable).parent / "clusterbridge"
REDIS = shutil.which("redis-server")
EMAIL = "manager@cluster.example"


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
        return port


def _wait(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis server of this test's own."""
    if REDIS is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    server = subprocess.Popen([REDIS, "--port", str(port), "--save", ""], stdout=subprocess.DEVNULL)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def deployment(tmp_path: Path, redis_url: str) -> Iterator[tuple[str, list[int]]]:
    """``serve --workers 2`` over a SQLite file with the matching registry and a user, the
    index built beforehand; the base URL and the web processes' ids."""
    data_dir = tmp_path / "data"
    url = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    database = Database.connect(url)
    migrate.upgrade(database.engine)
    with database.unit_of_work() as session:
        make_matching_registry(session)
        make_user(session, email=EMAIL)
    settings = Settings(data_dir=data_dir, database_url=url, matching_embeddings=False)
    build_matching_index(database, settings)
    database.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "CLUSTERBRIDGE_DATA_DIR": str(data_dir),
        "CLUSTERBRIDGE_DATABASE_URL": url,
        "CLUSTERBRIDGE_MATCHING_EMBEDDINGS": "false",
        "CLUSTERBRIDGE_RATE_LIMIT_STORAGE": redis_url,
        "CLUSTERBRIDGE_SIGN_IN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
    }
    command = [str(CLUSTERBRIDGE), "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/api/calls")
        yield f"http://127.0.0.1:{port}", _web_processes(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _web_processes(supervisor: int) -> list[int]:
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    return [
        int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _written(pid: int) -> int:
    """Bytes the process has written (its answers on the sockets among them)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError("no wchar")


def _sign_in(client: httpx.Client, password: str) -> int:
    form = client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    data = {"csrf_token": token[1], "next": "/", "email": EMAIL, "password": password}
    return client.post("/sign-in", data=data).status_code


def _ask(base_url: str, cookies: httpx.Cookies, organisation_id: int) -> tuple[int, int, str]:
    """One request on a connection of its own: the signed-in home page, a search and the
    suggestions panel."""
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=60) as client:
        home = client.get("/")
        search = client.get("/api/organisations", params={"text": "steel"})
        panel = client.get(f"/organisations/{organisation_id}/suggestions")
    signed_in = "Sign out" in home.text
    names = re.findall(r"<strong>([^<]+)</strong>", panel.text)
    return search.status_code, int(signed_in), ",".join(names)


def test_two_web_processes_share_sessions_limits_and_the_index(
    deployment: tuple[str, list[int]],
) -> None:
    base_url, processes = deployment
    written = {pid: _written(pid) for pid in processes}
    with httpx.Client(base_url=base_url, timeout=60) as client:
        signed_in = _sign_in(client, PASSWORD)
        cookies = client.cookies
        steel = client.get("/api/organisations", params={"text": "steel"}).json()["items"][0]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _n: _ask(base_url, cookies, steel["id"]), range(24)))
    wrong = []
    for _attempt in range(4):
        with httpx.Client(base_url=base_url, timeout=60) as fresh:
            wrong.append(_sign_in(fresh, "not the password"))

    assert len(processes) == 2
    assert signed_in == 303
    assert {answer[:2] for answer in answers} == {(200, 1)}
    assert len({answer[2] for answer in answers}) == 1
    assert answers[0][2] != ""
    assert [_written(pid) > written[pid] for pid in processes] == [True, True]
    # "3 per 15 minutes" for the account, counted in Redis whichever process answers: the
    # successful sign-in cleared the count, so 3 wrong passwords pass and the 4th is refused.
    assert wrong == [400, 400, 400, 429]
