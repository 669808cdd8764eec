"""The eligibility engine: partner filters, registered conditions, and evaluation to a report.

Importing the package registers every condition, so a call file can name any of them.
"""

from clusterbridge.domain.eligibility import (
    composition_conditions,
    partner_conditions,
    proposal_conditions,
)

__all__ = ["composition_conditions", "partner_conditions", "proposal_conditions"]
