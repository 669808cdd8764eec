"""Files people upload (exchange evidence, proposal documents): what they are, and the checks
of their type (by the bytes a file starts with, not its name) and size.

A shared helper: it calls no capability.
"""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from clusterbridge.domain.errors import InputIssue

#: The bytes a file of each accepted type starts with.
PDF = {"application/pdf": (b"%PDF-",)}
IMAGES = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",)}
#: DOCX and XLSX files are ZIP archives.
OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
}
MEGABYTE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Upload:
    """One file as uploaded: its name, the type the client declared, and its bytes."""

    file_name: str
    content_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class UploadRule:
    """The files a form accepts: their types (with the bytes each starts with), the size of
    each, how many, and how the types are named to a person (``a PDF, JPEG or PNG file``)."""

    types: Mapping[str, tuple[bytes, ...]]
    max_bytes: int
    max_files: int
    kinds: str

    def read(self, file_name: str, content_type: str, stream: BinaryIO) -> Upload:
        """The upload of ``stream``, read up to one byte over the limit (enough to refuse it
        without reading a huge file into memory)."""
        return Upload(file_name, content_type, stream.read(self.max_bytes + 1))


def upload_issues(uploads: Sequence[Upload], rule: UploadRule, *, field: str) -> list[InputIssue]:
    """The problems of ``uploads`` under ``rule``, each naming the file and ``field``: too many
    files, a type not accepted (or bytes not of the declared type), empty or too large."""
    issues = []
    if len(uploads) > rule.max_files:
        issues.append(InputIssue("", field, f"must have at most {rule.max_files} files"))
    for upload in uploads:
        where = upload.file_name or "(no name)"
        starts = rule.types.get(upload.content_type)
        if starts is None or not upload.content.startswith(starts):
            issues.append(InputIssue(where, field, f"must be {rule.kinds}"))
        elif len(upload.content) > rule.max_bytes:
            issues.append(
                InputIssue(where, field, f"is larger than {rule.max_bytes // MEGABYTE} MB")
            )
    return issues


def stored_name(upload: Upload) -> str:
    """The file name kept with a stored upload (at most 200 characters)."""
    return upload.file_name.strip()[:200]


def safe_name(name: str) -> str:
    """An ASCII file name fit for a ``Content-Disposition`` header's ``filename``: accents are
    dropped (``É`` is ``E``), and only ASCII letters, digits, dots, dashes and underscores stay
    (anything else becomes ``_``)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in plain)
