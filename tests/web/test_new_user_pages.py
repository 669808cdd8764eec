"""What a person new to the site meets: registering, signing in, finding and describing their
organisation (defects found walking the site as a new SME owner)."""

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.models import OrganisationClaim
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.registry import vocabulary
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.web.helpers import csrf_token, sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: The organisation form's list of the vocabulary's technologies.
TECHNOLOGY_LIST = re.compile(
    r'<details class="technology-list" data-testid="technology-list">\s*'
    r"<summary>(.*?)</summary>\s*<ul>(.*?)</ul>\s*</details>",
    re.S,
)


@pytest.mark.parametrize("path", ["/organisations/new"])
def test_the_organisation_form_lists_the_technologies_of_the_vocabulary(
    client: TestClient, clean_database: Database, path: str
) -> None:
    with clean_database.unit_of_work() as session:
        make_user(session, email="piotr@woodsense.example")
    sign_in(client, "piotr@woodsense.example")

    page = client.get(path).text

    found = TECHNOLOGY_LIST.search(page)
    assert found is not None
    summary, items = found.groups()
    labels = [unescape(label) for label in re.findall(r"<li>(.*?)</li>", items)]
    assert summary == "The 37 technologies of the list"
    assert labels == sorted((term.label for term in vocabulary()), key=str.casefold)
    assert labels[:3] == ["Advanced manufacturing", "Advanced materials", "Artificial intelligence"]


#: The account page's list of the organisations one manages, and of those one asked to manage.
YOUR_ORGANISATIONS = re.compile(
    r'<section aria-labelledby="your-organisations-title" data-testid="your-organisations">'
    r"(.*?)</section>",
    re.S,
)


