"""Consortia and their partners through the services: exact values, access left to its own file."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.enums import OrgType, Role, SmeProfile, Verdict
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.calls.catalogue import Catalogue, load_catalogue
from clusterbridge.services.consortia import consortia
from clusterbridge.services.consortia import partners as consortium_partners
from clusterbridge.services.consortia.consortia import ConsortiumDetails
from tests.conftest import NOW
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

CALL = "SMP-COSME-2024-CLUSTER"


@pytest.fixture
def owner(session: Session) -> User:
    return make_user(session)


def test_create_consortium_stores_the_details_and_makes_the_owner_an_editor(
    session: Session, owner: User, catalogue: Catalogue
) -> None:
    details = ConsortiumDetails(
        name="  Isar Eurocluster ",
        call_id="smp-cosme-2024-cluster",
        strand="1",
        duration_months=36,
        requested_grant_eur=4_000_000,
    )

    created = consortia.create_consortium(session, owner, details, catalogue=catalogue)

    assert (created.name, created.call_id, created.strand) == ("Isar Eurocluster", CALL, "1")
    assert (created.duration_months, created.requested_grant_eur) == (36, 4_000_000)
    assert (created.owner_id, created.shared) == (owner.id, False)
    assert [(m.user_id, m.can_edit) for m in created.members] == [(owner.id, True)]


def test_create_consortium_names_every_bad_field(
    session: Session, owner: User, catalogue: Catalogue
) -> None:
    details = ConsortiumDetails(name=" ", call_id="NO-SUCH-CALL", strand="9", duration_months=0)

    with pytest.raises(InvalidInputError) as raised:
        consortia.create_consortium(session, owner, details, catalogue=catalogue)

    known = "SMP-COSME-2021-CLUSTER, SMP-COSME-2024-CLUSTER, cluster-excellence, strategic-alliances-2020"
    assert raised.value.issues == (
        InputIssue("", "name", "is required"),
        InputIssue("", "call_id", f'"NO-SUCH-CALL" is not a call; calls: {known}'),
        InputIssue("", "strand", "choose a call before its strand"),
        InputIssue("", "duration_months", "must be 1 to 1200 months, not 0"),
    )


def test_create_consortium_refuses_a_strand_of_another_call(
    session: Session, owner: User, catalogue: Catalogue
) -> None:
    details = ConsortiumDetails(name="X", call_id=CALL, strand="digital")

    with pytest.raises(InvalidInputError) as raised:
        consortia.create_consortium(session, owner, details, catalogue=catalogue)

    assert raised.value.issues == (
        InputIssue("", "strand", f'"digital" is not a strand of {CALL}; strands: 1, 2'),
    )


def test_update_consortium_changes_only_the_given_fields(
    session: Session, owner: User, catalogue: Catalogue
) -> None:
    consortium = make_consortium(session, owner=owner, requested_grant_eur=3_000_000)

    updated = consortia.update_consortium(
        session,
        owner,
        consortium.id,
        {"strand": "2", "duration_months": None},
        catalogue=catalogue,
    )

    assert (updated.name, updated.call_id, updated.strand) == ("Isar Eurocluster", CALL, "2")
    assert (updated.duration_months, updated.requested_grant_eur) == (None, 3_000_000)


def test_update_consortium_validates_the_strand_against_the_new_call(
    session: Session, owner: User, catalogue: Catalogue
) -> None:
    consortium = make_consortium(session, owner=owner)

    with pytest.raises(InvalidInputError) as raised:
        consortia.update_consortium(
            session,
            owner,
            consortium.id,
            {"call_id": "strategic-alliances-2020"},
            catalogue=catalogue,
        )

    reason = (
        '"1" is not a strand of strategic-alliances-2020; strands: none (this call has no strands)'
    )
    assert raised.value.issues == (InputIssue("", "strand", reason),)
    assert consortium.call_id == CALL


def test_delete_consortium_removes_it(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    add_partner(session, consortium)

    consortia.delete_consortium(session, owner, consortium.id)

    assert consortia.list_consortia(session, owner, catalogue=load_catalogue(), now=NOW) == []


def test_registry_partner_takes_its_values_from_the_registry(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    organisation = make_organisation(session, pic="999999001")

    row = consortium_partners.add_registry_partner(
        session, owner, consortium.id, organisation.id, changes={"role": Role.COORDINATOR}
    )

    assert (row.position, row.organisation_id, row.name, row.country) == (
        1,
        organisation.id,
        None,
        None,
    )
    assert consortia.partner_snapshot(row) == Partner(
        name="Munich Cluster",
        country="DE",
        nuts="DE212",
        type=OrgType.CLUSTER_ORGANISATION,
        legal_entity=True,
        eccp_registered=True,
        role=Role.COORDINATOR,
        pic="999999001",
    )


def test_registry_partner_cannot_be_added_twice(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    organisation = make_organisation(session)
    consortium_partners.add_registry_partner(session, owner, consortium.id, organisation.id)

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.add_registry_partner(session, owner, consortium.id, organisation.id)

    assert raised.value.issues == (
        InputIssue("", "organisation_id", "Munich Cluster is already a partner of this consortium"),
    )


def test_an_unknown_organisation_is_named(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.add_registry_partner(session, owner, consortium.id, 424242)

    assert raised.value.issues == (
        InputIssue("", "organisation_id", "there is no organisation 424242 in the registry"),
    )


@pytest.mark.parametrize(
    "org_type",
    [
        OrgType.RESEARCH_ORGANISATION,
        OrgType.CLUSTER_ORGANISATION,
        OrgType.UNIVERSITY,
        OrgType.PUBLIC_BODY,
    ],
)
def test_registry_partner_with_a_recorded_sme_profile_is_added_as_recorded(
    session: Session, owner: User, org_type: OrgType
) -> None:
    consortium = make_consortium(session, owner=owner)
    add_partner(session, consortium, name="Munich Cluster", country="DE")
    organisation = make_organisation(
        session,
        name="AIDIMME",
        country="ES",
        nuts="ES523",
        type=org_type,
        sme_profile=SmeProfile.TECH_SAVVY,
    )

    row = consortium_partners.add_registry_partner(
        session, owner, consortium.id, organisation.id, changes={"role": Role.BENEFICIARY}
    )
    consortium_partners.update_partner(
        session, owner, consortium.id, row.id, {"eccp_registered": False}
    )

    snapshot = consortia.partner_snapshot(row)
    assert (row.organisation_id, row.type, row.sme_profile, row.eccp_registered) == (
        organisation.id,
        None,
        None,
        False,
    )
    assert (snapshot.type, snapshot.sme_profile, snapshot.role) == (
        org_type,
        SmeProfile.TECH_SAVVY,
        Role.BENEFICIARY,
    )


def test_a_typed_sme_profile_for_a_registry_non_sme_names_its_type(
    session: Session, owner: User
) -> None:
    consortium = make_consortium(session, owner=owner)
    organisation = make_organisation(session, type=OrgType.CLUSTER_ORGANISATION)
    row = consortium_partners.add_registry_partner(session, owner, consortium.id, organisation.id)

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.update_partner(
            session, owner, consortium.id, row.id, {"sme_profile": SmeProfile.TRADITIONAL}
        )

    reason = "only an SME has an SME profile, and this partner is a cluster organisation"
    assert raised.value.issues == (InputIssue("partner 1", "sme_profile", reason),)
    assert row.sme_profile is None


def test_overrides_win_over_the_registry_and_none_resets_them(
    session: Session, owner: User
) -> None:
    consortium = make_consortium(session, owner=owner)
    organisation = make_organisation(session, eccp_registered=None, type=None)
    row = consortium_partners.add_registry_partner(session, owner, consortium.id, organisation.id)

    consortium_partners.update_partner(
        session,
        owner,
        consortium.id,
        row.id,
        {"eccp_registered": True, "type": OrgType.CLUSTER_NETWORK, "nuts": "de212"},
    )
    overridden = consortia.partner_snapshot(row)
    consortium_partners.update_partner(session, owner, consortium.id, row.id, {"type": None})

    assert (overridden.eccp_registered, overridden.type, overridden.nuts) == (
        True,
        OrgType.CLUSTER_NETWORK,
        "DE212",
    )
    assert (row.nuts, row.type, consortia.partner_snapshot(row).type) == ("DE212", None, None)


def test_update_partner_validates_like_a_file_row(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    row = add_partner(session, consortium, name="Rzeszow Cluster", country="PL")

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.update_partner(
            session, owner, consortium.id, row.id, {"nuts": "DE212", "pic": "12"}
        )

    assert raised.value.issues == (
        InputIssue("partner 1", "nuts", "NUTS code DE212 is in DE, not PL"),
        InputIssue("partner 1", "pic", '"12" is not a PIC: a PIC has exactly 9 digits'),
    )
    assert (row.nuts, row.pic) == (None, None)


def test_a_second_coordinator_is_refused(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    add_partner(session, consortium, name="Munich Cluster", country="DE", role=Role.COORDINATOR)
    second = add_partner(session, consortium)

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.update_partner(
            session, owner, consortium.id, second.id, {"role": Role.COORDINATOR}
        )

    assert raised.value.issues == (
        InputIssue("partner 2", "role", "Munich Cluster (DE) is already the coordinator"),
    )


def test_typed_partner_is_validated_and_normalised(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)

    row = consortium_partners.add_typed_partner(
        session,
        owner,
        consortium.id,
        {"name": "Barcelona Cluster", "country": "Spain", "nuts": "es511", "eccp_registered": "y"},
    )

    assert (row.name, row.country, row.nuts, row.eccp_registered, row.organisation_id) == (
        "Barcelona Cluster",
        "ES",
        "ES511",
        True,
        None,
    )


def test_typed_partner_reports_every_bad_cell(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.add_typed_partner(
            session, owner, consortium.id, {"name": "", "country": "Atlantis", "role": "boss"}
        )

    assert raised.value.summary == "The partner has 3 problems"
    assert [(i.location, i.field) for i in raised.value.issues] == [
        ("partner 1", "name"),
        ("partner 1", "country"),
        ("partner 1", "role"),
    ]


def test_typed_partner_with_every_cell_blank_names_the_required_fields(
    session: Session, owner: User
) -> None:
    consortium = make_consortium(session, owner=owner)
    add_partner(session, consortium)
    blank = {"name": "", "country": " ", "nuts": "", "type": "", "role": "", "pic": ""}

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.add_typed_partner(session, owner, consortium.id, blank)

    assert raised.value.summary == "The partner has 2 problems"
    assert raised.value.issues == (
        InputIssue("partner 2", "name", "is required"),
        InputIssue("partner 2", "country", "is required"),
    )
    assert len(consortium.partners) == 1


def test_typed_partner_with_a_registry_pic_is_linked(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    organisation = make_organisation(session, pic="999999001", eccp_registered=None)

    row = consortium_partners.add_typed_partner(
        session,
        owner,
        consortium.id,
        {"name": "Munich Cluster", "country": "DE", "pic": "999999001", "eccp_registered": "yes"},
    )

    assert (row.organisation_id, row.name, row.country, row.pic, row.eccp_registered) == (
        organisation.id,
        None,
        None,
        None,
        True,
    )


def test_upload_adds_every_partner_and_links_registry_pics(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    organisation = make_organisation(session, pic="999999001")
    data = (
        b"name,country,nuts,role,pic\n"
        b"Munich Cluster,DE,DE212,coordinator,999999001\n"
        b"Rzeszow Cluster,PL,PL823,beneficiary,\n"
    )

    rows = consortium_partners.upload_partners(
        session, owner, consortium.id, filename="C:\\Users\\me\\partners.csv", data=data
    )

    assert [(r.position, r.organisation_id, r.name, r.role) for r in rows] == [
        (1, organisation.id, None, Role.COORDINATOR),
        (2, None, "Rzeszow Cluster", Role.BENEFICIARY),
    ]


def test_upload_is_all_or_nothing_and_reports_every_bad_cell(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    add_partner(session, consortium, name="Rzeszow Cluster", country="PL")
    data = b"name,country,legal_entity\nGood Cluster,FR,yes\nBad,XX,maybe\n"

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.upload_partners(
            session, owner, consortium.id, filename="partners.csv", data=data
        )

    assert raised.value.summary == "partners.csv has 2 problems"
    assert [(i.location, i.field) for i in raised.value.issues] == [
        ("line 3", "country"),
        ("line 3", "legal_entity"),
    ]
    assert [p.name for p in consortia.get_consortium(session, owner, consortium.id).partners] == [
        "Rzeszow Cluster"
    ]


def test_upload_refuses_partners_already_in_the_consortium(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    add_partner(session, consortium, name="Rzeszow Cluster", country="PL")

    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.upload_partners(
            session,
            owner,
            consortium.id,
            filename="p.json",
            data=b'[{"name": "Rzeszow  cluster", "country": "Poland"}]',
        )

    assert raised.value.issues == (
        InputIssue("p.json", "name", "Rzeszow Cluster (PL) is already a partner"),
    )


def test_remove_partner_deletes_only_that_partner(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner)
    first = add_partner(session, consortium, name="A", country="DE")
    add_partner(session, consortium, name="B", country="FR")

    consortium_partners.remove_partner(session, owner, consortium.id, first.id)

    assert [p.name for p in consortia.get_consortium(session, owner, consortium.id).partners] == [
        "B"
    ]


def test_check_without_a_call_says_what_to_do(session: Session, owner: User) -> None:
    consortium = make_consortium(session, owner=owner, call_id=None, strand=None)

    check = consortia.check_consortium(consortium, catalogue=load_catalogue(), now=NOW)

    assert check == consortia.ConsortiumCheck(
        None, "Choose a call to check the consortium against its rules."
    )


def test_adding_registry_partners_step_by_step_makes_a_eurocluster_eligible(
    session: Session, owner: User, catalogue: Catalogue
) -> None:
    consortium = make_consortium(session, owner=owner)
    munich = make_organisation(session, name="Munich Cluster", country="DE", nuts="DE212")
    rzeszow = make_organisation(
        session, name="Rzeszow Cluster", country="PL", nuts="PL823", eccp_registered=None
    )
    barcelona = make_organisation(
        session, name="Barcelona Cluster", country="ES", nuts="ES511", eccp_registered=None
    )
    verdicts = []

    def verdict() -> Verdict | None:
        report = consortia.check_consortium(consortium, catalogue=catalogue, now=NOW).report
        return report.verdict if report else None

    consortium_partners.add_registry_partner(
        session, owner, consortium.id, munich.id, changes={"role": Role.COORDINATOR}
    )
    verdicts.append(verdict())
    row = consortium_partners.add_registry_partner(
        session, owner, consortium.id, rzeszow.id, changes={"role": Role.BENEFICIARY}
    )
    verdicts.append(verdict())
    consortium_partners.add_registry_partner(
        session, owner, consortium.id, barcelona.id, changes={"role": Role.BENEFICIARY}
    )
    verdicts.append(verdict())
    consortium_partners.update_partner(
        session, owner, consortium.id, row.id, {"eccp_registered": True}
    )
    verdicts.append(verdict())

    assert verdicts == [
        Verdict.INELIGIBLE,
        Verdict.INELIGIBLE,
        Verdict.INCOMPLETE,
        Verdict.ELIGIBLE,
    ]


def test_parse_partner_changes_reads_form_cells() -> None:
    changes = consortium_partners.parse_partner_changes(
        {"role": "Coordinator", "eccp_registered": "no", "type": "", "nuts": " PL823 "}
    )

    assert changes == {
        "role": Role.COORDINATOR,
        "eccp_registered": False,
        "type": None,
        "nuts": "PL823",
    }


def test_parse_partner_changes_names_bad_cells() -> None:
    with pytest.raises(InvalidInputError) as raised:
        consortium_partners.parse_partner_changes({"eccp_registered": "perhaps", "colour": "x"})

    assert raised.value.issues == (
        InputIssue("", "eccp_registered", '"perhaps" is not yes or no'),
        InputIssue("", "colour", '"colour" is not a partner field'),
    )


def test_names_with_control_characters_are_refused(
    session: Session, owner: User, catalogue: Catalogue
) -> None:
    consortium = make_consortium(session, owner=owner)

    with pytest.raises(InvalidInputError) as create:
        consortia.create_consortium(
            session, owner, ConsortiumDetails(name="Isar\x00"), catalogue=catalogue
        )
    with pytest.raises(InvalidInputError) as typed:
        consortium_partners.add_typed_partner(
            session, owner, consortium.id, {"name": "Lyon\x00", "country": "FR"}
        )

    assert create.value.issues == (InputIssue("", "name", "must not contain control characters"),)
    assert (typed.value.summary, typed.value.issues) == (
        "The partner cannot be added",
        (InputIssue("partner 1", "name", "'Lyon\\x00': must not contain control characters"),),
    )
