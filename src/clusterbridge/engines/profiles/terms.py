"""The hand-written term files (data/, see data/PROVENANCE.md) as fast phrase look-ups.

A text becomes its words: runs of letters and digits, so ``e-fuels`` is ``e fuels`` and
``Industry 4.0`` is ``industry 4 0``. Terms match whole words only, never inside a word. A
term written ``=AI`` matches that exact spelling (``AI``, not ``ai`` or ``Ai``); every other
term matches ignoring case and accents. A phrase index keyed by the first word makes one pass
over a text find every term at once.
"""

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from clusterbridge.reference.policy import critical_raw_materials, industrial_ecosystems

_WORD = re.compile(r"[^\W_]+")
#: Words of a name: runs of letters or of digits (``TEXTILE4EVER`` → textile, 4, ever).
_NAME_WORD = re.compile(r"[^\W\d_]+|\d+")
_ANY = "*"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_CASED = "="
_LIST = ";"
#: The prefix of the codes this engine gives critical raw materials.
RAW_MATERIAL_PREFIX = "crm-"

Phrase = tuple[str, ...]


def fold(text: str) -> str:
    """Lower case without accents (``Agrícola`` → ``agricola``)."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text as written (letters and digits, case kept)."""
    return _WORD.findall(text)


def raw_material_code(name: str) -> str:
    """The technology code of a critical raw material: ``crm-`` and its name as a slug
    (``Nickel – battery grade`` → ``crm-nickel-battery-grade``)."""
    return RAW_MATERIAL_PREFIX + _NOT_SLUG.sub("-", fold(name)).strip("-")


class PhraseIndex:
    """Counts the occurrences of many phrases in a list of words in one pass."""

    __slots__ = ("_first",)

    def __init__(self, phrases: Iterable[tuple[Phrase, str]]) -> None:
        first: dict[str, list[tuple[Phrase, str]]] = defaultdict(list)
        for phrase, key in phrases:
            if phrase:
                first[phrase[0]].append((phrase[1:], key))
        self._first = dict(first)

    def count(self, tokens: Sequence[str]) -> Counter[str]:
        """How often each key's phrases occur in ``tokens`` (whole words, in order)."""
        counts: Counter[str] = Counter()
        get = self._first.get
        for i, token in enumerate(tokens):
            candidates = get(token)
            if candidates is None:
                continue
            for rest, key in candidates:
                if not rest or tuple(tokens[i + 1 : i + 1 + len(rest)]) == rest:
                    counts[key] += 1
        return counts


@dataclass(frozen=True, slots=True)
class TermTable:
    """One term file: the label of each code and its four kinds of cue.

    ``folded`` and ``cased`` find terms in words (folded words, words as written);
    ``euroscivoc`` maps a folded EuroSciVoc term to codes; ``topics`` are patterns searched in
    the topic code; ``context`` finds, for the codes that require it, the words that must also
    be in the project (a raw material counts only next to mining, recycling, ...).
    """

    labels: dict[str, str]
    folded: PhraseIndex
    cased: PhraseIndex
    euroscivoc: dict[str, tuple[str, ...]]
    topics: tuple[tuple[str, re.Pattern[str]], ...]
    context: PhraseIndex
    needs_context: frozenset[str]
    thresholds: dict[str, int]

    def count(self, folded: Sequence[str], cased: Sequence[str]) -> Counter[str]:
        """How often each code's terms occur in a text given as its folded and cased words."""
        return self.folded.count(folded) + self.cased.count(cased)

    def euroscivoc_codes(self, terms: Iterable[str]) -> set[str]:
        """The codes any of these EuroSciVoc terms points at."""
        return {code for term in terms for code in self.euroscivoc.get(fold(term), ())}

    def topic_codes(self, topic: str) -> set[str]:
        """The codes whose topic patterns the topic code matches."""
        return {code for code, pattern in self.topics if topic and pattern.search(topic)}


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("clusterbridge.engines.profiles") / "data" / name
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(_LIST) if part.strip()]


def _phrases(
    rows: list[dict[str, str]], key: str, column: str, *, cased: bool
) -> list[tuple[Phrase, str]]:
    found: list[tuple[Phrase, str]] = []
    for row in rows:
        for term in _split(row.get(column)):
            if term.startswith(_CASED) == cased:
                text = term.removeprefix(_CASED)
                phrase = tuple(words(text) if cased else words(fold(text)))
                found.append((phrase, row[key]))
    return found


def _table(rows: list[dict[str, str]], *, key: str, labels: dict[str, str]) -> TermTable:
    euroscivoc: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for term in _split(row.get("euroscivoc")):
            euroscivoc[fold(term)].append(row[key])
    return TermTable(
        labels=labels,
        folded=PhraseIndex(_phrases(rows, key, "terms", cased=False)),
        cased=PhraseIndex(_phrases(rows, key, "terms", cased=True)),
        euroscivoc={term: tuple(codes) for term, codes in euroscivoc.items()},
        topics=tuple(
            (row[key], re.compile(pattern)) for row in rows for pattern in _split(row.get("topics"))
        ),
        context=PhraseIndex(_phrases(rows, key, "context", cased=False)),
        needs_context=frozenset(row[key] for row in rows if _split(row.get("context"))),
        thresholds={row[key]: int(row["strong"]) for row in rows if row.get("strong")},
    )


