"""Registry: organisations (clusters, SMEs, technology centres...): search, creating and editing
records, their fields and technology vocabulary, import and export files, and the CORDIS import.

Owns ``Organisation`` and its ecosystems, technologies, cluster memberships and members. Calls no
other capability; only the shared helpers (``services.text``).

Import the public names from here; the work is split over ``search``, ``edit``, ``fields``,
``files``, ``keys`` and ``cordis``.
"""

from clusterbridge.services.registry.edit import (
    DERIVED_FIELDS,
    NotAllowedError,
    OrganisationNotFoundError,
    can_edit,
    confirm_derived,
    create_organisation,
    get_organisation,
    get_organisation_by_pic,
    list_participations,
    update_organisation,
)
from clusterbridge.services.registry.fields import FIELDS, technology_code, vocabulary
from clusterbridge.services.registry.files import (
    FILE_COLUMNS,
    FileFormat,
    ImportSummary,
    export_organisations,
    file_format,
    form_values,
    import_organisations,
)
from clusterbridge.services.registry.search import (
    MAX_PAGE,
    MAX_PER_PAGE,
    FacetCount,
    OrganisationFacets,
    OrganisationFilters,
    OrganisationListing,
    OrganisationSearchResult,
    list_cluster_organisations,
    search_organisations,
)

__all__ = [
    "DERIVED_FIELDS",
    "FIELDS",
    "FILE_COLUMNS",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "FacetCount",
    "FileFormat",
    "ImportSummary",
    "NotAllowedError",
    "OrganisationFacets",
    "OrganisationFilters",
    "OrganisationListing",
    "OrganisationNotFoundError",
    "OrganisationSearchResult",
    "can_edit",
    "confirm_derived",
    "create_organisation",
    "export_organisations",
    "file_format",
    "form_values",
    "get_organisation",
    "get_organisation_by_pic",
    "import_organisations",
    "list_cluster_organisations",
    "list_participations",
    "search_organisations",
    "technology_code",
    "update_organisation",
    "vocabulary",
]
