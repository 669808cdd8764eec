"""What the event service tests share: where their mail goes, an organiser and an event."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, User
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.mail import FileMailer
from tests.factories.events import make_event, make_person


@pytest.fixture
def notifier(tmp_path: Path) -> Notifier:
    """Event mail into files under ``tmp_path``, links to https://cb.example.org."""
    return Notifier(FileMailer(tmp_path / "mail", "events@example.org"), "https://cb.example.org")


@pytest.fixture
def organiser(session: Session) -> User:
    """Olga, an event organiser."""
    return make_person(
        session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
    )


@pytest.fixture
def event(session: Session, organiser: User) -> Event:
    """An open event run by Olga: one session, slots 1-3 at 09:00, 09:20, 09:40 local."""
    return make_event(session, organiser=organiser)
