"""A small registry for the consortium builder: clusters in four Member States, a university
and two organisations that cannot join (one is no legal entity)."""

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.domain.enums import OrgType
from tests.factories.organisations import make_organisation


def make_builder_registry(session: Session) -> dict[str, Organisation]:
    """Podkarpackie (PL823, a less developed region), Bavaria (DE) and Lyon (FR) hydrogen
    clusters on the ECCP; a Lisbon cork cluster not on it; a hydrogen university (DE); a
    bakery that is no legal entity; a Swiss lab (not eligible)."""
    made = {
        "pl": make_organisation(session, name="Podkarpackie Hydrogen Cluster", pic="200000001", country="PL", nuts="PL823"),
        "de": make_organisation(session, name="Bavaria Hydrogen Cluster", pic="200000002"),
        "fr": make_organisation(session, name="Lyon Hydrogen Cluster", pic="200000003", country="FR", nuts="FR101"),
        "pt": make_organisation(session, name="Lisbon Cork Cluster", pic="200000004", country="PT", nuts="PT170", eccp_registered=False),
        "uni": make_organisation(session, name="Hydrogen University", pic="200000005", nuts="DE213", type=OrgType.UNIVERSITY, eccp_registered=None),
        "bakery": make_organisation(session, name="Bakery", pic="200000006", country="FR", nuts="FR101", type=OrgType.SME, legal_entity=False),
        "ch": make_organisation(session, name="Hydrogen Lab", pic="200000007", country="CH", nuts=None, type=OrgType.RESEARCH_ORGANISATION),
    }  # fmt: skip
    made["pl"].description = "Cluster of hydrogen electrolyser makers"
    made["de"].description = "Hydrogen electrolysers and fuel cells for industry"
    made["fr"].description = "Hydrogen mobility and electrolysers"
    made["pt"].description = "Cork producers"
    made["uni"].description = "Research on hydrogen electrolysers and membranes"
    made["bakery"].description = "Bread, hydrogen-free"
    made["ch"].description = "Hydrogen electrolysers lab"
    session.flush()
    return made
