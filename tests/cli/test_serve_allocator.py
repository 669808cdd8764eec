"""``serve`` limits how much freed memory glibc keeps in a web process (its arenas and mapping
threshold), for itself and, through the environment, for the processes of ``--workers``."""

import os

import pytest

from clusterbridge.cli.serve import limit_allocator_retention

pytestmark = pytest.mark.unit


def test_limit_allocator_retention_sets_the_defaults_and_keeps_an_administrators_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "262144")

    limit_allocator_retention()

    assert os.environ["MALLOC_ARENA_MAX"] == "2"
    assert os.environ["MALLOC_MMAP_THRESHOLD_"] == "262144"
