"""Evidence files (tickets, invoices, minutes): PDF, JPEG or PNG, 5 MB each, 10 at most, as a
rule of the shared upload checks (``services.uploads``). Shared by the exchanges' closing
reports and the readiness self-assessment."""

from collections.abc import Sequence
from dataclasses import replace

from clusterbridge.domain.errors import InputIssue
from clusterbridge.services.uploads import IMAGES, MEGABYTE, PDF, Upload, UploadRule, upload_issues

#: Evidence files: accepted types (with the bytes each must start with), size and count.
EVIDENCE_TYPES = {**PDF, **IMAGES}
MAX_EVIDENCE_BYTES = 5 * MEGABYTE
MAX_EVIDENCE_FILES = 10
EVIDENCE = UploadRule(
    EVIDENCE_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, "a PDF, JPEG or PNG file"
)

__all__ = [
    "EVIDENCE",
    "EVIDENCE_TYPES",
    "MAX_EVIDENCE_BYTES",
    "MAX_EVIDENCE_FILES",
    "Upload",
    "check_uploads",
]


def check_uploads(
    uploads: Sequence[Upload], *, limit: int = MAX_EVIDENCE_FILES
) -> list[InputIssue]:
    """The problems of ``uploads``: more than ``limit`` files, a type other than PDF, JPEG or
    PNG (by its declared type and its first bytes), or a file over the size limit. Pure."""
    rule = EVIDENCE if limit == MAX_EVIDENCE_FILES else replace(EVIDENCE, max_files=limit)
    return upload_issues(uploads, rule, field="evidence")
