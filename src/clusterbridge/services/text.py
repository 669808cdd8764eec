"""Free text a user types or a file holds, shared by every form, file and API body."""

import re
import unicodedata
from datetime import date, datetime, time

from clusterbridge.domain.refusals import length_reason

#: Control characters a single-line value may contain (a tab pasted from a spreadsheet).
SINGLE_LINE_ALLOWED = frozenset("\t")
#: ... and a multi-line one (descriptions).
MULTI_LINE_ALLOWED = frozenset("\t\n\r")
#: Unicode categories a single-line value may not hold: controls (C0 and C1), format characters
#: (bidirectional overrides, invisible separators) and the line and paragraph separators U+2028 and
#: U+2029, which break mail headers and lines as much as a line feed does.
SINGLE_LINE_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
#: Format characters that real names need: the zero-width non-joiner and joiner (Persian, Indic
#: scripts, emoji sequences).
SINGLE_LINE_ALLOWED_FORMAT = frozenset("\u200c\u200d")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a control character (NUL, escape, DEL...) other than a tab, or
    line breaks when ``multiline``. PostgreSQL refuses NUL outright; the rest garble output.

    A single-line value (a name, a title) is also refused C1 controls, format characters other
    than the zero-width joiners, and the Unicode line and paragraph separators."""
    if multiline:
        return any(
            (ord(char) < 32 or char == "\x7f") and char not in MULTI_LINE_ALLOWED for char in text
        )
    return any(_refused_in_single_line(char) for char in text)


def _refused_in_single_line(char: str) -> bool:
    if char in SINGLE_LINE_ALLOWED or char in SINGLE_LINE_ALLOWED_FORMAT:
        return False
    return unicodedata.category(char) in SINGLE_LINE_REFUSED_CATEGORIES


def cell_text(value: object) -> str | None:
    """A spreadsheet or JSON value as the text a user would have typed for it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


#: First characters that make a spreadsheet program read a cell as a formula (OWASP, "CSV
#: injection"); the quote itself is escaped too, so that unescaping gives back any text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_ESCAPE = "'"


def escape_formula(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet program runs as a formula: a single quote before a
    cell that starts with ``= + - @``, a tab, a line break or a quote; plain numbers stay as
    they are. ``unescape_formula`` gives ``text`` back."""
    if not text.startswith((*FORMULA_TRIGGERS, FORMULA_ESCAPE)) or _is_number(text):
        return text
    return FORMULA_ESCAPE + text


def unescape_formula(text: str) -> str:
    """A cell escaped by ``escape_formula`` as the text it stands for; other cells unchanged."""
    rest = text[1:]
    if text.startswith(FORMULA_ESCAPE) and rest.startswith((*FORMULA_TRIGGERS, FORMULA_ESCAPE)):
        return rest
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "infinity", "nan")


#: Why a required text left empty or blank (only spaces) is refused, on every interface (the
#: API's schemas say so of an empty one too: ``domain.refusals``).
REQUIRED = "is required"


def required_text_reason(text: str, limit: int) -> str | None:
    """Why ``text`` (a required value, spaces around it not counted) is refused: it is blank
    ("is required") or longer than ``limit`` ("must be at most 200 characters, not 201", as
    the API's schemas word it: `length_reason`); None when it is neither."""
    value = text.strip()
    if not value:
        return REQUIRED
    return length_reason(value, limit)


#: A website given without its scheme: a host name with at least one dot and a top-level
#: domain of letters ("samco.ie", "www.samco.ie"), then perhaps a port and a path.
BARE_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?", re.IGNORECASE
)
#: The schemes of a website's address.
WEB_SCHEMES = ("http://", "https://")


def website_reason(text: str) -> str:
    """Why ``text`` is refused as a website, with an example of what to give (the form, the
    API, the registry's and the consortium files' words alike)."""
    return f'"{text}" is not a website; give an http(s) address or a domain like example.org'


def bare_domain_address(text: str) -> str | None:
    """The address of a website given as a bare domain (``samco.ie`` →
    ``https://samco.ie``), or None when ``text`` is not one (it has a scheme, no dot, spaces)."""
    return f"https://{text}" if BARE_DOMAIN.fullmatch(text) else None
