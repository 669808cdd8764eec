"""Selection: the files of ``clusterbridge selection rank`` and ``assign`` (a call's selection
settings with its evaluated proposals; an expert-assignment problem), read with the place of
every mistake, solved by ``engines.selection`` and written back as JSON.

Also finds conflicts of interest from the registry (``conflicts``: organisations by PIC and
their CORDIS projects, read through the registry's repositories). Owns no tables yet. Calls
only the shared helpers (``workbooks`` for bounded JSON reading).
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
