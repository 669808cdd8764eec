"""``clusterbridge serve`` and ``demo`` on a port another program holds: a clear error, exit code
2, and no "running on" line; on a free port the line comes once the socket is bound."""

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]

CLUSTERBRIDGE = Path(sys.executable).parent / "clusterbridge"


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CLUSTERBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "CLUSTERBRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'port.sqlite3'}",
    }


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_taken_port_is_a_clear_error_with_exit_code_2(tmp_path: Path, command: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]

        done = subprocess.run(
            [str(CLUSTERBRIDGE), command, "--port", str(port)],
            env=_environment(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: cannot listen on 127.0.0.1:{port}: port {port} is already in use by another "
        "program; stop that program or choose another port with --port (e.g. --port 8001).\n"
    )


def test_the_running_line_comes_once_the_server_answers(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(CLUSTERBRIDGE), "serve", "--port", str(port)],
        env=_environment(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        notice, line = server.stdout.readline(), server.stdout.readline()

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=10) as reply:
            status = reply.status
    finally:
        server.terminate()
        server.wait(timeout=20)
        if server.stdout is not None:
            server.stdout.close()

    assert notice == (
        f"Links in e-mails point to http://127.0.0.1:{port} (set CLUSTERBRIDGE_PUBLIC_URL to "
        "the address users reach).\n"
    )
    assert line == f"clusterbridge is running on http://127.0.0.1:{port}  (press Ctrl+C to stop)\n"
    assert status == 200


def test_several_workers_with_sign_in_limits_in_memory_are_refused(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]

    done = subprocess.run(
        [str(CLUSTERBRIDGE), "serve", "--port", str(port), "--workers", "2"],
        env={**_environment(tmp_path), "CLUSTERBRIDGE_RATE_LIMIT_STORAGE": "memory://"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: --workers 2 needs a shared store for sign-in limits; set "
        "CLUSTERBRIDGE_RATE_LIMIT_STORAGE (e.g. redis://127.0.0.1:6379/0), see "
        "docs/admin/deployment.md.\n"
    )
