"""Evidence files (tickets, invoices, minutes): the accepted types, the size and count limits,
and their check. Shared by the exchanges' closing reports and the readiness self-assessment."""

from dataclasses import dataclass

from clusterbridge.domain.errors import InputIssue

#: Evidence files: accepted types (with the bytes each must start with), size and count.
EVIDENCE_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 10


@dataclass(frozen=True, slots=True)
class Upload:
    """One evidence file as uploaded."""

    file_name: str
    content_type: str
    content: bytes


def check_uploads(uploads: list[Upload], *, limit: int = MAX_EVIDENCE_FILES) -> list[InputIssue]:
    """The problems of ``uploads``: more than ``limit`` files, a type other than PDF, JPEG or
    PNG (by its declared type and its first bytes), or a file over the size limit. Pure."""
    issues = []
    if len(uploads) > limit:
        issues.append(InputIssue("", "evidence", f"at most {limit} files"))
    for upload in uploads:
        where = upload.file_name or "(no name)"
        starts = EVIDENCE_TYPES.get(upload.content_type)
        if starts is None or not upload.content.startswith(starts):
            issues.append(InputIssue(where, "evidence", "must be a PDF, JPEG or PNG file"))
        elif len(upload.content) > MAX_EVIDENCE_BYTES:
            megabytes = MAX_EVIDENCE_BYTES // (1024 * 1024)
            issues.append(InputIssue(where, "evidence", f"is larger than {megabytes} MB"))
    return issues
