"""Creating and editing organisations: validation of every field, access, memberships."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import OrgType, SmeProfile, TechnologyDirection, UserRole
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.reference import RegionCategory
from clusterbridge.services.registry import (
    NotAllowedError,
    OrganisationNotFoundError,
    can_edit,
    create_organisation,
    get_organisation,
    technology_code,
    update_organisation,
)
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

VALID = {"name": "Sofia Robotics", "country": "BG", "nuts": "BG411"}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("pic", "12345", '"12345" is not a PIC: a PIC has exactly 9 digits'),
        ("name", "  ", "is required"),
        (
            "type",
            "startup",
            '"startup" is not one of cluster_organisation, cluster_network, '
            "business_network, sme, large_enterprise, technology_centre, research_organisation, "
            "university, public_body, other, natural_person",
        ),
        ("sme_profile", "modern", '"modern" is not one of traditional, tech_savvy'),
        ("is_sme", "maybe", '"maybe" is not yes or no'),
        (
            "country",
            "Atlantis",
            '"Atlantis" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK',
        ),
        ("country", "Germani", '"Germani" is not a known country; did you mean Germany (DE)?'),
        (
            "country",
            "XX",
            '"XX" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK',
        ),
        ("nuts", "XX999", '"XX999" is not a NUTS code of any version 2006–2024'),
        ("nuts", "DE212", "DE212 is in DE, not in BG"),
        ("nuts", "BG", '"BG" is a country; give a NUTS-1, -2 or -3 code'),
        ("latitude", "north", '"north" is not a number'),
        ("latitude", "nan", '"nan" is not a number'),
        ("longitude", "-inf", '"-inf" is not a number'),
        (
            "latitude",
            "1e-400",
            '"1e-400" is too small to store: write 0 or a number with fewer decimals',
        ),
        ("longitude", "200", "must be between -180 and 180"),
        (
            "website",
            "samco",
            '"samco" is not a website; give an http(s) address or a domain like example.org',
        ),
        (
            "website",
            "http://",
            '"http://" is not a website; give an http(s) address or a domain like example.org',
        ),
        (
            "website",
            "not a site",
            '"not a site" is not a website; give an http(s) address or a domain like example.org',
        ),
        (
            "website",
            "ftp://x.ie",
            '"ftp://x.ie" is not a website; give an http(s) address or a domain like example.org',
        ),
        (
            "website",
            "x" * 290 + ".ie",
            "must be at most 300 characters, not 301",
        ),
        ("email", "info-at-example", '"info-at-example" is not an e-mail address'),
        (
            "ecosystems",
            "digital; space",
            '"space" is not an industrial ecosystem; use one of aerospace-defence, agri-food, construction, cultural-creative, digital, electronics, energy-intensive, renewable-energy, health, mobility-transport-automotive, proximity-social-economy, retail, textile, tourism',
        ),
        ("short_name", "x" * 101, "must be at most 100 characters, not 101"),
    ],
)
def test_create_organisation_refuses_bad_field(
    session: Session, field: str, value: str, reason: str
) -> None:
    actor = make_user(session)

    with pytest.raises(InvalidInputError) as caught:
        create_organisation(session, actor, {**VALID, field: value})

    assert caught.value.issues == (InputIssue("", field, reason),)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("samco.ie", "https://samco.ie"),
        (" www.samco.ie ", "https://www.samco.ie"),
        ("samco.ie/en/contact", "https://samco.ie/en/contact"),
        ("http://samco.ie", "http://samco.ie"),
        ("HTTPS://www.samco.ie/", "HTTPS://www.samco.ie/"),
    ],
)
def test_a_website_given_as_a_bare_domain_is_stored_with_https(
    session: Session, given: str, stored: str
) -> None:
    # "samco.ie" and "www.samco.ie" were refused: "is not a web address starting with http://".
    actor = make_user(session)

    organisation = create_organisation(session, actor, {**VALID, "website": given})

    assert organisation.website == stored


def test_create_organisation_reports_every_bad_field_at_once(session: Session) -> None:
    actor = make_user(session)

    with pytest.raises(InvalidInputError) as caught:
        create_organisation(session, actor, {"name": "", "country": "", "pic": "1"})

    assert [issue.field for issue in caught.value.issues] == ["pic", "name", "country"]


def test_create_organisation_resolves_categories_and_codes(session: Session) -> None:
    actor = make_user(session)
    values: dict[str, Any] = {
        **VALID,
        "country": "Bulgaria",
        "pic": "999888777",
        "type": "sme",
        "ecosystems": ["digital", "electronics"],
        "technologies_offered": "Robotics; welding cells",
        "technologies_needed": ["hydrogen"],
    }

    organisation = create_organisation(session, actor, values)

    assert (organisation.country, organisation.nuts, organisation.type) == (
        "BG",
        "BG411",
        OrgType.SME,
    )
    # Yugozapaden (BG41): less developed in 2014-2020, a transition region in 2021-2027.
    assert organisation.category_2021_2027 == RegionCategory.TRANSITION
    assert organisation.category_2014_2020 == RegionCategory.LESS_DEVELOPED
    assert sorted(e.ecosystem for e in organisation.ecosystems) == ["digital", "electronics"]
    assert sorted((t.direction, t.label, t.code) for t in organisation.technologies) == [
        (TechnologyDirection.NEEDED, "hydrogen", "nzia-05"),
        (TechnologyDirection.OFFERED, "Robotics", "ati-robotics"),
        (TechnologyDirection.OFFERED, "welding cells", None),
    ]
    assert organisation.name_key == "sofia robotics"
    assert can_edit(session, actor, organisation) is True


def test_create_organisation_refuses_pic_in_use(session: Session) -> None:
    actor = make_user(session)
    make_organisation(session, name="Holder", pic="123456789")

    with pytest.raises(InvalidInputError) as caught:
        create_organisation(session, actor, {**VALID, "pic": "123456789"})

    assert caught.value.issues == (InputIssue("", "pic", "123456789 is already the PIC of Holder"),)


def test_technology_code_matches_labels_aliases_and_nzia_wording() -> None:
    assert technology_code("  ARTIFICIAL intelligence ") == "ati-ai"
    assert technology_code("machine-learning") == "ati-ai"
    assert (
        technology_code("hydrogen technologies, including electrolysers and fuel cells")
        == "nzia-05"
    )
    assert technology_code("welding") is None


def test_technology_code_names_critical_raw_materials_by_name_and_synonym() -> None:
    # "Lithium" typed on the form was stored without a code, so the search's crm-lithium
    # filter never found it.
    assert technology_code("Lithium") == "crm-lithium"
    assert technology_code("COBALT") == "crm-cobalt"
    assert technology_code("Nickel – battery grade") == "crm-nickel-battery-grade"
    assert technology_code("nickel") == "crm-nickel-battery-grade"
    assert technology_code("neodymium") == "crm-light-rare-earth-elements"
    assert technology_code("gan") == "crm-gallium"
    assert technology_code("crm-copper") == "crm-copper"
    # Heavy and light rare earth elements are both "rare earth elements": a row holds one code.
    assert technology_code("Rare earth elements") is None
    assert technology_code("batteries") == "nzia-03"


def test_update_organisation_by_member_changes_only_given_fields(session: Session) -> None:
    actor = make_user(session)
    organisation = create_organisation(session, actor, {**VALID, "city": "Sofia"})

    update_organisation(
        session, actor, organisation.id, {"nuts": "BG412", "ecosystems": ["digital"]}
    )

    assert (organisation.city, organisation.nuts, organisation.country) == ("Sofia", "BG412", "BG")
    assert [e.ecosystem for e in organisation.ecosystems] == ["digital"]


def test_update_organisation_of_someone_else_is_refused(session: Session) -> None:
    owner = make_user(session)
    stranger = make_user(session, email="other@sme.example", role=UserRole.ORGANISATION_MEMBER)
    organisation = create_organisation(session, owner, VALID)

    with pytest.raises(NotAllowedError):
        update_organisation(session, stranger, organisation.id, {"name": "Taken over"})

    assert organisation.name == "Sofia Robotics"


def test_update_organisation_by_administrator_is_allowed(session: Session) -> None:
    owner = make_user(session)
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
    organisation = create_organisation(session, owner, VALID)

    update_organisation(session, admin, organisation.id, {"name": "Renamed"})

    assert (organisation.name, organisation.name_key) == ("Renamed", "renamed")


def test_update_organisation_unknown_id_is_not_found(session: Session) -> None:
    actor = make_user(session)

    with pytest.raises(OrganisationNotFoundError):
        update_organisation(session, actor, 999_999, {"name": "x"})


def test_cluster_membership_refuses_self_and_non_clusters(session: Session) -> None:
    actor = make_user(session)
    cluster = make_organisation(session, name="Cluster A")
    company = make_organisation(session, name="Company B", type=OrgType.SME)
    member = create_organisation(session, actor, {**VALID, "type": "cluster_organisation"})

    with pytest.raises(InvalidInputError) as caught:
        update_organisation(
            session, actor, member.id, {"cluster_ids": [member.id, company.id, 2_000_000_000]}
        )

    assert caught.value.issues == (
        InputIssue("", "cluster_ids", "an organisation cannot be its own member"),
        InputIssue("", "cluster_ids", "Company B is not a cluster organisation or cluster network"),
        InputIssue("", "cluster_ids", "no organisation 2000000000"),
    )
    add_member(session, cluster, actor)
    update_organisation(session, actor, member.id, {"cluster_ids": [cluster.id]})
    assert [m.cluster.name for m in get_organisation(session, member.id).clusters] == ["Cluster A"]


@pytest.mark.parametrize(
    ("country", "nuts", "stored"),
    [
        ("US", "US", ("US", None)),
        ("United States", "USA", ("US", None)),
        ("Israel", "IL", ("IL", None)),
        ("UKR", "UA", ("UA", None)),
        ("Canada", None, ("CA", None)),
        ("GR", "EL303", ("EL", "EL303")),
    ],
)
def test_create_organisation_anywhere_in_the_world(
    session: Session, country: str, nuts: str | None, stored: tuple[str, str | None]
) -> None:
    organisation = create_organisation(
        session, make_user(session), {"name": "Anywhere Ltd", "country": country, "nuts": nuts}
    )

    assert (organisation.country, organisation.nuts) == stored


def test_the_callers_read_issues_come_first_and_refuse_a_valid_save(session: Session) -> None:
    admin = make_user(session, email="ada@example.org", role=UserRole.ADMINISTRATOR)
    sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME)
    read = [InputIssue("", "add_cluster", 'no cluster organisation matches "Lyonnesse"')]

    with pytest.raises(InvalidInputError) as created:
        create_organisation(session, admin, {**VALID, "pic": "12"}, read_issues=read)
    with pytest.raises(InvalidInputError) as updated:
        update_organisation(session, admin, sme.id, {"name": "Small Robots"}, read_issues=read)

    assert [(i.field, i.reason) for i in created.value.issues] == [
        ("add_cluster", 'no cluster organisation matches "Lyonnesse"'),
        ("pic", '"12" is not a PIC: a PIC has exactly 9 digits'),
    ]
    assert [(i.field, i.reason) for i in updated.value.issues] == [
        ("add_cluster", 'no cluster organisation matches "Lyonnesse"')
    ]
    assert get_organisation(session, sme.id).name == "Tiny Robots"


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (
            {"type": "university", "sme_profile": "tech_savvy"},
            "only an SME has an SME profile, and its type is university",
        ),
        (
            {"type": "sme", "is_sme": "no", "sme_profile": "traditional"},
            'only an SME has an SME profile, and "SME" says no',
        ),
    ],
)
def test_an_sme_profile_for_what_is_no_sme_is_refused(
    session: Session, values: dict[str, str], reason: str
) -> None:
    # A new user's "Tech-savvy" university was saved as "SME: not known (Tech-savvy)".
    actor = make_user(session)

    with pytest.raises(InvalidInputError) as caught:
        create_organisation(session, actor, {**VALID, **values})

    assert caught.value.issues == (InputIssue("", "sme_profile", reason),)


@pytest.mark.parametrize(
    "values",
    [
        {"sme_profile": "tech_savvy"},
        {"type": "sme", "sme_profile": "tech_savvy"},
        {"type": "university", "is_sme": "yes", "sme_profile": "tech_savvy"},
    ],
)
def test_an_sme_profile_is_kept_for_an_sme_or_an_organisation_of_unknown_type(
    session: Session, values: dict[str, str]
) -> None:
    actor = make_user(session)

    organisation = create_organisation(session, actor, {**VALID, **values})

    assert organisation.sme_profile is SmeProfile.TECH_SAVVY


def test_an_edit_that_leaves_a_stored_mismatch_as_it_was_is_not_refused(
    session: Session,
) -> None:
    # Records imported before the check may hold a profile beside another type: saving their
    # description must not be refused for it.
    actor = make_user(session)
    organisation = create_organisation(session, actor, VALID)
    organisation.type, organisation.sme_profile = OrgType.UNIVERSITY, SmeProfile.TRADITIONAL
    session.flush()

    update_organisation(
        session, actor, organisation.id,
        {"type": "university", "sme_profile": "traditional", "description": "Now described"},
    )  # fmt: skip

    assert organisation.description == "Now described"


def test_an_edit_that_makes_a_profiled_sme_a_university_is_refused(session: Session) -> None:
    actor = make_user(session)
    organisation = create_organisation(
        session, actor, {**VALID, "type": "sme", "sme_profile": "traditional"}
    )

    with pytest.raises(InvalidInputError) as caught:
        update_organisation(session, actor, organisation.id, {"type": "university"})

    assert caught.value.issues == (
        InputIssue(
            "",
            "sme_profile",
            "only an SME has an SME profile, and its type is university",
        ),
    )
    assert organisation.type is OrgType.SME
