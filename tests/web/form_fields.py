"""The fields a browser would post from a form of a page: text and hidden inputs, ticked
boxes, each select's chosen option and textareas, in document order (no buttons)."""

import re
from html import unescape
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside = action, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        elif self.inside:
            self._field(tag, found)

    def _field(self, tag: str, found: dict[str, str]) -> None:
        name = found.get("name", "")
        if tag == "input" and name and found.get("type", "text") not in ("submit", "file"):
            if found.get("type") != "checkbox" or "checked" in found:
                self.fields.append((name, found.get("value", "")))
        elif tag == "select":
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((found.get("value", ""), "selected" in found))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if self._options:
                self.fields.append((self._select, (chosen or [self._options[0][0]])[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, unescape(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the form posting to ``action`` sends as it is shown."""
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields


def is_novalidate(html: str, action: str) -> bool:
    """Whether the forms posting to ``action`` (one at least) leave their checks to the server
    (``novalidate``): the browser then sends them as typed, and the page's summary names every
    problem, where the browser's own check stops at the first and names no other."""
    tags = re.findall(rf'<form\b[^>]*\baction="{re.escape(action)}"[^>]*>', html)
    assert tags, f"no form posts to {action}"
    return all(re.search(r"\snovalidate[\s>]", tag) is not None for tag in tags)
