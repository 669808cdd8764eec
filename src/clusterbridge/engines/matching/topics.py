"""The topics a reason may quote, and the projects that show them.

A topic is a phrase a person recognises as a subject, never a word of running text:

- a **technology** of the vocabulary (``engines/profiles/data/technology_terms.csv``: labels,
  terms and EuroSciVoc terms: "robotics", "machine learning", "IoT"), however common, named by
  its label ("IoT" and "internet of things" are one topic, "internet of things");
- a **keyword phrase** past projects give themselves (CORDIS keywords: "digital twins",
  "supply chain resilience"), when it is distinctive: the keyword of at least
  ``MIN_KEYWORD_PROJECTS`` projects (one project's keyword is mostly its own jargon) and of at
  most ``MAX_KEYWORD_SHARE`` of them; given as a keyword by at least ``MIN_KEYNESS`` of the
  projects whose texts have all its words ("circular economy" is a topic, "high performance"
  running text); and, for a single word, in at most ``MAX_WORD_SHARE`` of the registry's texts
  (a stop list from document frequency: "innovation", "distributed").

A topic is found in a text as a whole phrase (words folded, in order). An organisation shows a
topic through its projects whose title or keywords have it (their acronyms are the evidence a
person can check); an organisation without projects, through its own description.

What the topics of an index are (``TopicState``: the keywords' counts, the technologies, the
phrase finder) is read from all its projects: a few tenths of a second, which a saved index
keeps (``services.matching.store``) so that a question asked from a new process does not pay it.
"""

import functools
import math
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import OrgProfile, Technology
from clusterbridge.engines.profiles.terms import (
    PhraseIndex,
    fold,
    technology_names,
    technology_phrases,
    technology_table,
    words,
)

#: Longest keyword read as a phrase, in words: longer ones are sentences.
MAX_PHRASE_WORDS = 5
#: Projects that must give a phrase as a keyword for it to be a topic.
MIN_KEYWORD_PROJECTS = 2
#: A phrase that is a keyword of more than this share of the projects says little.
MAX_KEYWORD_SHARE = 0.05
#: A single word in more than this share of the texts (projects, and organisations' own
#: texts when none of their projects has it) is too common to be a topic: its inverse
#: document frequency is under ln 100 (a single word of running text, "distributed",
#: "cognitive", is a keyword of some projects too).
MAX_WORD_SHARE = 0.01
#: Share of the projects whose texts have every word of a keyword phrase that must give it as
#: a keyword: "digital twins" (75 of 210), not "high performance" (2 of 520) nor "value chain"
#: (29 of 630), phrases of running text that some projects also list.
MIN_KEYNESS = 0.1
#: ... but a small registry may always quote a phrase of up to this many projects or texts.
COMMON_FLOOR = 20
#: Where the description of an organisation without projects is the evidence.
OWN_TEXT = "its description"
_KEYWORD_SEPARATOR = re.compile(r"[,;]")


@dataclass(frozen=True, slots=True)
class TopicState:
    """What ``Topics`` reads from an index's projects and the technology vocabulary: how many
    projects give each keyword phrase, the technologies' labels, the finder of every topic's
    phrases and how many projects give each technology as a keyword (``topic_state``)."""

    keyword_projects: Mapping[str, int]
    technologies: frozenset[str]
    finder: PhraseIndex
    given: Mapping[str, int]


def topic_state(index: MatchIndex) -> TopicState:
    """The topics of ``index`` as ``Topics`` reads them (see the module). Pure."""
    keyword_projects = _keyword_counts(index)
    # The phrases of one technology are one topic, named by its label.
    labels = technology_table().labels
    technologies = {" ".join(p): labels[code] for p, code in technology_phrases().items()}
    key_of = {
        phrase: phrase
        for phrase, projects in keyword_projects.items()
        if projects >= MIN_KEYWORD_PROJECTS
    } | technologies
    finder = PhraseIndex((tuple(phrase.split()), key) for phrase, key in key_of.items())
    given: Counter[str] = Counter()
    for phrase, key in technologies.items():
        given[key] += keyword_projects.get(phrase, 0)
    return TopicState(dict(keyword_projects), frozenset(technologies.values()), finder, dict(given))


