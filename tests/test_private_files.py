"""The SQLite database, the secret key and mail written to files are private to their owner,
whatever the umask."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from clusterbridge.config import Settings
from clusterbridge.services.database import open_database
from clusterbridge.services.mail import FileMailer, Mail, compose


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o000)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_sqlite_database_is_private(tmp_path: Path, open_umask: None) -> None:
    settings = Settings(data_dir=tmp_path / "data" / "clusterbridge")

    database = open_database(settings)
    with database.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE probe (id INTEGER)"))
        wal = [path for path in settings.data_dir.iterdir() if path.name.endswith("-wal")]
        assert [mode(path) for path in wal] == [0o600]
    database.dispose()

    assert mode(settings.data_dir / "clusterbridge.sqlite3") == 0o600
    assert mode(settings.data_dir) == 0o700
    assert mode(settings.data_dir.parent) == 0o700
    settings.resolved_secret_key()
    assert mode(settings.data_dir / "secret-key") == 0o600


def test_mail_files_and_their_folder_are_private(tmp_path: Path, open_umask: None) -> None:
    mailer = FileMailer(tmp_path / "mail", "clusterbridge <noreply@example.org>")

    mailer.send(compose(Mail(("a@example.org",), "Hello", "Body"), sender=mailer.sender))

    [message] = list((tmp_path / "mail").iterdir())
    assert (mode(tmp_path / "mail"), mode(message)) == (0o700, 0o600)
