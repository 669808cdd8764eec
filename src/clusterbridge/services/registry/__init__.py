"""Registry: organisations (clusters, SMEs, technology centres...): search, creating and editing
records, their fields and technology vocabulary, import and export files, and the CORDIS import.

Owns ``Organisation`` and its ecosystems, technologies, cluster memberships and members, and
the claims of users who ask to manage a record. Calls no other capability; only the shared
helpers (``services.text``, ``services.mail``).

Import the public names from here; the work is split over ``search``, ``named`` (the one
organisation a person names), ``edit``, ``claims``, ``fields``, ``files``, ``keys`` and
``cordis``.
"""

from clusterbridge.services.registry.claims import (
    ClaimConflictError,
    ClaimNotFoundError,
    claims_to_decide,
    create_claim,
    decide_claim,
    get_claim,
    latest_claim,
    list_my_claims,
    list_organisation_claims,
    list_pending_claims,
    my_organisations,
)
from clusterbridge.services.registry.edit import (
    DERIVED_FIELDS,
    NotAllowedError,
    OrganisationNotFoundError,
    can_edit,
    confirm_derived,
    create_organisation,
    get_cluster,
    get_organisation,
    get_organisation_by_pic,
    list_participations,
    update_organisation,
)
from clusterbridge.services.registry.fields import (
    FIELDS,
    technology_code,
    technology_names,
    vocabulary,
)
from clusterbridge.services.registry.files import (
    FILE_COLUMNS,
    ImportSummary,
    export_organisation,
    export_organisations,
    file_format,
    form_values,
    import_organisations,
)
from clusterbridge.services.registry.memberships import (
    MembershipRequestNotFoundError,
    count_requests_to_mine,
    decide_membership_request,
    list_requests_of,
    list_requests_to,
    may_decide,
)
from clusterbridge.services.registry.named import find_named_organisation
from clusterbridge.services.registry.notifier import ClaimNotifier
from clusterbridge.services.registry.profiles import type_evidence
from clusterbridge.services.registry.search import (
    MAX_PAGE,
    MAX_PER_PAGE,
    FacetCount,
    OrganisationFacets,
    OrganisationFilters,
    OrganisationListing,
    OrganisationSearchResult,
    find_clusters,
    list_listings,
    search_organisations,
)

__all__ = [
    "DERIVED_FIELDS",
    "FIELDS",
    "FILE_COLUMNS",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "ClaimConflictError",
    "ClaimNotFoundError",
    "ClaimNotifier",
    "FacetCount",
    "ImportSummary",
    "MembershipRequestNotFoundError",
    "NotAllowedError",
    "OrganisationFacets",
    "OrganisationFilters",
    "OrganisationListing",
    "OrganisationNotFoundError",
    "OrganisationSearchResult",
    "can_edit",
    "claims_to_decide",
    "confirm_derived",
    "count_requests_to_mine",
    "create_claim",
    "create_organisation",
    "decide_claim",
    "decide_membership_request",
    "export_organisation",
    "export_organisations",
    "file_format",
    "find_clusters",
    "find_named_organisation",
    "form_values",
    "get_claim",
    "get_cluster",
    "get_organisation",
    "get_organisation_by_pic",
    "import_organisations",
    "latest_claim",
    "list_listings",
    "list_my_claims",
    "list_organisation_claims",
    "list_participations",
    "list_pending_claims",
    "list_requests_of",
    "list_requests_to",
    "may_decide",
    "my_organisations",
    "search_organisations",
    "technology_code",
    "technology_names",
    "type_evidence",
    "update_organisation",
    "vocabulary",
]
