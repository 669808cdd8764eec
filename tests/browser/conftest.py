"""Browser tests: the real app served by uvicorn on a free port, driven by Debian's Chromium.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium``. Without it the
tests are skipped with a message, except in CI (``CI`` set), where that is an error.
"""

import fcntl
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import expect

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db import migrate
from clusterbridge.db.session import Database
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.app import create_app
from tests.conftest import Clock

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# A browser test waits for what a user would see; on a loaded machine (two pytest workers, each
# with a server and a browser, on two cores) a panel refresh can take longer than Playwright's
# default of 5 s.
expect.set_options(timeout=15_000)


#: axe-core, the accessibility checker, from the npm registry: installed once into this cache
#: (never committed), then injected into each page the tests check.
AXE_VERSION = "4"
AXE_CACHE = Path(
    os.environ.get("CLUSTERBRIDGE_AXE_CACHE", Path(__file__).parents[2] / ".cache" / "axe")
)
AXE_SCRIPT = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The source of ``axe.min.js``, installed with npm on first use (skipped without npm,
    except in CI, where that is an error)."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                pytest.fail("the accessibility checks need npm (apt-get install npm)")
            pytest.skip("the accessibility checks need npm (apt-get install npm)")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        # The pytest-xdist workers ask at once on a fresh machine: one installs, the others
        # wait for it (two npm installs into one folder break each other).
        with (AXE_CACHE / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not AXE_SCRIPT.exists():
                command = [
                    npm,
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(AXE_CACHE),
                ]
                subprocess.run(
                    [*command, f"axe-core@{AXE_VERSION}"], check=True, capture_output=True
                )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip browser tests visibly when Chromium is missing (and fail in CI)."""
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, headless, with the flags this machine's closed network needs."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: tests go to ``live_server.url``. (Overrides pytest-base-url's fixture, whose
    class-based definition pytest deprecates, a warning that this suite treats as an error.)"""
    return


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class LiveServer:
    """A uvicorn server in a thread of the test process."""

    def __init__(self, app: Any, *, database: Database, mail_dir: Path) -> None:
        self.database = database
        self.mail_dir = mail_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run (each worker its own): the template that
    every browser test copies instead of running the migrations again."""
    path = tmp_path_factory.mktemp("live-template") / "template.sqlite3"
    database = Database.connect(f"sqlite:///{path}")
    migrate.upgrade(database.engine)
    database.dispose()  # the last connection closed: the write-ahead log is in the file
    return path


@pytest.fixture
def live_database(tmp_path: Path, migrated_sqlite_file: Path) -> Iterator[Database]:
    """A fresh SQLite file per browser test, migrated to head (a copy of the template)."""
    path = tmp_path / "browser.sqlite3"
    shutil.copyfile(migrated_sqlite_file, path)
    path.chmod(0o600)
    database = Database.connect(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def live_server(live_database: Database, tmp_path: Path, clock: Clock) -> Iterator[LiveServer]:
    """The whole app on a free port, over ``live_database``, with the tests' clock (``NOW``
    until a test moves it)."""
    settings = Settings(data_dir=tmp_path / "data", secret_key="browser-secret-" + "y" * 32)
    state = AppState(settings, live_database, load_catalogue(), clock=clock)
    app = create_app(state)
    # The app's database hands the mail its sessions queue to the app's job queue (ADR 0035).
    with LiveServer(app, database=state.database, mail_dir=settings.resolved_mail_dir()) as server:
        yield server