def _your_organisations(page: str) -> str:
    found = YOUR_ORGANISATIONS.search(page)
    assert found is not None, "no list of your organisations"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_the_account_page_lists_the_organisations_you_manage_and_those_you_asked_to(
    client: TestClient, clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        marta = make_user(session, email="marta@samco.example")
        samco = make_organisation(session, name="Samco Ltd", country="IE", nuts=None)
        make_organisation(session, name="Agri Zeta", country="IT", nuts=None)
        agricola = make_organisation(session, name="Agricola 2000", country="IT", nuts=None)
        add_member(session, samco, marta)
        session.add(
            OrganisationClaim(
                organisation_id=agricola.id, requester_id=marta.id, message="I work there",
                is_open=True,
            )
        )  # fmt: skip
        samco_id, agricola_id = samco.id, agricola.id
    sign_in(client, "marta@samco.example")

    page = client.get("/account").text

    assert _your_organisations(page) == (
        "Your organisations You manage the record of: Samco Ltd (IE) "
        "You asked to manage, waiting for an answer from its members or an administrator: "
        "Agricola 2000 (IT)"
    )
    assert f'<a href="/organisations/{samco_id}">Samco Ltd</a>' in page
    assert f'<a href="/organisations/{agricola_id}#claims">Agricola 2000</a>' in page


def test_the_account_page_of_a_newcomer_says_how_to_manage_an_organisation(
    client: TestClient, clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        make_user(session, email="piotr@woodsense.example")
        make_organisation(session, name="Samco Ltd", type=OrgType.SME)
    sign_in(client, "piotr@woodsense.example")

    page = client.get("/account").text

    assert _your_organisations(page) == (
        "Your organisations You manage no organisation's record yet. Find your organisation "
        "and ask to manage it on its page, or add it if it is not there."
    )
    assert '<a href="/organisations">Find your organisation</a>' in page
    assert '<a href="/organisations/new">add it</a>' in page


@pytest.mark.parametrize("email", ["", "   "])
def test_registering_without_an_address_says_the_address_is_required(
    client: TestClient, clean_database: Database, email: str
) -> None:
    # It said '"" is not an e-mail address'.
    fields = {"name": "Marta Rossi", "email": email, "password": "marta-secret-1"}

    response = client.post("/register", data=fields | {"csrf_token": csrf_token(client)})

    assert response.status_code == 422
    assert summary_items(response.text) == ["E-mail address: is required"]
    assert invalid_fields(response.text) == [("email", "is required")]


@pytest.mark.parametrize(
    ("email", "password", "summary", "fields"),
    [
        (
            "",
            "",
            ["E-mail address: is required", "Password: is required"],
            [("email", "is required"), ("password", "is required")],
        ),
        ("  ", "secret-word-1", ["E-mail address: is required"], [("email", "is required")]),
        ("marta@samco.example", "", ["Password: is required"], [("password", "is required")]),
    ],
)
def test_signing_in_with_a_field_left_empty_says_which_is_required(
    client: TestClient,
    clean_database: Database,
    email: str,
    password: str,
    summary: list[str],
    fields: list[tuple[str, str]],
) -> None:
    # It said "The e-mail address or the password is not right." for an empty form too.
    with clean_database.unit_of_work() as session:
        make_user(session, email="marta@samco.example")
    form = {"email": email, "password": password, "csrf_token": csrf_token(client)}

    response = client.post("/sign-in", data=form)

    assert response.status_code == 422
    assert summary_items(response.text) == summary
    assert invalid_fields(response.text) == fields
    assert (
        f'id="email" name="email" type="email" autocomplete="username" required value="{email}"'
        in (response.text)
    )


#: The registration form's choices of what one is: (value, checked, words).
ROLE_CHOICE = re.compile(
    r'<label class="choice"><input type="radio" name="role" value="(\w+)" ?(checked)? ?> '
    r"(.*?)</label>",
    re.S,
)


def test_the_registration_form_starts_on_organisation_member_and_says_who_each_is(
    client: TestClient,
) -> None:
    # It started on "Cluster manager": an SME owner who left it was registered as one.
    page = client.get("/register").text

    assert [
        (value, checked, unescape(words)) for value, checked, words in ROLE_CHOICE.findall(page)
    ] == [
        (
            "organisation_member",
            "checked",
            "Organisation member: I work for a company, a research centre, a university or "
            "another organisation",
        ),
        ("cluster_manager", "", "Cluster manager: I run or work for a cluster organisation"),
    ]


def test_registering_without_choosing_makes_an_organisation_member(
    client: TestClient, clean_database: Database
) -> None:
    fields = {"name": "Marta Rossi", "email": "marta@samco.example", "password": "marta-secret-1"}

    client.post("/register", data=fields | {"csrf_token": csrf_token(client)})
    sign_in(client, "marta@samco.example", "marta-secret-1")

    assert "marta@samco.example · Organisation member" in client.get("/account").text


def test_the_page_of_an_organisation_without_projects_says_nothing_of_derived_values(
    client: TestClient, clean_database: Database
) -> None:
    # It said "Values marked derived were read from the organisation's projects. Confirm
    # them..." of a start-up registered here, which has neither.
    with clean_database.unit_of_work() as session:
        piotr = make_user(session, email="piotr@woodsense.example")
        woodsense = make_organisation(session, name="WoodSense", country="PL", nuts=None)
        add_member(session, woodsense, piotr)
        woodsense_id = woodsense.id
    sign_in(client, "piotr@woodsense.example")

    page = client.get(f"/organisations/{woodsense_id}").text

    assert "No projects recorded." in page
    assert "Values marked <em>derived</em>" not in page
    assert "derived" not in page


@pytest.mark.parametrize(
    ("field", "starts"),
    [
        ("pic", "The Participant Identification Code that the EU Funding &amp; Tenders Portal"),
        ("nuts", "The code of the organisation&#39;s region in the EU&#39;s NUTS list"),
        ("sme_profile", "For SMEs only. Traditional: a small firm of a traditional sector"),
        ("is_sme", "A small or medium-sized enterprise as the EU defines it"),
        ("legal_entity", "Whether the organisation has a legal personality of its own"),
        ("eccp_registered", "Whether the organisation has a profile on the European Cluster"),
    ],
)
def test_the_organisation_form_says_what_its_specialist_words_mean(
    client: TestClient, clean_database: Database, field: str, starts: str
) -> None:
    # "PIC (9 digits)", "NUTS region code", "SME profile", "Registered on the ECCP": a new SME
    # owner could not tell what they meant, nor that a PIC may stay empty.
    with clean_database.unit_of_work() as session:
        make_user(session, email="piotr@woodsense.example")
    sign_in(client, "piotr@woodsense.example")

    page = client.get("/organisations/new").text

    assert re.search(rf'id="{field}" name="{field}"[^>]* aria-describedby="{field}-hint"', page)
    assert re.search(rf'<p class="muted" id="{field}-hint">{re.escape(starts)}', page)


def test_a_search_of_spaces_only_counts_every_organisation_without_quoting_them(
    client: TestClient, clean_database: Database
) -> None:
    # It said "2 organisations for “  ”".
    with clean_database.unit_of_work() as session:
        make_organisation(session, name="Samco Ltd")
        make_organisation(session, name="WoodSense")

    page = client.get("/organisations", params={"q": "  "}).text

    assert re.findall(r'class="result-count">([^<]*)<', page) == ["2 organisations"]


@pytest.mark.parametrize(
    ("decision", "said"),
    [
        (
            "approve",
            "You approved the request of Marta Rossi, who can now edit this record; an e-mail "
            "tells them.",
        ),
        ("refuse", "You refused the request of Marta Rossi; an e-mail tells them."),
    ],
)
def test_deciding_a_request_to_manage_says_what_was_decided(
    client: TestClient, clean_database: Database, decision: str, said: str
) -> None:
    # The panel said only "No request to manage this record waits for an answer."
    with clean_database.unit_of_work() as session:
        make_user(session, email="ada@example.org", role=UserRole.ADMINISTRATOR)
        marta = make_user(session, email="marta@samco.example", name="Marta Rossi")
        samco = make_organisation(session, name="Samco Ltd", country="IE", nuts=None)
        claim = OrganisationClaim(
            organisation_id=samco.id, requester_id=marta.id, message="I run it", is_open=True
        )
        session.add(claim)
        session.flush()
        samco_id, claim_id = samco.id, claim.id
    sign_in(client, "ada@example.org")

    panel = client.post(
        f"/organisations/{samco_id}/claims/{claim_id}/{decision}",
        data={"reason": "", "csrf_token": csrf_token(client, "/account")},
        headers={"HX-Request": "true"},
    ).text

    assert re.findall(
        r'<p class="notice success" role="status" data-testid="claim-decided">([^<]*)</p>', panel
    ) == [said]
    assert 'data-testid="no-pending-claims"' in panel


def test_the_edit_form_names_the_organisation_it_edits_even_when_its_name_is_refused(
    client: TestClient, clean_database: Database
) -> None:
    # Its title and heading said "Edit organisation" alone.
    with clean_database.unit_of_work() as session:
        marta = make_user(session, email="marta@samco.example")
        samco = make_organisation(session, name="Samco Ltd", country="IE", nuts=None)
        add_member(session, samco, marta)
        samco_id = samco.id
    sign_in(client, "marta@samco.example")
    token = csrf_token(client, f"/organisations/{samco_id}/edit")

    shown = client.get(f"/organisations/{samco_id}/edit").text
    refused = client.post(
        f"/organisations/{samco_id}/edit",
        data={"name": "", "country": "IE", "csrf_token": token},
    ).text

    for page in (shown, refused):
        assert re.findall(r"<title>([^<]*)</title>", page) == ["Edit Samco Ltd · clusterbridge"]
        assert re.findall(r"<h1>([^<]*)</h1>", page) == ["Edit Samco Ltd"]