class Topics:
    """The topics of one index: how to find them in a text, which may be quoted, how each is
    written, its weight (the inverse document frequency of the keyword over projects) and each
    project's topics. Whether a keyword phrase may be quoted is decided when first asked.
    ``state`` is ``topic_state(index)`` when it was kept (read from it, not again)."""

    def __init__(self, index: MatchIndex, *, state: TopicState | None = None) -> None:
        self._index = index
        found = state or topic_state(index)
        self._keyword_projects = found.keyword_projects
        self._technologies = found.technologies
        self._finder = found.finder
        self._given = found.given
        self._quotable: dict[str, bool] = {}
        self._of_project: dict[int, frozenset[str]] = {}
        self._by_own_text: dict[str, list[int]] | None = None
        self._declared: dict[str, dict[str, list[tuple[int, Technology]]]] = {}
        self._named_by: dict[str, tuple[frozenset[int], np.ndarray]] = {}
        self._own_words: dict[str, list[int]] | None = None

    def in_text(self, text: str) -> set[str]:
        """The topics ``text`` has (whether they may be quoted or not)."""
        return set(self._finder.count(words(fold(text))))

    def of_project(self, number: int) -> frozenset[str]:
        """The topics of a project's title and keywords (none for an unknown project)."""
        if number not in self._of_project:
            project = self._index.projects.get(number)
            found = self.in_text(f"{project.title}\n{project.keywords}") if project else set()
            self._of_project[number] = frozenset(found)
        return self._of_project[number]

    def phrases(self, topic: str) -> list[list[str]]:
        """The phrases (folded words) that name ``topic``: a technology's every phrase, else
        the keyword phrase itself."""
        if topic in self._technologies:
            return _technology_phrases_by_label().get(topic, [])
        return [topic.split()]

    def own_text_rows(self, topic: str) -> list[int]:
        """The rows of the organisations without projects in the index whose own description
        has ``topic`` (read once per index, on first need)."""
        if self._by_own_text is None:
            found: dict[str, list[int]] = defaultdict(list)
            for row, profile in enumerate(self._index.profiles):
                if profile.text and not any(n in self._index.projects for n in profile.projects):
                    for shown in self.in_text(profile.text):
                        found[shown].append(row)
            self._by_own_text = dict(found)
        return self._by_own_text.get(topic, [])

    def declared(self, field: str, topic: str) -> list[tuple[int, Technology]]:
        """The rows whose declared technologies (``field``: ``offered`` or ``needed``) name
        ``topic`` in their label, each with that technology ("HPC on demand" names "high
        performance computing"; a technology of the vocabulary names its own label). Read once
        per index and field, on first need."""
        if field not in self._declared:
            found: dict[str, list[tuple[int, Technology]]] = defaultdict(list)
            # Labels repeat (the vocabulary's, on thousands of derived profiles): read each once.
            read: dict[str, set[str]] = {}
            for row, profile in enumerate(self._index.profiles):
                for item in getattr(profile, field):
                    if item.label not in read:
                        read[item.label] = self.in_text(item.label)
                    for named in read[item.label]:
                        found[named].append((row, item))
            self._declared[field] = dict(found)
        return self._declared[field].get(topic, [])

    def of_members(self, members: Iterable[OrgProfile]) -> set[str]:
        """The topics of what ``members`` worked on: their projects', or their descriptions'
        when they have no project in the index."""
        found: set[str] = set()
        for member in members:
            found |= self._shown_by(member).keys()
        return found

    def evidence(self, profile: OrgProfile, topics: set[str]) -> dict[str, list[str]]:
        """Per topic of ``topics`` that may be quoted and that ``profile`` shows, the acronyms
        (titles when there is none) of its projects that have it, sorted, or ``[OWN_TEXT]``."""
        shown = self._shown_by(profile)
        return {t: shown[t] for t in topics if t in shown and self.is_quotable(t)}

    def weight(self, topic: str) -> float:
        """``ln((n + 1) / (k + 1)) + 1`` for a topic ``k`` of the ``n`` projects give as a
        keyword (a technology: any of its phrases)."""
        given = (
            self._given.get(topic, 0)
            if topic in self._technologies
            else self._keyword_projects.get(topic, 0)
        )
        return math.log((len(self._index.projects) + 1) / (given + 1)) + 1.0

    def shown(self, topic: str, profile: OrgProfile) -> str:
        """How a topic is written: a technology's name as the registry shows it
        (``terms.technology_names``: "Connectivity", not the topic's own label
        "connectivity (5G/6G)"), else the keyword as the first of ``profile``'s projects that
        gives it writes it (``_written``)."""
        if topic in self._technologies:
            return _technology_names_by_label().get(topic, topic)
        for number in sorted(profile.projects):
            project = self._index.projects.get(number)
            for keyword in _KEYWORD_SEPARATOR.split(project.keywords if project else ""):
                if " ".join(words(fold(keyword))) == topic:
                    return " ".join(_written(word) for word in keyword.split())
        return topic

    def is_quotable(self, topic: str) -> bool:
        """Whether a reason may quote ``topic``: a technology, or a distinctive keyword phrase
        (see the module's description)."""
        if topic in self._technologies:
            return True
        if topic not in self._quotable:
            projects = self._keyword_projects.get(topic, 0)
            texts = _projects_with_words(self._index, topic.split())
            self._quotable[topic] = (
                _distinctive(self._index, topic, projects) and projects >= MIN_KEYNESS * texts
            )
        return self._quotable[topic]

    def is_quotable_word(self, word: str) -> bool:
        """Whether a reason may quote a single (folded) word that is no topic, as the subject
        of a need in words ("welding" of "welding automation", when projects give "laser
        welding" and "repair welding" but never "welding" alone): a word of the keywords of
        projects, held to a keyword phrase's rules (``_distinctive``, ``MIN_KEYNESS``), so that
        a common word ("automation", "supply") is never quoted."""
        if not _rare_word(self._index, word):
            return False  # before reading the projects that have it ("of": nearly all)
        keyed = len(self._naming(word)[0])
        texts = _projects_with_words(self._index, [word])
        return _distinctive(self._index, word, keyed) and keyed >= MIN_KEYNESS * texts

    def word_columns(self, word: str) -> np.ndarray:
        """The projects (columns of ``index.participants``) whose title or keywords have
        ``word`` (a folded word)."""
        return self._naming(word)[1]

    def own_text_word_rows(self, word: str) -> list[int]:
        """The rows of the organisations without projects in the index whose own description
        has ``word`` (read once per index, on first need)."""
        if self._own_words is None:
            found: dict[str, list[int]] = defaultdict(list)
            for row, profile in enumerate(self._index.profiles):
                if profile.text and not any(n in self._index.projects for n in profile.projects):
                    for each in set(words(fold(profile.text))):
                        found[each].append(row)
            self._own_words = dict(found)
        return self._own_words.get(word, [])

    def word_evidence(self, profile: OrgProfile, word: str) -> list[str]:
        """The acronyms (titles when there is none) of ``profile``'s projects whose title or
        keywords have ``word``, sorted; ``[OWN_TEXT]`` for an organisation without projects
        whose description has it; else none."""
        indexed = [n for n in profile.projects if n in self._index.projects]
        if not indexed:
            return [OWN_TEXT] if word in words(fold(profile.text)) else []
        columns = set(self.word_columns(word).tolist())
        named = {self._index.project_ids[column] for column in columns}
        return sorted(
            {self._index.projects[n].acronym or self._index.projects[n].title
             for n in indexed if n in named}
        )  # fmt: skip

    def _naming(self, word: str) -> tuple[frozenset[int], np.ndarray]:
        """The projects whose keywords have ``word`` (their numbers), and the projects
        (columns) whose title or keywords have it; only those whose texts have it are read."""
        if word not in self._named_by:
            keyed, columns = set(), []
            for column in columns_with_words(self._index, [word]).tolist():
                project = self._index.projects.get(self._index.project_ids[column])
                if project is None:
                    continue
                in_keywords = word in words(fold(project.keywords))
                if in_keywords:
                    keyed.add(project.id)
                if in_keywords or word in words(fold(project.title)):
                    columns.append(column)
            self._named_by[word] = (frozenset(keyed), np.array(columns, dtype=np.int64))
        return self._named_by[word]

    def _shown_by(self, profile: OrgProfile) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        indexed = [n for n in profile.projects if n in self._index.projects]
        for number in indexed:
            project = self._index.projects[number]
            for topic in self.of_project(number):
                found[topic].append(project.acronym or project.title)
        if not indexed:
            for topic in self.in_text(profile.text):
                found[topic].append(OWN_TEXT)
        return {topic: sorted(set(labels)) for topic, labels in found.items()}


