"""Technology centres by name: CORDIS has no such activity type and records them as research
organisations, so their names are read (ADR 0038).

A name says a technology centre when it holds a phrase of ``data/technology_centre_names.csv``
(``centro tecnologico``, ``centre technologique``, ``teknologisk institut``, ..., and the English
``technology centre``) or the name of a research and technology organisation (``TECNALIA``,
``SINTEF``, ``VTT``, ...), and no phrase that says it is something else (``business and
technology centre``, ``instituto tecnologico agrario``). Names and phrases are matched as whole
words, ignoring case and accents, in the name and the short name.
"""

from dataclasses import dataclass
from functools import cache

from clusterbridge.engines.profiles.facts import Evidence
from clusterbridge.engines.profiles.terms import PhraseIndex, fold, read_terms, words

#: The code of the evidence a technology centre's name gives.
CENTRE_EVIDENCE_CODE = "name-technology-centre"
_PHRASE, _ENGLISH, _RTO, _NOT = "phrase", "english", "rto", "not"


@dataclass(frozen=True, slots=True)
class _CentreNames:
    phrases: PhraseIndex
    english: PhraseIndex
    organisations: PhraseIndex
    vetoes: PhraseIndex


@cache
def _names() -> _CentreNames:
    """The phrases, organisation names and vetoes of ``data/technology_centre_names.csv``."""
    terms = read_terms("technology_centre_names.csv")
    return _CentreNames(
        phrases=_index(terms[_PHRASE]),
        english=_index(terms[_ENGLISH]),
        organisations=_index(terms[_RTO]),
        vetoes=_index(terms[_NOT]),
    )


def _index(terms: list[str]) -> PhraseIndex:
    return PhraseIndex((tuple(words(fold(term))), term) for term in terms)


def technology_centre_cue(
    name: str, short_name: str = "", *, english: bool = True
) -> Evidence | None:
    """Why the name (or short name) says a technology centre, or None when it does not.

    A phrase found gives "the name says a technology centre ('centro tecnologico')"; else the
    name of a research and technology organisation gives "the name is that of a research and
    technology organisation ('sintef')". With ``english=False`` the English phrases
    (``technology centre``, ``technological center``, ...) do not count: companies, business
    centres and publishers anywhere take them too. A veto phrase (``business and technology
    centre``) in the name or short name says no whatever else it holds. Pure.
    """
    tokens = [*words(fold(name)), "", *words(fold(short_name))]
    names = _names()
    if names.vetoes.count(tokens):
        return None
    phrases = names.phrases.count(tokens)
    if english:
        phrases += names.english.count(tokens)
    if found := sorted(phrases):
        return _evidence("the name says a technology centre", found)
    if found := sorted(names.organisations.count(tokens)):
        return _evidence("the name is that of a research and technology organisation", found)
    return None


def _evidence(label: str, found: list[str]) -> Evidence:
    quoted = ", ".join(f"'{term}'" for term in found)
    return Evidence(code=CENTRE_EVIDENCE_CODE, label=f"{label} ({quoted})")
