"""Technology centres by name: CORDIS has no such activity type and records them as research
organisations, so their names are read (ADR 0038).

A name says a technology centre when it holds a phrase of ``data/technology_centre_names.csv``
(``centro tecnologico``, ``centre technologique``, ``technology centre``, ``teknologisk
institut``, ...) or the name of a research and technology organisation (``TECNALIA``,
``SINTEF``, ``VTT``, ...). Names and phrases are matched as whole words, ignoring case and
accents, in the name and the short name.
"""

from dataclasses import dataclass
from functools import cache

from clusterbridge.engines.profiles.facts import Evidence
from clusterbridge.engines.profiles.terms import PhraseIndex, fold, read_terms, words

#: The code of the evidence a technology centre's name gives.
CENTRE_EVIDENCE_CODE = "name-technology-centre"
_PHRASE, _RTO = "phrase", "rto"


@dataclass(frozen=True, slots=True)
class _CentreNames:
    phrases: PhraseIndex
    organisations: PhraseIndex


@cache
def _names() -> _CentreNames:
    """The phrases and organisation names of ``data/technology_centre_names.csv``."""
    terms = read_terms("technology_centre_names.csv")
    return _CentreNames(
        phrases=_index(terms[_PHRASE]),
        organisations=_index(terms[_RTO]),
    )


def _index(terms: list[str]) -> PhraseIndex:
    return PhraseIndex((tuple(words(fold(term))), term) for term in terms)


def technology_centre_cue(name: str, short_name: str = "") -> Evidence | None:
    """Why the name (or short name) says a technology centre, or None when it does not.

    A phrase found gives "the name says a technology centre ('centro tecnologico')"; else the
    name of a research and technology organisation gives "the name is that of a research and
    technology organisation ('sintef')". Pure.
    """
    tokens = [*words(fold(name)), "", *words(fold(short_name))]
    names = _names()
    if found := sorted(names.phrases.count(tokens)):
        return _evidence("the name says a technology centre", found)
    if found := sorted(names.organisations.count(tokens)):
        return _evidence("the name is that of a research and technology organisation", found)
    return None


def _evidence(label: str, found: list[str]) -> Evidence:
    quoted = ", ".join(f"'{term}'" for term in found)
    return Evidence(code=CENTRE_EVIDENCE_CODE, label=f"{label} ({quoted})")
