"""Applications that meet every rule of one shipped call: the bases golden tests break one rule of.

Each consortium is the smallest one that is plainly eligible, with every fact known. Locations:
DE212 München and ES511 Barcelona are more developed regions, PL823 Rzeszowski (PL82
Podkarpackie) is less developed, in 2014-2020 and in 2021-2027 alike.
"""

from clusterbridge.domain.consortium import Application
from clusterbridge.domain.enums import OrgType, Role, SmeProfile
from tests.factories.partners import make_application, make_partner

__all__ = [
    "make_cluster_excellence_consortium",
    "make_eurocluster_2021",
    "make_eurocluster_2024",
    "make_strategic_alliance",
]


def make_eurocluster_2024() -> Application:
    """A fully eligible SMP-COSME-2024-CLUSTER Eurocluster in Strand 1 for 36 months.

    Three ECCP-registered cluster organisations, legal entities, from three Member States: the
    coordinator ``Munich Cluster`` (DE, DE212), ``Rzeszow Cluster`` (PL, PL823, the partner in a
    less developed region) and ``Barcelona Cluster`` (ES, ES511).
    """
    return make_application(
        make_partner(name="Munich Cluster", country="DE", nuts="DE212", role=Role.COORDINATOR),
        make_partner(name="Rzeszow Cluster", country="PL", nuts="PL823"),
        make_partner(name="Barcelona Cluster", country="ES", nuts="ES511"),
        strand="1",
        duration_months=36,
    )


def make_eurocluster_2021() -> Application:
    """A fully eligible SMP-COSME-2021-CLUSTER Eurocluster in the "digital" strand for 36 months.

    Three cluster organisations, legal entities, from DE (coordinator), FR and IT.
    """
    return make_application(
        make_partner(name="Berlin Cluster", country="DE", role=Role.COORDINATOR),
        make_partner(name="Lyon Cluster", country="FR"),
        make_partner(name="Turin Cluster", country="IT"),
        strand="digital",
        duration_months=36,
    )


def make_strategic_alliance() -> Application:
    """A fully eligible strategic-alliances-2020 consortium: 24 months, EUR 2.5 million.

    Four legal entities from four Member States: a cluster organisation coordinating (DE), a
    technology centre (FR), a tech-savvy SME (IT) and a traditional SME (ES).
    """
    return make_application(
        make_partner(name="Cluster DE", country="DE", role=Role.COORDINATOR),
        make_partner(name="Tech Centre FR", country="FR", type=OrgType.TECHNOLOGY_CENTRE),
        make_partner(
            name="Savvy SME IT", country="IT", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY
        ),
        make_partner(
            name="Traditional SME ES",
            country="ES",
            type=OrgType.SME,
            sme_profile=SmeProfile.TRADITIONAL,
        ),
        duration_months=24,
        requested_grant_eur=2_500_000,
    )


def make_cluster_excellence_consortium() -> Application:
    """A fully eligible cluster-excellence consortium for 24 months.

    Four legal entities from four Member States: cluster organisations in DE (DE212,
    coordinator), ES (ES511) and FR (FR10), and a business network organisation in PL (PL823, the
    member in a less developed region for 2014-2020).
    """
    return make_application(
        make_partner(name="Munich Cluster", country="DE", nuts="DE212", role=Role.COORDINATOR),
        make_partner(
            name="Rzeszow Network", country="PL", nuts="PL823", type=OrgType.BUSINESS_NETWORK
        ),
        make_partner(name="Barcelona Cluster", country="ES", nuts="ES511"),
        make_partner(name="Paris Cluster", country="FR", nuts="FR10"),
        duration_months=24,
    )
