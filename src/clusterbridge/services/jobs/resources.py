"""What some tasks need besides the database and the settings: the call catalogue of the call
files and the partner-matching index. A web process registers its own (`register_resources`),
so that a job it runs in its threads (no broker) shares its index; any other process (a Celery
worker, ``clusterbridge worker``, a waiting command) loads them once, on first use, and keeps
them for every later job (`resources_for`). They are kept by the database's engine: the
copies of a `Database` that hand on queued jobs (`Database.with_dispatch`) share them."""

import threading
import weakref
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.calls.catalogue import Catalogue, load_catalogue
from clusterbridge.services.matching.index import MatchIndexCache, configured_cache


@dataclass(frozen=True)
class TaskResources:
    """The call files' catalogue (the calls authored in the app are added per job) and the
    matching index of one process."""

    catalogue: Catalogue
    matching: MatchIndexCache


_lock = threading.Lock()
_registered: "weakref.WeakKeyDictionary[Engine, TaskResources]" = weakref.WeakKeyDictionary()


def register_resources(database: Database, resources: TaskResources) -> None:
    """Have the jobs this process runs on ``database`` use ``resources`` (the web application's
    catalogue and its shared, never-built-here index)."""
    with _lock:
        _registered[database.engine] = resources


def resources_for(database: Database, settings: Settings) -> TaskResources:
    """The resources registered for ``database``; else the call files of ``settings`` and an
    index kept in its cache folder (read from the shared store, built there when missing:
    this process is a worker), made once and kept."""
    with _lock:
        found = _registered.get(database.engine)
        if found is None:
            folders = [settings.calls_dir] if settings.calls_dir else []
            found = TaskResources(load_catalogue(folders), configured_cache(settings))
            _registered[database.engine] = found
        return found
