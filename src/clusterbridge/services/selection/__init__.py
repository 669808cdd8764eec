"""Selection: the files of ``clusterbridge selection rank`` and ``assign`` (a call's selection
settings with its evaluated proposals; an expert-assignment problem), read with the place of
every mistake, solved by ``engines.selection`` and written back as JSON.

Also finds conflicts of interest from the registry (``conflicts``: organisations by PIC and
their CORDIS projects, read through the registry's repositories).

Owns ``ProgrammeCall``, ``Proposal`` and ``ProposalDocument``: the calls authored in the app
(``calls``, ``call_drafts``) and the proposals sent to them (``proposals``); and the tables of
``db.models.evaluation``: the evaluation of those calls (ADR 0025), the pool of experts and their
fit (``experts``, with the matching engine's text weighting), the assignment (``assignment``),
individual and consensus reports (``evaluation``), the panel's ranking and selection
(``outcome``), the letters and reports (``letters``, ``notices``), who may see what
(``access``) and what waits for an officer or an expert on the home page (``waiting``). Calls ``calls`` (the call-file format and the eligibility checker), ``consortia``
(a proposal's consortium and who may change it) and the shared helpers (``workbooks``,
``uploads``, ``mail``).
"""

from clusterbridge.services.selection.conflicts import (
    conflicts_to_dict,
    find_conflicts,
    read_conflicts_file,
)
from clusterbridge.services.selection.files import (
    assignment_to_dict,
    parse_assignment,
    parse_selection,
    read_assignment_file,
    read_selection_file,
    selection_to_dict,
)
from clusterbridge.services.selection.solving import assign, rank_and_select

__all__ = [
    "assign",
    "assignment_to_dict",
    "conflicts_to_dict",
    "find_conflicts",
    "parse_assignment",
    "parse_selection",
    "rank_and_select",
    "read_assignment_file",
    "read_conflicts_file",
    "read_selection_file",
    "selection_to_dict",
]
