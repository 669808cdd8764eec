"""Technologies a person declared in their own words, matched through the topics those words name.

A technology of the vocabulary ("Artificial intelligence") is matched by its code: who offers
it, with the projects that show it. A need typed in words the vocabulary does not know
("high-performance computing", "aluminium powder supply") has no code, so no organisation
"offers" it by code; yet the registry's projects show who works on it. Such a need is read for
the topics its words name (``topics``: a technology's phrase or a distinctive keyword phrase of
past projects, never a common word), and an organisation shows the need when one of its
projects has one of those topics in its title or keywords (an organisation without projects:
its description), or when an offer it declared names one of them ("HPC on demand"): those
projects and offers are the evidence a reason names. A word of the need that is no topic but
that projects give inside their keywords ("welding" of "welding automation", when projects give
"laser welding" and "repair welding") is read the same way, through the projects whose title or
keywords have it, when it is not common (``Topics.is_quotable_word``). A need whose words name
no topic nor such a word is matched by nobody (rather than by a word of running text, "supply",
"automation").

An offer declared in words is matched the same way, both ways: a need of the vocabulary
("Artificial intelligence") by the offers in words that name it ("AI quality inspection"), and
an offer in words by the declared needs (of the vocabulary or in words) that name its topics.
Two technologies of the vocabulary are matched by their codes only. A technology in words is
never matched by its whole phrase as if it were a code: two organisations that wrote the same
words ("laser cutting and welding") are matched through the topics those words name, counted
once, and the reason quotes the words; words that name no topic match nobody.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from clusterbridge.engines.matching.index import Incidence, MatchIndex, rows_with
from clusterbridge.engines.matching.profile import OrgProfile, Technology
from clusterbridge.engines.matching.topics import Topics, columns_with_words, topics_of
from clusterbridge.engines.profiles.terms import fold, words


@dataclass(frozen=True, slots=True)
class WordedNeed:
    """A need matched through the topics its words name: its label as declared, whose need it
    is, those topics (the longest when one is inside another), per row of the index whether the
    organisation shows one of them (``shows``), and the labels of the offers each row declared
    that name one (``offers``, by row). ``by_projects`` is False for a need of the vocabulary,
    which its code matches to the projects (derived offers): only offers in words are read."""

    label: str
    owner: str
    topics: tuple[str, ...]
    shows: np.ndarray
    offers: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    by_projects: bool = True
    #: The words of the need that are no topic nor inside one but that projects give in
    #: their keywords and that are not common ("welding" of "welding automation"):
    #: an organisation shows the need through the projects whose title or keywords have one.
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WordedOffer:
    """An offer matched through the topics its words name: its label, whose offer it is, those
    topics, per row whether the organisation declared a need that names one of them
    (``shows``), and the labels of those needs (``needs``, by row). Rows that need it by its
    code are matched by the code, not here."""

    label: str
    owner: str
    topics: tuple[str, ...]
    shows: np.ndarray
    needs: Mapping[int, tuple[str, ...]] = field(default_factory=dict)


def is_worded(technology: Technology) -> bool:
    """Whether a technology was declared in words the vocabulary does not know: its key is then
    the folded label, which has no hyphen (a code always has one: ``ati-ai``, ``nzia-01``,
    ``crm-nickel``)."""
    return "-" not in technology.key


def worded_needs(index: MatchIndex, askers: Sequence[OrgProfile]) -> tuple[WordedNeed, ...]:
    """The needs of ``askers`` matched through their topics, each with the rows that show it:
    every need declared in words; a need of the vocabulary when the registry has offers in
    words (and an offer in words names it). Pure (the index's topics are read once per index,
    and not at all for a question that needs none)."""
    asked = _asked(askers, "needed", vocabulary_too=_has_worded(index.offered))
    if not asked:
        return ()  # the topics are not read for a question without such needs
    topics = topics_of(index)
    found = []
    for asker, need in asked:
        named = _named_topics(topics, need.label)
        worded = is_worded(need)
        offers = _declaring(index, topics, "offered", named, need, worded_only=not worded)
        said = _named_words(topics, need.label, named) if worded else ()
        shows = _rows_showing(index, topics, named) if worded else np.zeros(index.size, bool)
        shows |= _rows_naming(index, topics, said)
        shows[list(offers)] = True
        if worded or offers:
            found.append(WordedNeed(need.label, asker.name, named, shows, offers, worded, said))
    return tuple(found)


def worded_offers(index: MatchIndex, askers: Sequence[OrgProfile]) -> tuple[WordedOffer, ...]:
    """The offers of ``askers`` matched through their topics to the needs others declared:
    every offer in words, and an offer of the vocabulary when the registry has needs in words.
    Offers with no such need are left out. Pure."""
    asked = _asked(askers, "offered", vocabulary_too=_has_worded(index.needed))
    if not asked:
        return ()
    topics = topics_of(index)
    found = []
    for asker, offer in asked:
        named = _named_topics(topics, offer.label)
        needs = _declaring(index, topics, "needed", named, offer, worded_only=not is_worded(offer))
        if needs:
            shows = np.zeros(index.size, dtype=bool)
            shows[list(needs)] = True
            found.append(WordedOffer(offer.label, asker.name, named, shows, needs))
    return tuple(found)


def need_evidence(index: MatchIndex, need: WordedNeed, profile: OrgProfile) -> dict[str, list[str]]:
    """Per topic of ``need`` that ``profile`` shows, the acronyms of its projects that have
    it (``Topics.evidence``), and the same per word of ``need.words`` (``word_evidence``)."""
    topics = topics_of(index)
    found = topics.evidence(profile, set(need.topics))
    for word in need.words:
        shown = topics.word_evidence(profile, word)
        if shown:
            found[word] = shown
    return found


def _named_topics(topics: Topics, label: str) -> tuple[str, ...]:
    """The quotable topics the words of ``label`` name, a topic inside a longer one left out."""
    quotable = {topic for topic in topics.in_text(label) if topics.is_quotable(topic)}
    return tuple(
        sorted(t for t in quotable if not any(t != o and f" {t} " in f" {o} " for o in quotable))
    )


def _named_words(topics: Topics, label: str, named: Sequence[str]) -> tuple[str, ...]:
    """The words of ``label`` (folded, in order, once) outside the topics ``named`` that a
    reason may quote (``Topics.is_quotable_word``): never a common word."""
    inside = {word for topic in named for phrase in topics.phrases(topic) for word in phrase}
    said = dict.fromkeys(w for w in words(fold(label)) if w not in inside)
    return tuple(word for word in said if topics.is_quotable_word(word))


def _rows_naming(index: MatchIndex, topics: Topics, said: Sequence[str]) -> np.ndarray:
    """Whether each row took part in a project whose title or keywords have a word of
    ``said``, or, for an organisation without projects, whether its description has one."""
    shows = np.zeros(index.size, dtype=bool)
    columns = sorted({int(c) for word in said for c in topics.word_columns(word)})
    if columns:
        shows[np.unique(index.participants[:, columns].nonzero()[0])] = True
    for word in said:
        shows[topics.own_text_word_rows(word)] = True
    return shows


def _asked(
    askers: Sequence[OrgProfile], side: str, *, vocabulary_too: bool
) -> list[tuple[OrgProfile, Technology]]:
    """Each asker with each of its technologies on ``side`` (``needed`` or ``offered``) that is
    matched through topics: those in words, and those of the vocabulary too when
    ``vocabulary_too`` (the other side of the registry has technologies in words)."""
    return [
        (asker, technology)
        for asker in askers
        for technology in getattr(asker, side)
        if is_worded(technology) or vocabulary_too
    ]


def _has_worded(incidence: Incidence) -> bool:
    """Whether some organisation declared one of ``incidence``'s technologies in words."""
    return any("-" not in key for key in incidence.columns)


def _declaring(
    index: MatchIndex,
    topics: Topics,
    field: str,
    named: Sequence[str],
    technology: Technology,
    *,
    worded_only: bool,
) -> dict[int, tuple[str, ...]]:
    """Per row whose declared ``field`` names a topic of ``named`` (only those declared in
    words with ``worded_only``), the labels that do; the rows that declared ``technology``
    by its code (one of the vocabulary) are matched by the code and left out. A technology in
    words is matched here only: those who wrote the same words are found by its topics, like
    any other wording."""
    keyed = (
        np.zeros(index.size, dtype=bool)
        if is_worded(technology)
        else rows_with(getattr(index, field), [technology.key])
    )
    found: dict[int, set[str]] = {}
    for topic in named:
        for row, item in topics.declared(field, topic):
            if not keyed[row] and (is_worded(item) or not worded_only):
                found.setdefault(row, set()).add(item.label)
    return {row: tuple(sorted(labels)) for row, labels in sorted(found.items())}


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
