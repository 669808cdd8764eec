"""The shared partner-matching index built by a worker (``index.build``, ADR 0034).

With a broker, a web process that finds the store missing or behind the registry submits this
job instead of starting a build process of its own (`index_build_requester`), and so does a
registry import that succeeded: at most one such job is queued or running at a time. Without
a broker a web process keeps starting ``clusterbridge index build`` in a process of its own
(`shared.spawn_index_build`): the job would run in the web process's threads, and the ~170 MB
a build takes would stay with every web process that ran one.

The build writes only the store (a new version written atomically, under the store's lock):
an attempt that died left the current version as it was, so the task is safe to run again.
"""

from collections.abc import Callable

from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.models import Job
from clusterbridge.db.repositories import jobs as repository
from clusterbridge.db.session import Database
from clusterbridge.services.jobs.context import TaskContext
from clusterbridge.services.jobs.rows import Dispatch, add_job
from clusterbridge.services.matching.shared import build_matching_index, spawn_index_build

INDEX_BUILD = "index.build"
#: Attempts of an index build: it writes its version atomically, so it may run again.
INDEX_BUILD_ATTEMPTS = 3
#: What the job's result says for each action of `build_matching_index`.
ACTIONS = {
    "read": "The partner-matching index is up to date",
    "updated": "Partner-matching index updated",
    "built": "Partner-matching index built",
    "busy": "Another build of the index was running; nothing done",
}


def queue_index_build(session: Session, *, dispatch: Dispatch) -> Job | None:
    """Queue an index build (no owner: it is the site's) unless one is queued or running
    already; None then. Handed to ``dispatch`` once ``session`` commits. Flushes."""
    if repository.find_unfinished_job(session, INDEX_BUILD) is not None:
        return None
    return add_job(
        session, None, INDEX_BUILD, {}, max_attempts=INDEX_BUILD_ATTEMPTS, dispatch=dispatch
    )


def workers_share_the_cache(settings: Settings) -> bool:
    """Whether workers build the index and write documents for every web process: a broker,
    and a cache folder shared by all (``shared_cache_dir``)."""
    return bool(settings.broker_url) and settings.shared_cache_dir


def index_build_requester(
    database: Database, settings: Settings, dispatch: Dispatch
) -> Callable[[], object]:
    """How a web process asks for a build: when the workers share its cache folder
    (`workers_share_the_cache`), an ``index.build`` job for them (`queue_index_build`);
    otherwise a build process of its own, on its host."""
    if not workers_share_the_cache(settings):
        cache_dir = settings.resolved_cache_dir()
        return lambda: spawn_index_build(cache_dir)

    def submit() -> Job | None:
        with database.unit_of_work() as session:
            return queue_index_build(session, dispatch=dispatch)

    return submit


def run_index_build(context: TaskContext) -> None:
    """Bring the shared store up to the registry (`build_matching_index`); the result names
    what was done, the version and the organisations indexed. A cancel is seen before the
    build starts; one asked for during the build ends the job cancelled, the version it wrote
    (the registry's own index, as the next build would write it) stays."""
    context.report(0.05, "Building the partner-matching index")
    done = build_matching_index(context.database, context.settings)
    with context.write() as session:
        summary = f"{ACTIONS[done.action]}: {done.organisations:,} organisations."
        if done.action == "busy":
            summary = ACTIONS["busy"] + "."
        result = {
            "summary": summary,
            "action": done.action,
            "version": done.version,
            "organisations": done.organisations,
            "seconds": round(done.seconds, 3),
        }
        context.succeed(session, result)
