"""Limits read as every range does, "must be ..." or "must have ...": a count of files or of
entries read "at most 10 files" (what the value is not, said as if it were)."""

import pytest

from clusterbridge.domain.analysis import MAX_LINKS, FindingKind
from clusterbridge.domain.errors import InputIssue
from clusterbridge.services.monitoring.analysis.findings import FindingDraft, draft_issues
from clusterbridge.services.uploads import PDF, Upload, UploadRule, upload_issues

pytestmark = pytest.mark.unit

PDF_BYTES = b"%PDF-1.4\n"


def test_too_many_files_must_be_fewer() -> None:
    rule = UploadRule(types=PDF, max_bytes=1000, max_files=2, kinds="a PDF file")
    uploads = [Upload(f"{n}.pdf", "application/pdf", PDF_BYTES) for n in range(3)]

    assert upload_issues(uploads, rule, field="files") == [
        InputIssue("", "files", "must have at most 2 files")
    ]


def test_too_many_technologies_of_a_finding_must_be_fewer() -> None:
    draft = FindingDraft(
        FindingKind.OPPORTUNITY, "Title", "Text", technologies=("x",) * (MAX_LINKS + 1)
    )

    assert InputIssue("", "technologies", f"must have at most {MAX_LINKS} entries") in (
        draft_issues(draft)
    )
