"""Needs a person declared in their own words, matched through the topics those words name.

A technology of the vocabulary ("Artificial intelligence") is matched by its code: who offers
it, with the projects that show it. A need typed in words the vocabulary does not know
("high-performance computing", "aluminium powder supply") has no code, so no organisation
"offers" it; yet the registry's projects show who works on it. Such a need is read for the
topics its words name (``topics``: a technology's phrase or a distinctive keyword phrase of
past projects, never a common word), and an organisation shows the need when one of its
projects has one of those topics in its title or keywords (an organisation without projects:
its description): those projects are the evidence a reason names. A need whose words name no
topic is matched by nobody (rather than by a word of running text, "supply").
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import OrgProfile, Technology
from clusterbridge.engines.matching.topics import Topics, columns_with_words, topics_of


@dataclass(frozen=True, slots=True)
class WordedNeed:
    """A need declared in words: its label as declared, whose need it is, the topics its
    words name (the longest when one is inside another) and, per row of the index, whether the
    organisation shows one of them in its projects (``shows``)."""

    label: str
    owner: str
    topics: tuple[str, ...]
    shows: np.ndarray


def is_worded(technology: Technology) -> bool:
    """Whether a technology was declared in words the vocabulary does not know: its key is then
    the folded label, which has no hyphen (a code always has one: ``ati-ai``, ``nzia-01``,
    ``crm-nickel``)."""
    return "-" not in technology.key


def worded_needs(index: MatchIndex, askers: Sequence[OrgProfile]) -> tuple[WordedNeed, ...]:
    """The needs ``askers`` declared in words, each with the rows that show it. Pure (the
    index's topics are read once per index)."""
    worded = [(asker, need) for asker in askers for need in asker.needed if is_worded(need)]
    if not worded:
        return ()  # the topics are not read for a question without such needs
    topics = topics_of(index)
    found = []
    for asker, need in worded:
        named = _named_topics(topics, need.label)
        found.append(WordedNeed(need.label, asker.name, named, _rows_showing(index, topics, named)))
    return tuple(found)


def need_evidence(index: MatchIndex, need: WordedNeed, profile: OrgProfile) -> dict[str, list[str]]:
    """Per topic of ``need`` that ``profile`` shows, the acronyms of its projects that have
    it (``Topics.evidence``)."""
    return topics_of(index).evidence(profile, set(need.topics))


def _named_topics(topics: Topics, label: str) -> tuple[str, ...]:
    """The quotable topics the words of ``label`` name, a topic inside a longer one left out."""
    quotable = {topic for topic in topics.in_text(label) if topics.is_quotable(topic)}
    return tuple(
        sorted(t for t in quotable if not any(t != o and f" {t} " in f" {o} " for o in quotable))
    )


def _rows_showing(index: MatchIndex, topics: Topics, named: Sequence[str]) -> np.ndarray:
    """Whether each row took part in a project whose title or keywords have a topic of
    ``named`` (only the projects whose text has every word of a topic are read), or, for an
    organisation without projects, whether its description has one."""
    shows = np.zeros(index.size, dtype=bool)
    columns = [
        column
        for topic in named
        for phrase in topics.phrases(topic)
        for column in columns_with_words(index, phrase)
        if topic in topics.of_project(index.project_ids[column])
    ]
    if columns:
        participants = index.participants[:, sorted(set(columns))]
        shows[np.unique(participants.nonzero()[0])] = True
    for topic in named:
        # An organisation known by its own description alone (no project in the index).
        shows[topics.own_text_rows(topic)] = True
    return shows
