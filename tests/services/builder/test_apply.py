"""A builder completion applied to a saved consortium: all or nothing, refused (409) when the
consortium is no longer the one the builder completed."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Consortium, User
from clusterbridge.domain.enums import JobState, Role
from clusterbridge.domain.errors import ConflictError
from clusterbridge.services.builder.apply import apply_completion
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.jobs import completed_partner_ids
from clusterbridge.services.jobs.builder_job import BUILDER_BUILD
from tests.factories.builder import make_builder_registry
from tests.factories.consortia import make_consortium
from tests.factories.jobs import make_job
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _two_clusters(session: Session) -> tuple[User, Consortium, dict[str, int]]:
    """Olga's consortium of the Bavarian and the Lyon clusters, and the registry's ids."""
    orgs = {key: org.id for key, org in make_builder_registry(session).items()}
    olga = make_user(session, email="olga@cluster.example", name="Olga")
    consortium = make_consortium(session, owner=olga, name="Two clusters")
    for key in ("de", "fr"):
        consortium_partners.add_registry_partner(
            session, olga, consortium.id, orgs[key], changes={"role": Role.BENEFICIARY}
        )
    return olga, consortium, orgs


def _organisations(consortium: Consortium) -> list[int | None]:
    return [row.organisation_id for row in consortium.partners]


def test_a_completion_is_refused_when_a_partner_joined_since_the_builder_saw_it(
    session: Session,
) -> None:
    olga, consortium, orgs = _two_clusters(session)
    seen = [row.id for row in consortium.partners]
    apply_completion(session, olga, consortium.id, add=[orgs["pl"]], remove=[], seen=seen)

    with pytest.raises(ConflictError) as refused:
        apply_completion(session, olga, consortium.id, add=[orgs["uni"]], remove=[], seen=seen)

    assert str(refused.value) == (
        "Two clusters changed since the builder completed it: Podkarpackie Hydrogen Cluster "
        "became a partner"
    )
    assert _organisations(consortium) == [orgs["de"], orgs["fr"], orgs["pl"]]


def test_a_completion_is_refused_when_a_partner_it_kept_left(session: Session) -> None:
    olga, consortium, orgs = _two_clusters(session)
    seen = [row.id for row in consortium.partners]
    consortium_partners.remove_partner(session, olga, consortium.id, seen[1])

    with pytest.raises(ConflictError) as refused:
        apply_completion(session, olga, consortium.id, add=[orgs["pl"]], remove=[], seen=seen)

    assert str(refused.value) == (
        f"Two clusters changed since the builder completed it: partner {seen[1]} is no longer "
        "in the consortium"
    )
    assert _organisations(consortium) == [orgs["de"]]


def test_a_completion_of_the_consortium_the_builder_saw_applies(session: Session) -> None:
    olga, consortium, orgs = _two_clusters(session)
    seen = [row.id for row in consortium.partners]

    apply_completion(
        session, olga, consortium.id, add=[orgs["pl"], orgs["uni"]], remove=[seen[1]], seen=seen
    )

    assert _organisations(consortium) == [orgs["de"], orgs["pl"], orgs["uni"]]


@pytest.mark.parametrize(
    ("kind", "consortium_key", "expected"),
    [
        (BUILDER_BUILD, "same", [11, 12]),
        (BUILDER_BUILD, "other", None),  # a completion of another consortium
        ("schedule.solve", "same", None),
    ],
)
def test_the_partners_a_completion_job_saw_are_read_from_its_result(
    session: Session, kind: str, consortium_key: str, expected: list[int] | None
) -> None:
    olga = make_user(session, email="olga@cluster.example", name="Olga")
    consortium_id = 7 if consortium_key == "same" else 8
    result = {"summary": "", "consortium": {"id": consortium_id, "partner_ids": [11, 12]}}
    job = make_job(session, owner=olga, kind=kind, state=JobState.SUCCEEDED, result=result)

    assert completed_partner_ids(job, 7) == expected
