"""Screenshots of the demo for the docs (docs/screenshots/), taken with Debian's Chromium.

Start the demo first (``clusterbridge demo``), then run
``python scripts/take_screenshots.py URL EMAIL PASSWORD``. The script searches the real registry,
opens an organisation, builds an SMP-COSME-2024-CLUSTER strand 1 consortium of three real cluster
organisations, sets what CORDIS does not know (roles, ECCP registration) and saves each page.
"""

import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

OUT = Path("docs/screenshots")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PARTNERS = [
    ("MOBINOV", "MOBINOV - ASSOCIACAO DO CLUSTER AUTOMOVEL E DA MOBILIDADE"),
    ("Transilvania IT", "ASOCIATIA TRANSILVANIA IT"),
    ("Cesky opticky klastr", "CESKY OPTICKY KLASTR, ZS"),
]


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    print(f"{OUT / name}.png")


def main(url: str, email: str, password: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/sign-in")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{url}/organisations?q=hydrogen+electrolyser")
        shoot(page, "organisations-search")
        page.locator("table a").first.click()
        shoot(page, "organisation-page")
        page.goto(f"{url}/calls/SMP-COSME-2024-CLUSTER")
        shoot(page, "call-detail")
        build_consortium(page, url)
        shoot(page, "consortium-eligible")
        browser.close()


def build_consortium(page: Page, url: str) -> None:
    page.goto(f"{url}/consortia")
    page.get_by_test_id("consortium-name").fill("Mobility and digital Eurocluster")
    page.get_by_test_id("consortium-call").select_option("SMP-COSME-2024-CLUSTER")
    expect(page.get_by_test_id("consortium-strand")).to_have_attribute(
        "data-call", "SMP-COSME-2024-CLUSTER"
    )
    page.get_by_test_id("consortium-strand").select_option("1")
    page.get_by_test_id("consortium-duration").fill("36")
    page.get_by_test_id("create-consortium").click()
    for query, name in PARTNERS:
        page.get_by_test_id("organisation-search").fill(query)
        result = page.get_by_test_id("search-result").filter(has_text=name).first
        result.get_by_test_id("add-organisation").click()
        expect(
            page.locator(f'[data-testid="partner-row"][data-partner-name="{name}"]')
        ).to_be_visible()
    rows = page.get_by_test_id("partner-row")
    for index, role in enumerate(["coordinator", "beneficiary", "beneficiary"]):
        rows.nth(index).get_by_test_id("partner-role").select_option(role)
        rows.nth(index).get_by_test_id("partner-eccp").select_option("yes")
        rows.nth(index).get_by_test_id("partner-legal-entity").select_option("yes")
    expect(page.get_by_test_id("verdict")).to_have_text("eligible")


if __name__ == "__main__":
    main(*sys.argv[1:4])
