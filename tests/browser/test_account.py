"""A newcomer registers, signs in, and finds the calls with their rules; a user changes and
resets the password, on a phone and on a laptop."""

import base64
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from clusterbridge.web.app import SESSION_COOKIE
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.users import PASSWORD, make_user
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


def test_a_new_user_registers_and_reads_a_calls_rules(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url)
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Your name").fill("Ana Newcomer")
    page.get_by_label("E-mail address").fill("ana@cluster.example")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("register-sent")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("ana@cluster.example")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("link", name="Ana Newcomer")).to_be_visible()
    page.get_by_role("link", name="Calls", exact=True).click()
    page.locator('a[href="/calls/SMP-COSME-2024-CLUSTER"]').click()
    expect(page.get_by_role("heading", name="Eligibility rules")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_have_text(
        re.compile(r"\d+ d \d+ h \d+ min left|closed .* ago")
    )


def test_a_wrong_password_keeps_the_user_out(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("E-mail address").fill("nobody@cluster.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert").get_by_role("listitem")).to_have_text(
        "E-mail address or password: The e-mail address or the password is not right."
    )
    expect(page.get_by_test_id("error-email")).to_have_text(
        "The e-mail address or the password is not right."
    )


NEW_PASSWORD = "a brand new password"
WIDTHS = [390, 1280]


def make_account(live_server: LiveServer) -> None:
    with live_server.database.unit_of_work() as session:
        make_user(session)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_user_changes_the_password(page: Page, live_server: LiveServer, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    make_account(live_server)
    sign_in(page, live_server.url, "manager@cluster.example")
    page.goto(f"{live_server.url}/account")
    page.get_by_test_id("change-password-link").click()
    assert_fits(page)

    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password (at least 10 characters)").fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_test_id("change-password").click()
    expect(page.locator("#current_password-error")).to_have_text("is not your current password")
    assert_fits(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password (at least 10 characters)").fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_test_id("change-password").click()

    expect(page.get_by_test_id("password-changed")).to_be_visible()
    assert_fits(page)
    page.goto(f"{live_server.url}/account")
    expect(page.get_by_role("heading", name="Maria Manager")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_user_resets_a_forgotten_password_by_mail(
    page: Page, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    make_account(live_server)
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    assert_fits(page)
    page.get_by_test_id("forgot-email").fill("manager@cluster.example")
    page.get_by_test_id("send-reset-link").click()
    expect(page.get_by_test_id("reset-sent")).to_be_visible()
    assert_fits(page)

    [mail] = read_mail(live_server.mail_dir)
    link = next(line for line in mail.body.splitlines() if "/reset-password/" in line)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert_fits(page)
    page.get_by_label("New password (at least 10 characters)").fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_test_id("set-password").click()
    expect(page.get_by_test_id("reset-done")).to_be_visible()
    assert_fits(page)

    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_role("main")).to_contain_text("has expired or has been used")
    sign_in(page, live_server.url, "manager@cluster.example", NEW_PASSWORD)
    # Signed in (on a phone the account link is in the folded menu: present, not shown).
    expect(page.get_by_role("link", name="Maria Manager", include_hidden=True)).to_be_attached()


TOKEN_FORM_USED = (
    "This form was sent already, so no token was created now. Tokens are listed below; "
    "a token's secret is shown only once, when it is created."
)


def stored_session(page: Page) -> str:
    """What the browser's session cookie says (signed, not encrypted: readable by anyone)."""
    [cookie] = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    return base64.b64decode(cookie["value"].strip('"').rsplit(".", 2)[0]).decode()


def create_token(page: Page, url: str, name: str) -> str:
    """Create a token on the account page; its secret, as the answer shows it."""
    page.goto(f"{url}/account")
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_have_text(re.compile(r"cb_[\w-]{43}"))
    return page.get_by_test_id("new-token").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_token_is_shown_once_and_not_after_a_reload(
    page: Page, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    make_account(live_server)
    sign_in(page, live_server.url, "manager@cluster.example")
    token = create_token(page, live_server.url, "my laptop's script")
    assert_fits(page)
    assert token not in stored_session(page)

    page.reload()

    expect(page.get_by_test_id("token-form-used")).to_have_text(TOKEN_FORM_USED)
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    expect(page.get_by_role("cell", name="my laptop's script")).to_have_count(1)
    assert token not in page.content()
    assert_fits(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_going_back_to_a_new_token_shows_it_no_more(
    page: Page, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    make_account(live_server)
    sign_in(page, live_server.url, "manager@cluster.example")
    token = create_token(page, live_server.url, "my laptop's script")
    page.get_by_role("link", name="JSON API").click()
    page.wait_for_load_state()

    # The answer was not stored (no-store): Chromium asks to send the form again instead.
    with pytest.raises(PlaywrightError, match="net::ERR_CACHE_MISS"):
        page.go_back()
    page.wait_for_load_state()
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    expect(page.locator("html")).not_to_contain_text(token)
    page.reload()

    expect(page.get_by_test_id("token-form-used")).to_have_text(TOKEN_FORM_USED)
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert token not in page.content()
    assert token not in stored_session(page)
