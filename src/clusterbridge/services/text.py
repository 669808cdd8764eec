"""Checks of free text a user types, shared by every form, file and API body."""

#: Control characters a single-line value may contain (a tab pasted from a spreadsheet).
SINGLE_LINE_ALLOWED = frozenset("\t")
#: ... and a multi-line one (descriptions).
MULTI_LINE_ALLOWED = frozenset("\t\n\r")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a control character (NUL, escape, DEL...) other than a tab, or
    line breaks when ``multiline``. PostgreSQL refuses NUL outright; the rest garble output."""
    allowed = MULTI_LINE_ALLOWED if multiline else SINGLE_LINE_ALLOWED
    return any((ord(char) < 32 or char == "\x7f") and char not in allowed for char in text)