@functools.cache
def _technology_phrases_by_label() -> dict[str, list[list[str]]]:
    labels = technology_table().labels
    found: dict[str, list[list[str]]] = defaultdict(list)
    for phrase, code in technology_phrases().items():
        found[labels[code]].append(list(phrase))
    return dict(found)


@functools.cache
def _technology_names_by_label() -> dict[str, str]:
    labels = technology_table().labels
    names = technology_names()
    return {labels[code]: names[code] for code in labels}


def technology_topic(code: str) -> str | None:
    """The topic a technology of the vocabulary (its ``code``) is, named by the term file's
    label; None for a code the term file does not have."""
    return technology_table().labels.get(code)


def _written(word: str) -> str:
    """A keyword's word as a reason writes it: in lower case, unless a capital is not its
    first letter ("Digital" → "digital"; "IoT", "AI", "H2" stay)."""
    return word.lower() if word[1:] == word[1:].lower() else word


def _projects_with_words(index: MatchIndex, phrase: list[str]) -> int:
    """How many projects have every word of ``phrase`` in their text."""
    return len(columns_with_words(index, phrase))


def columns_with_words(index: MatchIndex, phrase: list[str]) -> np.ndarray:
    """The projects (columns of ``index.participants``) whose text has every word of
    ``phrase`` (folded words); none for a word the index does not know."""
    by_term = index.project_text_by_term
    rows: np.ndarray | None = None
    for word in phrase:
        column = index.vocabulary.columns.get(word)
        if column is None or column >= by_term.shape[1]:
            return np.zeros(0, dtype=np.int32)
        found = by_term.indices[by_term.indptr[column] : by_term.indptr[column + 1]]
        rows = found if rows is None else np.intersect1d(rows, found)
    return np.zeros(0, dtype=np.int32) if rows is None else rows


