"""Exchanges (ClusterXchange, issue 17): assignment problems as files, lump sums between two
places, the programme with the administrator's lump-sum table.

Owns the exchange rows (when stored). May call ``matching`` (suggestions with reasons),
``registry`` and ``accounts``, and the shared helpers.
"""

from clusterbridge.services.exchanges.files import assignment_to_dict, read_assignment_problem
from clusterbridge.services.exchanges.lump_sums import (
    LumpSumEstimate,
    estimate_lump_sum,
    estimate_to_dict,
    open_programme,
)
from clusterbridge.services.exchanges.places import Place, resolve_place

__all__ = [
    "LumpSumEstimate",
    "Place",
    "assignment_to_dict",
    "estimate_lump_sum",
    "estimate_to_dict",
    "open_programme",
    "read_assignment_problem",
    "resolve_place",
]
