"""Monitored projects: created with a coordinator of the creator's, every field checked, seen
by their partners' users, officers and administrators only, changed by partners and
administrators. SQLite and PostgreSQL."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, User
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.domain.errors import AccessDeniedError, ConflictError, InvalidInputError
from clusterbridge.domain.monitoring import Period, ProjectKind, ProjectRole
from clusterbridge.services.monitoring import (
    ProjectDetails,
    ProjectDraft,
    ProjectNotFoundError,
    add_partner,
    can_manage,
    create_project,
    get_project,
    list_projects,
    partner_ids,
    project_periods,
    remove_partner,
    update_project,
)
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def cluster(session: Session) -> Organisation:
    return make_organisation(session, name="Mobility Cluster")


@pytest.fixture
def manager(session: Session, cluster: Organisation) -> User:
    user = make_user(session)
    add_member(session, cluster, user)
    return user


def draft(coordinator: Organisation, **changes: object) -> ProjectDraft:
    base = ProjectDraft(
        name="Euro  Mobility   Alliance",
        acronym="EMA ",
        kind=ProjectKind.EUROCLUSTER,
        start_date=date(2025, 1, 1),
        end_date=date(2026, 12, 31),
        period_months=6,
        coordinator_id=coordinator.id,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_project_is_created_with_its_coordinator_and_periods(
    session: Session, manager: User, cluster: Organisation
) -> None:
    project = create_project(session, manager, draft(cluster))
    assert (project.name, project.acronym) == ("Euro Mobility Alliance", "EMA")
    assert partner_ids(session, project.id) == [cluster.id]
    shown = get_project(session, manager, project.id)
    assert [(m.organisation.name, m.role) for m in shown.members] == [
        ("Mobility Cluster", ProjectRole.COORDINATOR)
    ]
    assert project_periods(shown)[-1] == Period(4, date(2026, 7, 1), date(2026, 12, 31))


def test_every_field_at_fault_is_named(
    session: Session, manager: User, cluster: Organisation
) -> None:
    create_project(session, manager, draft(cluster))
    other = make_organisation(session, name="Not Mine")
    bad = draft(
        cluster,
        name=" ",
        acronym="ema",
        end_date=date(2024, 12, 31),
        period_months=0,
        coordinator_id=other.id,
    )
    with pytest.raises(InvalidInputError) as caught:
        create_project(session, manager, bad)
    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("name", "is required"),
        ("acronym", '"ema" is the acronym of another project'),
        ("end_date", "is before the start date"),
        ("period_months", "must be between 1 and 36 months"),
        ("coordinator_id", "is not one of your organisations"),
    ]
    too_long = draft(cluster, acronym="X", end_date=date(2035, 1, 1), coordinator_id=10**6)
    with pytest.raises(InvalidInputError) as caught:
        create_project(session, manager, too_long)
    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("end_date", "is more than 10 years on"),
        ("coordinator_id", "is not one of your organisations"),
    ]


def test_a_start_too_late_for_the_calendar_is_named(
    session: Session, manager: User, cluster: Organisation
) -> None:
    latest = draft(cluster, start_date=date(9985, 12, 31), end_date=date(9995, 12, 30))
    # Ten years on from 9990 is past the calendar: the check itself failed (a 500).
    late = draft(cluster, acronym="X", start_date=date(9990, 1, 1), end_date=date(9990, 6, 30))

    project = create_project(session, manager, latest)
    with pytest.raises(InvalidInputError) as caught:
        create_project(session, manager, late)

    assert project_periods(project)[-1] == Period(20, date(9995, 6, 30), date(9995, 12, 30))
    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("start_date", "is after 9985-12-31"),
    ]


def test_who_sees_and_who_changes_a_project(
    session: Session, manager: User, cluster: Organisation
) -> None:
    project = create_project(session, manager, draft(cluster))
    sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
    sme_user = make_user(session, email="sme@tools.example", role=UserRole.ORGANISATION_MEMBER)
    add_member(session, sme, sme_user)
    officer = make_user(session, email="po@ec.example", role=UserRole.PROGRAMME_OFFICER)
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)

    with pytest.raises(ProjectNotFoundError):
        get_project(session, sme_user, project.id)
    assert list_projects(session, sme_user) == []
    assert [p.acronym for p in list_projects(session, officer)] == ["EMA"]
    assert get_project(session, officer, project.id).id == project.id
    assert not can_manage(session, officer, project)
    with pytest.raises(AccessDeniedError):
        add_partner(session, officer, project.id, sme.id)

    add_partner(session, admin, project.id, sme.id)
    assert sorted(partner_ids(session, project.id)) == sorted([cluster.id, sme.id])
    assert [p.acronym for p in list_projects(session, sme_user)] == ["EMA"]
    assert can_manage(session, sme_user, project)


def test_partners_are_added_once_and_the_coordinator_stays(
    session: Session, manager: User, cluster: Organisation
) -> None:
    project = create_project(session, manager, draft(cluster))
    sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
    add_partner(session, manager, project.id, sme.id)
    with pytest.raises(ConflictError, match="a partner already"):
        add_partner(session, manager, project.id, sme.id)
    with pytest.raises(InvalidInputError) as caught:
        add_partner(session, manager, project.id, 10**6)
    assert str(caught.value.issues[0]) == "organisation_id: is not an organisation of the registry"
    with pytest.raises(ConflictError, match="coordinator stays"):
        remove_partner(session, manager, project.id, cluster.id)
    remove_partner(session, manager, project.id, sme.id)
    assert partner_ids(session, project.id) == [cluster.id]
    with pytest.raises(ProjectNotFoundError):
        remove_partner(session, manager, project.id, sme.id)


def test_details_change_and_are_checked_as_at_creation(
    session: Session, manager: User, cluster: Organisation
) -> None:
    first = create_project(session, manager, draft(cluster))
    second = create_project(session, manager, draft(cluster, acronym="OTHER"))
    details = ProjectDetails(
        name="Other", acronym="ema", kind=ProjectKind.OTHER, start_date=date(2025, 1, 1),
        end_date=date(2025, 1, 1), period_months=37,
    )  # fmt: skip
    with pytest.raises(InvalidInputError) as caught:
        update_project(session, manager, second.id, details)
    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("acronym", '"ema" is the acronym of another project'),
        ("period_months", "must be between 1 and 36 months"),
    ]
    assert second.acronym == "OTHER"
    update_project(session, manager, first.id, replace(details, period_months=1))
    assert (first.acronym, first.kind, len(project_periods(first))) == ("ema", ProjectKind.OTHER, 1)
    officer = make_user(session, email="po@ec.example", role=UserRole.PROGRAMME_OFFICER)
    with pytest.raises(AccessDeniedError):
        update_project(session, officer, first.id, details)
