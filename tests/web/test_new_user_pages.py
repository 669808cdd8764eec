"""What a person new to the site meets: registering, signing in, finding and describing their
organisation (defects found walking the site as a new SME owner)."""

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.session import Database
from clusterbridge.services.registry import vocabulary
from tests.factories.users import make_user
from tests.web.helpers import sign_in

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
