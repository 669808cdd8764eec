"""How a page shows a refused form: the summary at the top and each field's error beside it."""

import re
from html import unescape

SUMMARY = re.compile(
    r'<div class="notice error error-summary" role="alert" tabindex="-1" data-error-summary '
    r'data-testid="refused-summary"><h2>Please correct the fields marked below.</h2>\s*'
    r"<ul>(.*?)</ul></div>",
    re.S,
)
#: A field's problem in the summary: a link to the error beside the field.
PROBLEM_LINK = re.compile(r'<a href="#[^"]+-error" data-field="[^"]+">(.*?)</a>', re.S)
#: A field marked invalid, described by its error (then perhaps by a hint).
INVALID = re.compile(r'aria-invalid="true" aria-describedby="([\w.-]+)-error(?: [\w.-]+)*"')


def summary_items(html: str) -> list[str]:
    """The summary's items, in their order; the page has no other alert."""
    assert html.count('role="alert"') == 1, html.count('role="alert"')
    found = SUMMARY.search(html)
    assert found is not None, "no summary of the refused fields"
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [unescape(PROBLEM_LINK.sub(r"\1", item)) for item in items]


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
