"""Files only their owner may read: the SQLite database, mail written to files, the secret key.

The modes are set with ``chmod`` after creating, so they do not depend on the process's umask.
"""

import os
from pathlib import Path

#: Read and write for the owner only.
PRIVATE_FILE_MODE = 0o600
#: Read, write and enter for the owner only.
PRIVATE_FOLDER_MODE = 0o700


def make_private_folder(path: Path) -> Path:
    """Create ``path`` (and its missing parents) if it does not exist; every folder created here
    gets mode 0700. An existing folder is left as it is (the administrator chose it)."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing:
        folder.chmod(PRIVATE_FOLDER_MODE)
    return path


def create_private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 unless it exists (its folder is made private when
    missing). An existing file is left as it is."""
    make_private_folder(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return path
    try:
        os.fchmod(descriptor, PRIVATE_FILE_MODE)
    finally:
        os.close(descriptor)
    return path


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to the new file ``path`` with mode 0600 (its folder made private when
    missing); FileExistsError if the file exists."""
    make_private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), PRIVATE_FILE_MODE)
        file.write(data)


def replace_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600 atomically (its folder made private when
    missing): written to a new file beside it, then renamed over it, so a reader sees the old
    file or the whole new one, never a part."""
    staging = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    write_private_bytes(staging, data)
    try:
        os.replace(staging, path)
    except OSError:
        staging.unlink(missing_ok=True)
        raise


def private_bytes_once(path: Path, data: bytes) -> bytes:
    """The content of ``path``, written as ``data`` (mode 0600, its folder made private when
    missing) when there is no such file yet. The file appears whole or not at all: it is
    written beside ``path`` and linked in place, which fails if another process got there
    first, so that processes racing to create it all read the same complete content."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    staging = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    write_private_bytes(staging, data)
    try:
        os.link(staging, path)
    except FileExistsError:
        pass
    finally:
        staging.unlink(missing_ok=True)
    return path.read_bytes()
