"""A newcomer registers, lands signed in, and finds the calls with their rules."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


def test_a_new_user_registers_and_reads_a_calls_rules(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url)
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Your name").fill("Ana Newcomer")
    page.get_by_label("E-mail address").fill("ana@cluster.example")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()

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

    expect(page.get_by_role("alert")).to_have_text(
        "The e-mail address or the password is not right."
    )
