"""Issue 4's match-making event in a real browser: a participant registers, the organiser
validates, she requests a meeting, the other side accepts, the organiser schedules all meetings,
moves this one into another slot and publishes, and she reads her agenda and downloads it as an
iCalendar file.

Three people act in three browser contexts. After every htmx action the test waits for the
final state the server rendered (a ``data-*`` attribute), never for a request to be sent.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterbridge.db.repositories.events import get_event
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, ParticipantStatus, SmeProfile, UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.organisations import add_member, make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

ORGANISER = "olga@events.example"
WANDA = "wanda@weaver.example"
BOB = "bob@sensors.example"


@pytest.fixture
def story(live_database: Database) -> int:
    """An open event run by Olga, with Bob (Sensors Oy, offering sensors) validated; Wanda has
    an account but no registration; Weaver Textiles SA is in the registry."""
    with live_database.unit_of_work() as session:
        organiser = make_person(
            session, email=ORGANISER, name="Olga Organiser", role=UserRole.EVENT_ORGANISER
        )
        wanda = make_person(session, email=WANDA, name="Wanda Weaver")
        bob = make_person(session, email=BOB, name="Bob Sensor")
        weaver = make_organisation(
            session,
            name="Weaver Textiles SA",
            country="PT",
            nuts=None,
            type=OrgType.SME,
            sme_profile=SmeProfile.TRADITIONAL,
        )
        # Registering for an organisation needs membership of it.
        add_member(session, weaver, wanda)
        sensors = make_organisation(
            session,
            name="Sensors Oy",
            country="FI",
            nuts=None,
            type=OrgType.SME,
            sme_profile=SmeProfile.TECH_SAVVY,
        )
        event = make_event(session, organiser=organiser)
        add_participant(
            session,
            event,
            user=bob,
            organisation=sensors,
            offers="Industrial sensors and digital twins",
            status=ParticipantStatus.VALIDATED,
        )
        return event.id


@pytest.fixture
def people(browser: Browser) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = [browser.new_context(accept_downloads=True) for _ in range(3)]
    yield {
        name: context.new_page()
        for name, context in zip(("wanda", "olga", "bob"), contexts, strict=True)
    }
    for context in contexts:
        context.close()


def test_register_request_accept_schedule_publish_and_download_the_agenda(
    live_server: LiveServer, story: int, people: dict[str, Page], tmp_path: Path
) -> None:
    url, event = live_server.url, f"{live_server.url}/events/{story}"
    wanda, olga, bob = people["wanda"], people["olga"], people["bob"]
    for page, email in ((wanda, WANDA), (olga, ORGANISER), (bob, BOB)):
        sign_in(page, url, email)

    # Wanda registers for her organisation, found in the registry.
    wanda.get_by_role("link", name="Events", exact=True).click()
    wanda.get_by_test_id("event-link").click()
    wanda.get_by_test_id("organisation-query").fill("weaver")
    wanda.get_by_test_id("organisation-choice").check()
    wanda.get_by_test_id("offers").fill("Technical textiles")
    wanda.get_by_test_id("needs").fill("Sensors for our looms")
    wanda.get_by_test_id("register").click()
    expect(wanda.get_by_test_id("registration-status")).to_contain_text(
        "Weaver Textiles SA: Pending"
    )

    # Olga validates her.
    olga.goto(f"{event}/manage")
    row = olga.locator('[data-testid="registration"][data-organisation="Weaver Textiles SA"]')
    row.get_by_test_id("validate-participant").click()
    expect(
        olga.locator(
            '[data-testid="registration"][data-organisation="Weaver Textiles SA"][data-status="validated"]'
        )
    ).to_have_count(1)

    # Wanda sees Bob suggested, with the reason, and requests a meeting.
    wanda.goto(f"{event}/participants")
    card = wanda.locator('[data-testid="participant-card"][data-participant="Sensors Oy"]')
    expect(card.get_by_test_id("suggestion")).to_contain_text("offers what you look for: sensors")
    expect(card.get_by_test_id("suggestion")).to_contain_text("a traditional and a tech-savvy SME")
    card.get_by_test_id("request-message").fill("Could your sensors watch our looms?")
    card.get_by_test_id("request-meeting").click()
    expect(
        wanda.locator(
            '[data-testid="participant-card"][data-participant="Sensors Oy"][data-request="requested"]'
        )
    ).to_have_count(1)

    # Bob accepts.
    bob.goto(f"{event}/meetings")
    request = bob.locator('[data-testid="incoming-request"][data-with="Weaver Textiles SA"]')
    expect(request).to_contain_text("Could your sensors watch our looms?")
    request.get_by_test_id("accept-meeting").click()
    expect(
        bob.locator('[data-testid="accepted-meeting"][data-with="Weaver Textiles SA"]')
    ).to_have_count(1)
    expect(bob.get_by_test_id("no-incoming")).to_be_visible()

    # Olga schedules every accepted meeting, then moves this one into slot 2 and publishes.
    olga.goto(f"{event}/manage")
    olga.get_by_test_id("schedule-all").click()
    # The solve runs as a background job: its page polls until it is over.
    expect(olga.get_by_test_id("job-result")).to_contain_text("1 of 1 accepted meetings placed")
    olga.get_by_test_id("job-link").click()
    expect(olga.get_by_test_id("schedule-all")).to_be_visible()
    expect(
        olga.locator('[data-testid="meeting-row"][data-slot="1"][data-locked="no"]')
    ).to_have_count(1)
    meeting = olga.locator('[data-testid="meeting-row"][data-status="accepted"]')
    meeting.get_by_test_id("lock-slot").select_option("2")
    meeting.get_by_test_id("lock-meeting").click()
    expect(
        olga.locator('[data-testid="meeting-row"][data-slot="2"][data-locked="yes"]')
    ).to_have_count(1)
    olga.get_by_test_id("publish").click()
    expect(olga.get_by_test_id("confirm-step")).to_contain_text(
        "2 participants will receive an e-mail with their agenda (1 scheduled meeting)."
    )
    olga.get_by_test_id("confirm-publish").click()
    expect(olga.get_by_test_id("event-status")).to_have_text("Published")

    # Wanda reads her agenda in local time and downloads it.
    wanda.goto(event)
    wanda.get_by_test_id("nav-agenda").click()
    item = wanda.locator('[data-testid="agenda-item"][data-with="Sensors Oy"]')
    expect(item.get_by_test_id("agenda-time")).to_have_text("Mon 10 Mar 09:20–09:40")
    expect(item.get_by_test_id("room-link")).to_have_attribute(
        "href", f"https://meet.example.org/{story}-1"
    )
    with wanda.expect_download() as download_info:
        wanda.get_by_test_id("download-ics").click()
    ics = tmp_path / "agenda.ics"
    download_info.value.save_as(ics)
    text = ics.read_bytes().decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert (
        "DTSTART:20250310T082000Z\r\nDTEND:20250310T084000Z\r\nSEQUENCE:2\r\n"
        "SUMMARY:Meeting with Sensors Oy\r\n" in text
    )


def test_a_bad_registration_names_the_field(
    live_server: LiveServer, story: int, people: dict[str, Page]
) -> None:
    wanda = people["wanda"]
    sign_in(wanda, live_server.url, WANDA)

    wanda.goto(f"{live_server.url}/events/{story}")
    # Her one organisation starts chosen (the walk of 2026-12-08); what she offers is too long.
    wanda.get_by_test_id("offers").fill("x" * 2001)
    wanda.get_by_test_id("register").click()

    expect(wanda.get_by_test_id("error-offers")).to_have_text(
        "must be at most 2,000 characters, not 2,001"
    )
    expect(wanda.get_by_test_id("error-organisation_id")).to_have_count(0)


def test_enter_in_the_organisation_search_searches_and_keeps_the_form(
    live_server: LiveServer, story: int, people: dict[str, Page]
) -> None:
    wanda = people["wanda"]
    sign_in(wanda, live_server.url, WANDA)
    wanda.goto(f"{live_server.url}/events/{story}")
    wanda.get_by_test_id("offers").fill("Technical textiles")

    wanda.get_by_test_id("organisation-query").fill("sensors")
    wanda.get_by_test_id("organisation-query").press("Enter")

    expect(wanda.get_by_test_id("organisation-choice")).to_have_count(1)
    expect(wanda.get_by_test_id("error-organisation_id")).to_have_count(0)
    expect(wanda.get_by_test_id("offers")).to_have_value("Technical textiles")


def test_unavailable_slots_and_priorities_shape_the_schedule(
    live_server: LiveServer, live_database: Database, story: int, people: dict[str, Page]
) -> None:
    with live_database.unit_of_work() as session:
        event_row = get_event(session, story)
        assert event_row is not None
        wanda_user = get_user_by_email(session, WANDA)
        assert wanda_user is not None
        weaver = make_organisation(session, name="Weaver Textiles SA", type=OrgType.SME)
        wanda_row = add_participant(session, event_row, user=wanda_user, organisation=weaver)
        add_meeting(session, event_row, requester=wanda_row, recipient=event_row.participants[0])
    url, event = live_server.url, f"{live_server.url}/events/{story}"
    olga, bob = people["olga"], people["bob"]
    sign_in(olga, url, ORGANISER)
    sign_in(bob, url, BOB)

    # Bob can only meet in the last slot.
    bob.goto(event)
    slots = bob.get_by_test_id("unavailable-slot")
    slots.nth(0).check()
    slots.nth(1).check()
    bob.get_by_test_id("save-availability").click()
    expect(bob.get_by_test_id("unavailable-slot").nth(1)).to_be_checked()
    expect(bob.get_by_test_id("unavailable-slot").nth(2)).not_to_be_checked()

    # Olga raises the meeting's priority, sees Bob's slots and schedules.
    olga.goto(f"{event}/manage")
    row = olga.locator('[data-testid="registration"][data-organisation="Sensors Oy"]')
    expect(row.get_by_test_id("participant-unavailable")).to_contain_text("slots 1, 2")
    olga.get_by_test_id("meeting-priority").select_option("3")
    expect(olga.locator('[data-testid="meeting-row"][data-priority="3"]')).to_have_count(1)
    olga.get_by_test_id("schedule-all").click()
    # The solve runs as a background job: its page polls until it is over.
    expect(olga.get_by_test_id("job-result")).to_contain_text("1 of 1 accepted meetings placed")
    olga.get_by_test_id("job-link").click()
    expect(olga.get_by_test_id("schedule-all")).to_be_visible()
    expect(olga.locator('[data-testid="meeting-row"][data-slot="3"]')).to_have_count(1)


def test_a_too_long_meeting_request_says_why_on_a_phone(
    live_server: LiveServer, live_database: Database, story: int, browser: Browser, axe_source: str
) -> None:
    with live_database.unit_of_work() as session:
        event_row = get_event(session, story)
        wanda_user = get_user_by_email(session, WANDA)
        assert event_row is not None
        assert wanda_user is not None
        weaver = make_organisation(session, name="Weaver SA", type=OrgType.SME)
        add_participant(
            session,
            event_row,
            user=wanda_user,
            organisation=weaver,
            status=ParticipantStatus.VALIDATED,
        )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    wanda = context.new_page()
    sign_in(wanda, live_server.url, WANDA)
    wanda.goto(f"{live_server.url}/events/{story}/participants")
    card = wanda.locator('[data-testid="participant-card"][data-participant="Sensors Oy"]')
    # The text area stops typing at 1000 characters; a pasted or scripted value is not stopped.
    card.get_by_test_id("request-message").evaluate("area => { area.value = 'x'.repeat(5000); }")

    card.get_by_test_id("request-meeting").click()

    error = card.get_by_test_id("error-message")
    expect(error).to_have_text("must be at most 1,000 characters, not 5,000")
    expect(card.get_by_test_id("refused-summary")).to_have_text(
        "Please correct the fields marked below. Message: must be at most 1,000 characters, not 5,000"
    )
    expect(card.get_by_test_id("request-message")).to_have_attribute("aria-invalid", "true")
    expect(card.get_by_test_id("request-message")).to_have_attribute(
        "aria-describedby", error.get_attribute("id") or "missing"
    )
    expect(card).to_have_attribute("data-request", "")
    # The swapped-in card's summary takes the focus; its link moves it to the text area.
    expect(card.get_by_test_id("refused-summary")).to_be_focused()
    assert serious_violations(wanda, axe_source, skip=[]) == []
    card.get_by_role("link", name="Message: must be at most 1,000 characters, not 5,000").click()
    expect(card.get_by_test_id("request-message")).to_be_focused()
    context.close()
