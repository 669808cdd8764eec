"""What every request of the web application and the API shares."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.catalogue import Catalogue


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class AppState:
    """The settings, the database, the call catalogue and the clock of one running app."""

    settings: Settings
    database: Database
    catalogue: Catalogue
    clock: Callable[[], datetime] = field(default=utc_now)
