"""Memory of one web process with the partner-matching index: built in the process (as every
web process did before ADR 0028) or opened from the shared store (memory-mapped).

    CLUSTERBRIDGE_DATA_DIR=/tmp/demo .venv/bin/python benchmarks/bench_index_memory.py

Each mode runs in a fresh process: the web application is created (``build_app``), one
suggestion is asked for through the API, and the process's memory is read from ``/proc``:
RSS, its anonymous part (private to the process) and its file-backed part (the page cache,
shared by every process that maps the same files), and PSS (file pages divided between the
processes that map them). ``read-into-process`` holds the stored index copied into the
process's own memory, as when each process read a saved pickle. The shared store must have been built (``clusterbridge index build``).
"""

import json
import subprocess
import sys
import time

MODES = ("app-only", "built-in-process", "read-into-process", "shared-store")
CHILD = r"""
import gc, json, sys, time
from fastapi.testclient import TestClient
from clusterbridge.config import get_settings
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.web import app as web_app

mode = sys.argv[1]
settings = get_settings()
# No background opening: the index is read (or built) below, in the foreground, once.
web_app.warm_up = lambda cache, database: None
if mode == "built-in-process":
    web_app.shared_index = lambda settings: MatchIndexCache()
app = web_app.build_app(settings)
state = app.state.clusterbridge
started = time.perf_counter()
if mode != "app-only":
    with state.database.unit_of_work() as session:
        index = state.matching.get(session)
if mode == "read-into-process":
    # What a process held when it read a saved index into its own memory (a pickle, before
    # ADR 0028): every array copied out of the mapped files.
    import pickle
    index = pickle.loads(pickle.dumps(index, protocol=5))
    state.matching._index = index
seconds = time.perf_counter() - started
gc.collect()

def read(path, keys):
    found = {}
    for line in open(path):
        name, _, value = line.partition(":")
        if name in keys:
            found[name] = int(value.split()[0]) // 1024
    return found

memory = read("/proc/self/status", {"VmRSS", "RssAnon", "RssFile"})
memory.update(read("/proc/self/smaps_rollup", {"Pss"}))
print(json.dumps({"mode": mode, "index_seconds": round(seconds, 2), **memory}))
"""


def measure(mode: str) -> dict[str, object]:
    """One fresh process in ``mode``; its figures (MB)."""
    done = subprocess.run(  # noqa: S603 -- this interpreter and our own script
        [sys.executable, "-c", CHILD, mode], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Print one line per mode."""
    print(f"{'mode':18} {'index s':>8} {'RSS MB':>7} {'anon MB':>8} {'file MB':>8} {'PSS MB':>7}")
    for mode in MODES:
        started = time.perf_counter()
        row = measure(mode)
        print(
            f"{mode:18} {row['index_seconds']:>8} {row['VmRSS']:>7} {row['RssAnon']:>8} "
            f"{row['RssFile']:>8} {row['Pss']:>7}   ({time.perf_counter() - started:.0f} s)"
        )


if __name__ == "__main__":
    main()
