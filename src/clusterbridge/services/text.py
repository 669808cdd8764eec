"""Free text a user types or a file holds, shared by every form, file and API body."""

from datetime import date, datetime, time

#: Control characters a single-line value may contain (a tab pasted from a spreadsheet).
SINGLE_LINE_ALLOWED = frozenset("\t")
#: ... and a multi-line one (descriptions).
MULTI_LINE_ALLOWED = frozenset("\t\n\r")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a control character (NUL, escape, DEL...) other than a tab, or
    line breaks when ``multiline``. PostgreSQL refuses NUL outright; the rest garble output."""
    allowed = MULTI_LINE_ALLOWED if multiline else SINGLE_LINE_ALLOWED
    return any((ord(char) < 32 or char == "\x7f") and char not in allowed for char in text)


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
