"""How a page shows a refused form: the summary at the top and each field's error beside it."""

import re
from html import unescape

SUMMARY = re.compile(
    r'<div class="notice error" role="alert" data-testid="refused-summary">'
    r"<p>Please correct the fields marked below.</p>\s*<ul>(.*?)</ul></div>",
    re.S,
)
#: A field marked invalid, described by its error (then perhaps by a hint).
INVALID = re.compile(r'aria-invalid="true" aria-describedby="([\w.-]+)-error(?: [\w.-]+)*"')


def summary_items(html: str) -> list[str]:
    """The summary's items, in their order; the page has no other alert."""
    assert html.count('role="alert"') == 1, html.count('role="alert"')
    found = SUMMARY.search(html)
    assert found is not None, "no summary of the refused fields"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1))]


def invalid_fields(html: str) -> list[tuple[str, str]]:
    """(error id without "-error", its text) for each field marked invalid, in page order
    (a group of radio buttons once)."""
    fields = []
    for key in dict.fromkeys(INVALID.findall(html)):
        error = re.search(
            rf'<p class="field-error" id="{re.escape(key)}-error"[^>]*>([^<]*)</p>', html
        )
        assert error is not None, f"no error {key}-error beside its field"
        fields.append((key, unescape(error.group(1))))
    return fields
