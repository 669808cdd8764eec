"""What one project is about: the strength of each technology and ecosystem in its texts.

Each project is read once, however many organisations took part in it. Where a term is found
decides how much it counts: the title, the keywords and the topic code name what a project is
about (``MAIN_WEIGHT`` each); a EuroSciVoc term, assigned by CORDIS and sometimes off the mark,
needs support from another field (``EUROSCIVOC_WEIGHT``); each mention in the objective adds
one, up to a cap, so a technology named only in passing is never strong enough. A project
keeps only the codes strong enough (``TECHNOLOGY_STRONG``, or a row's own ``strong`` column for
generic terms such as renewable energy; ``ECOSYSTEM_STRONG``).
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from clusterbridge.engines.profiles.facts import ProjectText
from clusterbridge.engines.profiles.terms import (
    TermTable,
    ecosystem_table,
    fold,
    technology_table,
    words,
)

MAIN_WEIGHT = 3
EUROSCIVOC_WEIGHT = 2
#: Most the objective adds for technologies: mentions alone never make a project about one.
TECHNOLOGY_OBJECTIVE_CAP = 2
#: Most the objective adds for ecosystems: a sector the objective names three times is its own.
ECOSYSTEM_OBJECTIVE_CAP = 3
#: The strength from which a project is about a technology (unless its row sets another).
TECHNOLOGY_STRONG = 5
#: How much weaker a technology a traditional SME's project brings to it may be: a project
#: whose keywords name it, with one mention in the objective, brings it.
NEEDED_RELIEF = 1
#: The strength from which a project serves an ecosystem.
ECOSYSTEM_STRONG = 4
#: A project serves its strongest ecosystem and those nearly as strong (this share of it);
#: a sector named less is context (a desalination project powered by renewable energy).
ECOSYSTEM_RELATIVE = 0.6
#: Funding schemes of coordination, training and networks: their projects do not develop the
#: technologies they name, so only their ecosystems are read.
COORDINATION_SCHEMES = ("CSA", "COFUND", "Cofund", "MSCA", "EIT-KIC")


@dataclass(frozen=True, slots=True)
class _Words:
    folded: list[str]
    cased: list[str]

    @classmethod
    def of(cls, text: str) -> "_Words":
        return cls(folded=words(fold(text)), cased=words(text))


@dataclass(frozen=True, slots=True)
class ProjectSignals:
    """The technologies a project is about and the ecosystems it serves, with their strengths
    (only those strong enough; technologies down to ``NEEDED_RELIEF`` below their threshold)."""

    project_id: str
    acronym: str
    technologies: Mapping[str, int]
    ecosystems: Mapping[str, int]

    def technologies_about(self, *, relief: int = 0) -> dict[str, int]:
        """The technologies at least as strong as their threshold less ``relief``."""
        return {c: v for c, v in self.technologies.items() if v >= technology_threshold(c) - relief}


def technology_threshold(code: str) -> int:
    """The strength from which a project is about this technology."""
    return technology_table().thresholds.get(code, TECHNOLOGY_STRONG)


def detect_project(project: ProjectText) -> ProjectSignals:
    """Find the technologies a project is about and the ecosystems it serves.

    A coordination or training project (``COORDINATION_SCHEMES``) gets no technologies. Reads
    the shipped term files (cached after the first call); pure otherwise.
    """
    fields = (_Words.of(project.title), _Words.of(project.keywords))
    objective = _Words.of(project.objective)
    technologies: dict[str, int] = {}
    if not any(scheme in project.funding_scheme for scheme in COORDINATION_SCHEMES):
        found = _strengths(
            technology_table(), project, fields, objective, cap=TECHNOLOGY_OBJECTIVE_CAP
        )
        technologies = {
            c: v for c, v in found.items() if v >= technology_threshold(c) - NEEDED_RELIEF
        }
    ecosystems = _strengths(
        ecosystem_table(), project, fields, objective, cap=ECOSYSTEM_OBJECTIVE_CAP
    )
    return ProjectSignals(
        project_id=project.id,
        acronym=project.acronym or project.id,
        technologies=technologies,
        ecosystems=_main_ecosystems(ecosystems),
    )


def _main_ecosystems(strengths: dict[str, int]) -> dict[str, int]:
    thresholds = ecosystem_table().thresholds
    strong = {s: v for s, v in strengths.items() if v >= thresholds.get(s, ECOSYSTEM_STRONG)}
    floor = ECOSYSTEM_RELATIVE * max(strong.values(), default=0)
    return {s: v for s, v in strong.items() if v >= floor}


def _strengths(
    table: TermTable,
    project: ProjectText,
    fields: tuple[_Words, ...],
    objective: _Words,
    *,
    cap: int,
) -> dict[str, int]:
    strength: Counter[str] = Counter()
    for field in fields:
        for code in table.count(field.folded, field.cased):
            strength[code] += MAIN_WEIGHT
    for code in table.topic_codes(project.topic):
        strength[code] += MAIN_WEIGHT
    for code in table.euroscivoc_codes(project.euroscivoc_terms):
        strength[code] += EUROSCIVOC_WEIGHT
    for code, mentions in table.count(objective.folded, objective.cased).items():
        strength[code] += min(mentions, cap)
    if table.needs_context and strength.keys() & table.needs_context:
        _drop_without_context(table, strength, (*fields, objective))
    return dict(strength)


def _drop_without_context(
    table: TermTable, strength: Counter[str], fields: tuple[_Words, ...]
) -> None:
    found: Counter[str] = Counter()
    for field in fields:
        found += table.context.count(field.folded)
    for code in strength.keys() & table.needs_context:
        if not found[code]:
            del strength[code]
