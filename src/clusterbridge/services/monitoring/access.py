"""Who sees an organisation's self-assessments: its own members and the administrators."""

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, User
from clusterbridge.db.repositories import assessments as repository
from clusterbridge.domain.assessment import counts_as_sme
from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.errors import ConflictError, DomainError
from clusterbridge.services import registry


class AssessmentNotFoundError(DomainError):
    """No such organisation, question, file or label, or one the user may not see."""

    status = 404


def own_organisation(session: Session, user: User | None, organisation_id: int) -> Organisation:
    """The organisation if ``user`` is one of its members or an administrator; otherwise
    ``AssessmentNotFoundError``, so that others do not learn that an assessment exists."""
    organisation = repository.organisation(session, organisation_id)
    if organisation is None or not registry.can_edit(session, user, organisation):
        raise AssessmentNotFoundError("No such organisation among yours.")
    return organisation


def own_cluster(session: Session, user: User | None, organisation_id: int) -> Organisation:
    """As ``own_organisation``, and the organisation must be a cluster organisation
    (``ConflictError`` otherwise)."""
    organisation = own_organisation(session, user, organisation_id)
    if organisation.type != OrgType.CLUSTER_ORGANISATION:
        raise ConflictError("The readiness self-assessment is for cluster organisations.")
    return organisation


#: Why an organisation that is no SME (``maturity_refusal``) takes no digital maturity assessment.
NOT_AN_SME = "The digital maturity self-assessment is for SMEs."


def maturity_refusal(organisation: Organisation) -> str | None:
    """Why ``organisation`` may not take the digital maturity self-assessment (it is no SME by
    ``domain.assessment.counts_as_sme``), or ``None`` when it may."""
    if counts_as_sme(is_sme=organisation.is_sme, org_type=organisation.type):
        return None
    return NOT_AN_SME


def own_sme(session: Session, user: User | None, organisation_id: int) -> Organisation:
    """As ``own_organisation``, and the organisation must be an SME (``maturity_refusal``;
    ``ConflictError`` otherwise)."""
    organisation = own_organisation(session, user, organisation_id)
    refusal = maturity_refusal(organisation)
    if refusal is not None:
        raise ConflictError(refusal)
    return organisation
