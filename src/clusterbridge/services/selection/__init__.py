"""Selection: the files of ``clusterbridge selection rank`` and ``assign`` (a call's selection
settings with its evaluated proposals; an expert-assignment problem), read with the place of
every mistake, solved by ``engines.selection`` and written back as JSON.

Also finds conflicts of interest from the registry (``conflicts``: organisations by PIC and
their CORDIS projects, read through the registry's repositories), and runs the evaluation of
the calls authored in the app (ADR 0025): the pool of experts and their fit (``experts``, with
the matching engine's text weighting), the assignment (``assignment``), individual and
consensus reports (``evaluation``), the panel's ranking and selection (``outcome``), the
letters and reports (``letters``, ``notices``) and who may see what (``access``). Owns the
tables of ``db.models.evaluation``. Calls only the shared helpers (``workbooks``, ``mail``).
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