@cache
def technology_words() -> frozenset[str]:
    """The technology terms, labels and EuroSciVoc terms of ``technology_terms.csv`` that are
    one word, folded ("robotics", "ai", "hydrogen"): words that name a technology, however
    common. The words of longer terms ("advanced", "processes") name nothing alone."""
    found: set[str] = set()
    for row in _read("technology_terms.csv"):
        for column in ("label", "terms", "euroscivoc"):
            for term in _split(row.get(column)):
                parts = words(fold(term.removeprefix(_CASED)))
                if len(parts) == 1:
                    found.update(parts)
    return frozenset(found)


@cache
def technology_phrases() -> dict[Phrase, str]:
    """Every technology term, label and EuroSciVoc term of ``technology_terms.csv`` as folded
    words (``("machine", "learning")``, ``("ai",)``) with the code of its technology: phrases
    that name a technology, however common they are. A phrase of two technologies is the
    first's."""
    found: dict[Phrase, str] = {}
    for row in _read("technology_terms.csv"):
        for column in ("label", "terms", "euroscivoc"):
            for term in _split(row.get(column)):
                phrase = tuple(words(fold(term.removeprefix(_CASED))))
                if phrase:
                    found.setdefault(phrase, row["code"])
    return found


@cache
def technology_table() -> TermTable:
    """The technology terms (data/technology_terms.csv); raw materials are labelled with their
    names in ``reference.policy.critical_raw_materials()``.

    Raises ``ValueError`` when a ``crm-`` row names no critical raw material.
    """
    rows = _read("technology_terms.csv")
    materials = {raw_material_code(m.name): m.name for m in critical_raw_materials()}
    labels = {row["code"]: row["label"] for row in rows}
    for code in labels:
        if code.startswith(RAW_MATERIAL_PREFIX):
            if code not in materials:
                raise ValueError(f"{code} in technology_terms.csv is no critical raw material")
            labels[code] = materials[code]
    return _table(rows, key="code", labels=labels)


@cache
def raw_material_names() -> dict[str, tuple[str, ...]]:
    """The names of each critical raw material by its code, as written: its reference name,
    and the label and terms of its row in ``technology_terms.csv`` without the ``=`` of an
    exact spelling (``crm-gallium`` → ``Gallium``, ``gallium``, ``gallium nitride``, ``GaN``).
    A name may belong to two materials ("rare earth elements")."""
    names = {raw_material_code(m.name): [m.name] for m in critical_raw_materials()}
    for row in _read("technology_terms.csv"):
        if row["code"] in names:
            terms = [row["label"], *_split(row.get("terms"))]
            names[row["code"]].extend(term.removeprefix(_CASED) for term in terms)
    return {code: tuple(dict.fromkeys(found)) for code, found in names.items()}


@cache
def ecosystem_table() -> TermTable:
    """The ecosystem terms (data/ecosystem_terms.csv), labelled with the ecosystems' names.

    Raises ``ValueError`` when a row names no industrial ecosystem.
    """
    rows = _read("ecosystem_terms.csv")
    names = {e.slug: e.name for e in industrial_ecosystems()}
    unknown = {row["slug"] for row in rows} - names.keys()
    if unknown:
        raise ValueError(f"ecosystem_terms.csv names unknown ecosystems: {sorted(unknown)}")
    return _table(rows, key="slug", labels={row["slug"]: names[row["slug"]] for row in rows})


def name_words(name: str) -> set[str]:
    """The folded words of an organisation's name, letters and digits apart."""
    return set(_NAME_WORD.findall(fold(name)))


@dataclass(frozen=True, slots=True)
class NameCueSet:
    """The words of one kind of name cue: whole words, prefixes (``nano*``) and suffixes
    (``*tech``)."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]

    def find(self, name_words: Iterable[str]) -> tuple[str, ...]:
        """The words of a name this set recognises, sorted."""
        return tuple(
            sorted(
                w
                for w in name_words
                if w in self.words or w.startswith(self.prefixes) or w.endswith(self.suffixes)
            )
        )


def read_terms(name: str) -> dict[str, list[str]]:
    """A ``kind,terms`` file of ``data/`` as its terms by kind, as written."""
    return {row["kind"]: _split(row["terms"]) for row in _read(name)}


@cache
def organisation_cues() -> dict[str, NameCueSet]:
    """The words of organisation names that hint at their kind (data/organisation_cues.csv):
    ``service``, ``technology``, ``traditional`` and ``research``."""
    cues: dict[str, NameCueSet] = {}
    for kind, written in read_terms("organisation_cues.csv").items():
        terms = [fold(t) for t in written]
        cues[kind] = NameCueSet(
            words=frozenset(t for t in terms if _ANY not in t),
            prefixes=tuple(t.rstrip(_ANY) for t in terms if t.endswith(_ANY)),
            suffixes=tuple(t.lstrip(_ANY) for t in terms if t.startswith(_ANY)),
        )
    return cues


@cache
def technology_names() -> dict[str, str]:
    """The name a person reads for each technology code: the registry vocabulary's label
    (the ``name`` column, equal to ``services/registry/data/technologies.csv``'s: "Connectivity",
    "Hydrogen technologies"), a raw material's reference name. The term file's own ``label``
    ("connectivity (5G/6G)") names the technology's topic inside the engines only
    (``matching.topics``)."""
    labels = technology_table().labels
    return {
        row["code"]: row.get("name") or labels[row["code"]] for row in _read("technology_terms.csv")
    }
