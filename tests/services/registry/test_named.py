"""The one organisation a person names by its PIC, registry number or whole name: the same
look-up, and the same refusals, for the organisation form's cluster box and the deliveries of
SME services (their own tests: tests/web/test_organisations.py,
tests/services/monitoring/test_sme_services.py)."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.registry import find_named_organisation
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _reason(session: Session, text: str, **options: object) -> str:
    with pytest.raises(InvalidInputError) as raised:
        find_named_organisation(session, text, field="box", **options)  # type: ignore[arg-type]
    [issue] = raised.value.issues
    assert (issue.location, issue.field) == ("", "box")
    return issue.reason


def test_a_pic_a_number_or_the_whole_name_picks_the_organisation(session: Session) -> None:
    make_organisation(session, name="Associacao Polo Cluster", country="PT", nuts=None)
    wanted = make_organisation(
        session, name="Polo Cluster", country="PT", nuts=None, pic="900000001"
    )

    found = [
        find_named_organisation(session, text, field="box", clusters_only=True).id
        for text in (" POLO-cluster ", "900000001", str(wanted.id))
    ]

    assert found == [wanted.id] * 3


@pytest.mark.parametrize("clusters_only", [False, True])
def test_a_part_of_a_name_never_picks_even_the_only_organisation_it_matches(
    session: Session, clusters_only: bool
) -> None:
    # The cluster box took the only cluster a part of its name matched; a delivery's cell
    # never did. Neither does now: the ones it matches are listed instead.
    make_organisation(session, name="Polo Cluster", country="PT", nuts=None, pic="900000001")
    make_organisation(session, name="Polo Robots", country="PT", nuts=None, type=OrgType.SME)

    reason = _reason(session, "polo cluster network", clusters_only=clusters_only)
    part = _reason(session, "polo clu", clusters_only=clusters_only)

    noun = "cluster organisation or network" if clusters_only else "organisation"
    assert reason == (
        f'no {noun} of the registry is named "polo cluster network": give its name as the '
        "registry writes it, its PIC or its registry number"
    )
    assert part == (
        f'no {noun} of the registry is named "polo clu" (it matches Polo Cluster (PT, PIC '
        "900000001)): give the whole name, the PIC or the registry number"
    )


def test_a_name_several_have_lists_five_with_their_country_and_pic(session: Session) -> None:
    alps = [
        make_organisation(
            session, name="Alpine Cluster", country=country, nuts=None,
            pic=f"90000001{number}" if number % 2 else None,
        )
        for number, country in enumerate(("AT", "IT", "FR", "DE", "SI", "CH"))
    ]  # fmt: skip

    reason = _reason(session, "alpine cluster")

    listed = "; ".join(
        f"Alpine Cluster ({a.country}, PIC {a.pic})"
        if a.pic
        else f"Alpine Cluster ({a.country}, registry number {a.id})"
        for a in alps[:5]
    )
    assert reason == (
        f'several organisations are named "alpine cluster" ({listed}, and more): give the PIC '
        "or the registry number"
    )


def test_the_organisation_edited_and_others_than_clusters_are_never_named(
    session: Session,
) -> None:
    own = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
    sme = make_organisation(
        session, name="Porto Robots", country="PT", nuts=None, type=OrgType.SME, pic="900000002"
    )

    by_name = _reason(session, "Porto Cluster", clusters_only=True, exclude_id=own.id)
    by_number = _reason(session, str(own.id), clusters_only=True, exclude_id=own.id)
    by_pic = _reason(session, "900000002", clusters_only=True)

    assert by_name == (
        'no cluster organisation or network of the registry is named "Porto Cluster": give its '
        "name as the registry writes it, its PIC or its registry number"
    )
    assert (
        by_number
        == by_pic
        == ("is not the PIC or registry number of a cluster organisation or network")
    )
    assert find_named_organisation(session, "900000002", field="box").id == sme.id


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("  ", "is required"),
        ("999999999", "is not the PIC or registry number of an organisation"),
        ("1234567890", "is not the PIC or registry number of an organisation"),
        (
            "!!!",
            'no organisation of the registry is named "!!!": give its name as the registry '
            "writes it, its PIC or its registry number",
        ),
    ],
)
def test_a_blank_or_unknown_reference_says_why(session: Session, text: str, reason: str) -> None:
    make_organisation(session, name="Munich Cluster", pic="900000001")

    with pytest.raises(InvalidInputError) as raised:
        find_named_organisation(session, text, field="organisation", location="row 3")

    assert raised.value.issues == (InputIssue("row 3", "organisation", reason),)
