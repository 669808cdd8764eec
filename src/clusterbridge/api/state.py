"""What every request of the web application and the API shares."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.accounts.limits import (
    PasswordResetLimiter,
    SignInLimiter,
    build_password_reset_limiter,
    build_sign_in_limiter,
)
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.jobs import JobQueue, build_queue
from clusterbridge.services.jobs.resources import TaskResources, register_resources
from clusterbridge.services.matching.index import MatchIndexCache


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class AppState:
    """The settings, the database, the call catalogue, the clock and the matching index of one
    running app."""

    settings: Settings
    database: Database
    catalogue: Catalogue
    clock: Callable[[], datetime] = field(default=utc_now)
    #: The partner-matching index of this process, rebuilt when the registry changes.
    matching: MatchIndexCache = field(default_factory=MatchIndexCache)
    #: Counts sign-in attempts (memory of this process, or the shared store of the settings).
    sign_in_limiter: SignInLimiter = field(init=False)
    #: Counts requests for password-reset links (apart from the sign-in attempts).
    password_reset_limiter: PasswordResetLimiter = field(init=False)
    #: Runs background jobs: threads of this process, or the workers of the configured broker.
    jobs: JobQueue = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sign_in_limiter", build_sign_in_limiter(self.settings))
        limiter = build_password_reset_limiter(self.settings)
        object.__setattr__(self, "password_reset_limiter", limiter)
        object.__setattr__(self, "jobs", build_queue(self.settings, self.database, self.clock))
        # The jobs this process runs in its threads share its catalogue and its index.
        register_resources(self.database, TaskResources(self.catalogue, self.matching))
        # Requests hand the messages they queue (the mail outbox, ADR 0035) to the job queue.
        object.__setattr__(self, "database", self.database.with_dispatch(self.jobs.dispatch_short))
