"""What the browser stories share: the screens, signing in and the check that a page fits its
screen.

Both wait for the page the last click opened. A check run while a link's page is still
loading reads the page before it (or no page at all: ``documentElement`` is null).
"""

import pytest
from playwright.sync_api import Page, expect

from tests.factories.users import PASSWORD

#: A phone's screen and a laptop's: a page must fit both.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
#: A test run once on each screen, given as its ``screen`` argument.
ON_EACH_SCREEN = pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["390", "1280"])


def sign_in(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in on the sign-in page and wait for the signed-in page (on a phone the Sign out
    button is in the folded menu: there, not shown)."""
    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


def open_signed_in(page: Page, url: str, email: str, path: str, *, screen: dict[str, int]) -> None:
    """``page`` sized to ``screen``, signed in as ``email`` and at ``path`` (below ``url``)."""
    page.set_viewport_size(screen)
    sign_in(page, url, email)
    page.goto(f"{url}{path}")


def assert_fits(page: Page) -> None:
    """The page, once loaded, is no wider than the screen: it never scrolls sideways."""
    page.wait_for_load_state()
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} is {width} px wide in {inner} px"


def ask_builder(page: Page, url: str, *, idea: str, size: int) -> None:
    """Ask the builder for proposals for SMP-COSME-2024-CLUSTER strand 1: ``idea`` and at most
    ``size`` partners (the strand list loads once the call is chosen)."""
    page.goto(f"{url}/builder")
    page.get_by_test_id("builder-call").select_option("SMP-COSME-2024-CLUSTER")
    expect(page.get_by_test_id("builder-strand")).to_have_attribute(
        "data-call", "SMP-COSME-2024-CLUSTER"
    )
    page.get_by_test_id("builder-strand").select_option("1")
    page.get_by_test_id("builder-idea").fill(idea)
    page.get_by_test_id("builder-size").fill(str(size))
    page.get_by_test_id("builder-submit").click()
