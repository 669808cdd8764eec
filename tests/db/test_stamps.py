"""The registry's stamps name their tables without the ORM models: the names must be the models'."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.base import Base
from clusterbridge.db.models import (
    ClusterMembership,
    Organisation,
    OrganisationEcosystem,
    OrganisationEmbedding,
    OrganisationTechnology,
    Participation,
    Project,
)
from clusterbridge.db.repositories.stamps import COUNTED_TABLES, registry_stamp
from tests.factories.matching import make_matching_registry

pytestmark = pytest.mark.unit


def test_the_counted_tables_are_the_models_tables() -> None:
    models = (
        Organisation, OrganisationTechnology, OrganisationEcosystem, ClusterMembership,
        Participation, Project,
    )  # fmt: skip

    assert tuple(model.__tablename__ for model in models) == COUNTED_TABLES


def test_the_columns_the_stamps_read_are_the_models_columns() -> None:
    tables = Base.metadata.tables

    assert "updated_at" in tables[Organisation.__tablename__].c
    assert "id" in tables[Participation.__tablename__].c
    assert {"organisation_id", "model"} <= set(tables[OrganisationEmbedding.__tablename__].c.keys())


@pytest.mark.db
def test_the_stamp_counts_the_registry_and_changes_with_an_edit(session: Session) -> None:
    orgs = make_matching_registry(session)
    session.flush()
    before = registry_stamp(session)

    orgs["steel"].description = "Steel, now with robots."
    session.flush()
    after = registry_stamp(session)

    counts = [session.query(model).count() for model in (Organisation, Participation, Project)]
    assert (before[0], before[4], before[5]) == tuple(counts)
    assert after[:6] == before[:6]
    assert after[6] >= before[6]
    assert after[8] != before[8]
