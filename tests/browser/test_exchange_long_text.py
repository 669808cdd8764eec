"""Long unbroken text on the exchange pages, on a phone (390 px): a partnership's page with a
pending enrolment whose motivation is one long word, and an administrator's Exchanges page
listing a partnership whose name is one long word. Neither page may scroll sideways.

Both rely on the shared stylesheet breaking long words (``overflow-wrap``).
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ExchangeRole, UserRole, ValidationState
from clusterbridge.services.exchanges import MAX_TEXT, create_partnership
from clusterbridge.services.exchanges.enrolment import MAX_NAME
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.exchanges import make_participant
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.fixture
def long_texts(live_database: Database) -> int:
    """A partnership named with one word of the longest name allowed, and a pending visitor
    whose motivation is one word of the longest text allowed; the partnership's id."""
    with live_database.unit_of_work() as session:
        admin = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        paula = make_user(session, email="paula@alpine.example", name="Paula")
        vera = make_user(session, email="vera@munich.example", name="Vera")
        partnership = create_partnership(
            session, admin, name="A" * MAX_NAME, country="AT", members=[paula]
        )
        visitor = make_participant(
            session,
            partnership=partnership,
            organisation=make_organisation(session, name="Munich Cluster", country="DE"),
            contact=vera,
            role=ExchangeRole.VISITOR,
            state=ValidationState.PENDING,
        )
        visitor.motivation = "M" * MAX_TEXT
        return partnership.id


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def test_a_long_motivation_does_not_widen_the_partnerships_page_on_a_phone(
    live_server: LiveServer, long_texts: int, phone: Page
) -> None:
    sign_in(phone, live_server.url, "paula@alpine.example")

    phone.goto(f"{live_server.url}/exchanges/partnerships/{long_texts}")

    assert phone.get_by_test_id("pending").count() == 1
    assert_fits(phone)


def test_a_long_partnership_name_does_not_widen_the_exchanges_page_on_a_phone(
    live_server: LiveServer, long_texts: int, phone: Page
) -> None:
    sign_in(phone, live_server.url, "ada@example.org")

    phone.goto(f"{live_server.url}/exchanges")

    assert phone.get_by_text("A" * MAX_NAME).count() >= 1
    assert_fits(phone)
