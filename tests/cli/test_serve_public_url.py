"""``clusterbridge serve`` (and ``demo``, through the same helper) without a configured public
address: the links in mails point where the server listens, and the command says so; a
configured address is kept."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from clusterbridge.services.mail import Mail
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e]

CLUSTERBRIDGE = Path(sys.executable).parent / "clusterbridge"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
#: Seconds to wait for the server to answer and for its mail to be written.
WAIT_SECONDS = 30


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def _serving(tmp_path: Path, port: int, **settings: str) -> Iterator[list[str]]:
    """``serve --port port`` until the block ends; yields the lines it printed up to the
    "running on" line."""
    environment = {
        key: value for key, value in os.environ.items() if key != "CLUSTERBRIDGE_PUBLIC_URL"
    }
    environment |= {
        "CLUSTERBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "CLUSTERBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'links.sqlite3'}",
        **settings,
    }
    server = subprocess.Popen(
        [str(CLUSTERBRIDGE), "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline()]
        while lines[-1] and not lines[-1].startswith("clusterbridge is running"):
            lines.append(server.stdout.readline())
        yield lines
    finally:
        server.terminate()
        server.wait(timeout=20)
        if server.stdout is not None:
            server.stdout.close()


def _register(port: int, mail_folder: Path) -> Mail:
    """Register an account through the web form; the welcome mail it gets."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    site = f"http://127.0.0.1:{port}"
    with browser.open(f"{site}/register", timeout=WAIT_SECONDS) as page:
        form = CSRF_FIELD.search(page.read().decode())
    assert form is not None
    fields = {
        "name": "Nina Newcomer",
        "email": "nina@example.eu",
        "password": "a long enough password",
        "role": "cluster_manager",
        "csrf_token": form.group(1),
    }
    with browser.open(
        f"{site}/register", urllib.parse.urlencode(fields).encode(), timeout=WAIT_SECONDS
    ) as answer:
        assert answer.url == f"{site}/register/sent"
    deadline = time.monotonic() + WAIT_SECONDS
    while not (mails := read_mail(mail_folder)) and time.monotonic() < deadline:
        time.sleep(0.2)
    [mail] = mails
    return mail


def _links(mail: Mail) -> list[str]:
    return re.findall(r"https?://\S+", mail.body)


def test_without_a_public_url_mails_link_to_the_port_served_on(tmp_path: Path) -> None:
    port = _free_port()

    with _serving(tmp_path, port) as lines:
        mail = _register(port, tmp_path / "data" / "mail")

    assert lines == [
        f"Links in e-mails point to http://127.0.0.1:{port} (set CLUSTERBRIDGE_PUBLIC_URL to "
        "the address users reach).\n",
        f"clusterbridge is running on http://127.0.0.1:{port}  (press Ctrl+C to stop)\n",
    ]
    assert _links(mail) == [f"http://127.0.0.1:{port}/sign-in"]


def test_a_configured_public_url_is_kept(tmp_path: Path) -> None:
    port = _free_port()

    with _serving(tmp_path, port, CLUSTERBRIDGE_PUBLIC_URL="https://cb.example.org") as lines:
        mail = _register(port, tmp_path / "data" / "mail")

    assert lines == [
        f"clusterbridge is running on http://127.0.0.1:{port}  (press Ctrl+C to stop)\n"
    ]
    assert _links(mail) == ["https://cb.example.org/sign-in"]