def _keyword_counts(index: MatchIndex) -> Counter[str]:
    """How many projects give each keyword phrase (words folded, joined by a space)."""
    projects: Counter[str] = Counter()
    for project in index.projects.values():
        keys = set()
        for keyword in _KEYWORD_SEPARATOR.split(fold(project.keywords)):
            phrase = words(keyword)
            if 0 < len(phrase) <= MAX_PHRASE_WORDS:
                keys.add(" ".join(phrase))
        projects.update(keys)
    return projects


def _rare_word(index: MatchIndex, word: str) -> bool:
    """Whether a single word the index knows is in at most ``MAX_WORD_SHARE`` of its texts
    (``COMMON_FLOOR`` for a small registry)."""
    column = index.vocabulary.columns.get(word)
    if column is None or column >= len(index.documents):
        return False
    texts = max(len(index.project_ids), 1)
    return bool(index.documents[column] <= max(MAX_WORD_SHARE * texts, COMMON_FLOOR))


def _distinctive(index: MatchIndex, key: str, projects: int) -> bool:
    """Whether a keyword phrase given by ``projects`` projects may be quoted: never one of
    single letters ("R&I", "R&D" read as "r i", "r d"), which names no topic a person reads."""
    if projects < MIN_KEYWORD_PROJECTS or all(len(word) == 1 for word in key.split()):
        return False
    if projects > max(MAX_KEYWORD_SHARE * len(index.projects), COMMON_FLOOR):
        return False
    column = index.vocabulary.columns.get(key)
    if column is None or not len(index.documents):
        return " " in key
    texts = max(len(index.project_ids), 1)
    return bool(index.documents[column] <= max(MAX_WORD_SHARE * texts, COMMON_FLOOR))


_TOPICS: dict[int, Topics] = {}


def topics_of(index: MatchIndex) -> Topics:
    """The topics of ``index``, read once per index (kept while the index lives), or made of
    the state ``keep_topics`` was given."""
    key = id(index)
    if key not in _TOPICS:
        _remember(index, Topics(index))
    return _TOPICS[key]


def keep_topics(index: MatchIndex, state: TopicState) -> None:
    """Make ``topics_of(index)`` read ``state`` (``topic_state`` of this index, kept with it)
    rather than the index's projects again."""
    _remember(index, Topics(index, state=state))


def _remember(index: MatchIndex, topics: Topics) -> None:
    key = id(index)
    if key not in _TOPICS:
        weakref.finalize(index, _TOPICS.pop, key, None)
    _TOPICS[key] = topics
