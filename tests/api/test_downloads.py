"""The one ``Content-Disposition`` every download of the API and the pages sends (RFC 6266 with
RFC 5987's ``filename*``): any file name, quotes and backslashes, accents and blanks."""

import pytest

from clusterbridge.api.downloads import attachment, content_disposition, inline

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("selection-7.xlsx", 'attachment; filename="selection-7.xlsx"'),
        (
            "Évaluation – Ōsaka.pdf",
            'attachment; filename="Evaluation___Osaka.pdf"; '
            "filename*=UTF-8''%C3%89valuation%20%E2%80%93%20%C5%8Csaka.pdf",
        ),
        (
            'say "hi"\\there.pdf',
            "attachment; filename=\"say__hi__there.pdf\"; filename*=UTF-8''say%20%22hi%22_there.pdf",
        ),
        (
            "日本語.pdf",
            "attachment; filename=\"___.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.pdf",
        ),
        ("  ", 'attachment; filename="evidence-3"'),
        (
            "a\r\nSet-Cookie: x.pdf",
            "attachment; filename=\"a__Set-Cookie__x.pdf\"; filename*=UTF-8''a__Set-Cookie%3A%20x.pdf",
        ),
        ("../../etc/passwd", 'attachment; filename=".._.._etc_passwd"'),
    ],
)
def test_content_disposition_holds_any_file_name(name: str, expected: str) -> None:
    assert content_disposition(name, disposition="attachment", fallback="evidence-3") == expected


def test_attachment_keeps_the_stored_type_or_says_octet_stream() -> None:
    kept = attachment(b"%PDF-", "Ōsaka.pdf", media_type="application/pdf")
    unknown = attachment(b"?", "", media_type=None)

    assert (kept.media_type, kept.headers["content-disposition"]) == (
        "application/pdf",
        "attachment; filename=\"Osaka.pdf\"; filename*=UTF-8''%C5%8Csaka.pdf",
    )
    assert (unknown.media_type, unknown.headers["content-disposition"]) == (
        "application/octet-stream",
        'attachment; filename="download"',
    )


def test_inline_names_the_file_to_show() -> None:
    shown = inline(b"%PDF-", "summary-4.pdf", media_type="application/pdf")

    assert shown.headers["content-disposition"] == 'inline; filename="summary-4.pdf"'
