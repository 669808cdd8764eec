"""Folding names and search text: shared by the registry, its files and the CORDIS import."""

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
#: A search that is a PIC: nine ASCII digits, perhaps in groups of three with a space between
#: and after "PIC" or "PIC:", with nothing else but spaces around them.
_PIC = re.compile(r"(?:pic\s*:?\s*)?([0-9]{3}) ?([0-9]{3}) ?([0-9]{3})", re.IGNORECASE)
#: Words of a search beyond this many are ignored (a search is a few keywords, not a document).
MAX_SEARCH_TERMS = 12
#: Longest word kept in a search; longer ones are cut (no real word is longer).
MAX_TERM_LENGTH = 40


def name_key(name: str) -> str:
    """``name`` folded for matching: accents removed, case folded, punctuation to spaces.

    ``"ASSOCIAÇÃO Pólo-Tech, S.A."`` → ``"associacao polo tech s a"``.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_WORD.findall(plain.casefold()))[:300]


def search_terms(text: str) -> tuple[str, ...]:
    """The words of a search box, lower-cased, without duplicates, at most ``MAX_SEARCH_TERMS``.

    Only letters and digits survive, so no query syntax of either database can be injected.
    """
    terms: dict[str, None] = {}
    for word in _WORD.findall(text.casefold()):
        terms.setdefault(word[:MAX_TERM_LENGTH], None)
    return tuple(terms)[:MAX_SEARCH_TERMS]


def search_pic(text: str) -> str | None:
    """The PIC a search box holds when it holds nothing else (spaces around allowed), or None.

    ``" 999000002 "``, ``"999 000 002"`` and ``"PIC: 999000002"`` → ``"999000002"``;
    ``"robots 999000002"`` and ``"999-000-002"`` → None.
    """
    found = _PIC.fullmatch(text.strip())
    return "".join(found.groups()) if found else None
