"""Background jobs (ADR 0027): the job table's life cycle, the task registry, the runner that
executes a job in one transaction, and the queues that hand jobs to workers (threads of the
application process by default, Celery workers when a broker is configured).

This capability sits above every other: its tasks call the services of events, registry and
monitoring; none of them imports it.
"""

from clusterbridge.services.jobs.builder_consortium import (
    MadeConsortium,
    ProposalNotFoundError,
    create_consortium_from_job,
    list_made_consortia,
)
from clusterbridge.services.jobs.builder_job import completed_partner_ids
from clusterbridge.services.jobs.document_job import (
    DOCUMENTS,
    check_documents_reach_the_web,
    document_expired,
    read_document,
)
from clusterbridge.services.jobs.jobs import (
    JobFilter,
    JobNotFoundError,
    cancel_job,
    get_visible_job,
    job_title,
    list_task_titles,
    list_visible_jobs,
    read_job_filter,
    submit_job,
    wait_for_job,
)
from clusterbridge.services.jobs.offload import (
    submit_builder_build,
    submit_document,
    submit_index_build,
)
from clusterbridge.services.jobs.queue import (
    EmbeddedQueue,
    JobQueue,
    build_queue,
    recover_and_dispatch,
    run_queued,
)
from clusterbridge.services.jobs.retention import PruneReport, prune
from clusterbridge.services.jobs.runner import recover_stale_jobs, run_job
from clusterbridge.services.jobs.submit import (
    submit_registry_import,
    submit_schedule_repair,
    submit_schedule_solve,
)
from clusterbridge.services.jobs.tasks import TASKS, get_task

__all__ = [
    "DOCUMENTS",
    "TASKS",
    "EmbeddedQueue",
    "JobFilter",
    "JobNotFoundError",
    "JobQueue",
    "MadeConsortium",
    "ProposalNotFoundError",
    "PruneReport",
    "build_queue",
    "cancel_job",
    "check_documents_reach_the_web",
    "completed_partner_ids",
    "create_consortium_from_job",
    "document_expired",
    "get_task",
    "get_visible_job",
    "job_title",
    "list_made_consortia",
    "list_task_titles",
    "list_visible_jobs",
    "prune",
    "read_document",
    "read_job_filter",
    "recover_and_dispatch",
    "recover_stale_jobs",
    "run_job",
    "run_queued",
    "submit_builder_build",
    "submit_document",
    "submit_index_build",
    "submit_job",
    "submit_registry_import",
    "submit_schedule_repair",
    "submit_schedule_solve",
    "wait_for_job",
]
