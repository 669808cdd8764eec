"""Waiting for background jobs in tests: through the API, as a client would."""

import time
from typing import Any

from fastapi.testclient import TestClient

#: The longest a test waits for a job, in seconds (a schedule solve in tests takes well under).
JOB_TIMEOUT = 60.0
FINISHED = frozenset({"succeeded", "failed", "cancelled"})


def wait_for_api_job(client: TestClient, location: str, headers: dict[str, str]) -> Any:
    """Read the job at ``location`` (``/api/jobs/{id}``) until it is over; returns it."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        response = client.get(location, headers=headers)
        assert response.status_code == 200, response.text
        job = response.json()
        if job["state"] in FINISHED or time.monotonic() > deadline:
            return job
        time.sleep(0.05)
