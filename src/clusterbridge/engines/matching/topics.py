"""The topics a reason may quote, and the projects that show them.

A topic is a phrase a person recognises as a subject, never a word of running text:

- a **technology** of the vocabulary (``engines/profiles/data/technology_terms.csv``: labels,
  terms and EuroSciVoc terms: "robotics", "machine learning", "IoT"), however common, named by
  its label ("IoT" and "internet of things" are one topic, "internet of things");
- a **keyword phrase** past projects give themselves (CORDIS keywords: "digital twins",
  "supply chain resilience"), when it is distinctive: the keyword of at least
  ``MIN_KEYWORD_PROJECTS`` projects (one project's keyword is mostly its own jargon) and of at
  most ``MAX_KEYWORD_SHARE`` of them, and, for a single word, in at most ``MAX_WORD_SHARE`` of
  the registry's texts (a stop list from document frequency: "innovation", "sustainability").

A topic is found in a text as a whole phrase (words folded, in order). An organisation shows a
topic through its projects whose title or keywords have it (their acronyms are the evidence a
person can check); an organisation without projects, through its own description.
"""

import math
import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import OrgProfile
from clusterbridge.engines.profiles.terms import (
    PhraseIndex,
    fold,
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
#: texts when none of their projects has it) is too common to be a topic.
MAX_WORD_SHARE = 0.05
#: ... but a small registry may always quote a phrase of up to this many projects or texts.
COMMON_FLOOR = 20
#: Where the description of an organisation without projects is the evidence.
OWN_TEXT = "its description"
_KEYWORD_SEPARATOR = re.compile(r"[,;]")


class Topics:
    """The topics of one index: how to find them in a text, how each is written, its weight
    (the inverse document frequency of the keyword over projects) and each project's topics."""

    def __init__(self, index: MatchIndex) -> None:
        self._index = index
        keyword_projects, spellings = _keywords(index)
        # The phrases of one technology are one topic, named by its label.
        labels = technology_table().labels
        key_of = {
            phrase: phrase
            for phrase, projects in keyword_projects.items()
            if _distinctive(index, phrase, projects)
        }
        technologies = {" ".join(p): labels[code] for p, code in technology_phrases().items()}
        key_of |= technologies
        given: Counter[str] = Counter()
        for phrase, key in key_of.items():
            given[key] += keyword_projects[phrase]
        self._finder = PhraseIndex((tuple(phrase.split()), key) for phrase, key in key_of.items())
        self.shown: Mapping[str, str] = {
            key: key
            if key in technologies.values() or not spellings[key]
            else spellings[key].most_common(1)[0][0]
            for key in set(key_of.values())
        }
        total = len(index.projects)
        self.weight: Mapping[str, float] = {
            key: math.log((total + 1) / (projects + 1)) + 1.0 for key, projects in given.items()
        }
        self._of_project: dict[int, frozenset[str]] = {}

    def in_text(self, text: str) -> set[str]:
        """The topics ``text`` has."""
        return set(self._finder.count(words(fold(text))))

    def of_project(self, number: int) -> frozenset[str]:
        """The topics of a project's title and keywords (none for an unknown project)."""
        if number not in self._of_project:
            project = self._index.projects.get(number)
            found = self.in_text(f"{project.title}\n{project.keywords}") if project else set()
            self._of_project[number] = frozenset(found)
        return self._of_project[number]

    def of_members(self, members: Iterable[OrgProfile]) -> set[str]:
        """The topics of what ``members`` worked on: their projects', or their descriptions'
        when they have no project in the index."""
        found: set[str] = set()
        for member in members:
            found |= self._shown_by(member).keys()
        return found

    def evidence(self, profile: OrgProfile, topics: set[str]) -> dict[str, list[str]]:
        """Per topic of ``topics`` that ``profile`` shows, the acronyms (titles when there is
        none) of its projects that have it, sorted, or ``[OWN_TEXT]``."""
        shown = self._shown_by(profile)
        return {topic: shown[topic] for topic in topics if topic in shown}

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


def _keywords(index: MatchIndex) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """How many projects give each folded keyword phrase, and how each is written."""
    projects: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for project in index.projects.values():
        keys = set()
        for keyword in _KEYWORD_SEPARATOR.split(project.keywords):
            phrase = words(fold(keyword))
            if 0 < len(phrase) <= MAX_PHRASE_WORDS and not all(w.isdigit() for w in phrase):
                key = " ".join(phrase)
                keys.add(key)
                spellings[key][" ".join(keyword.split())] += 1
        projects.update(keys)
    return projects, spellings


def _distinctive(index: MatchIndex, key: str, projects: int) -> bool:
    """Whether a keyword phrase given by ``projects`` projects may be quoted."""
    if projects < MIN_KEYWORD_PROJECTS:
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
    """The topics of ``index``, read once per index (kept while the index lives)."""
    key = id(index)
    if key not in _TOPICS:
        _TOPICS[key] = Topics(index)
        weakref.finalize(index, _TOPICS.pop, key, None)
    return _TOPICS[key]
