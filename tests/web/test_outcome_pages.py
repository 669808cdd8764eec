"""The outcome ledger over HTTP: a mailed follow-up link opens without signing in with the
answer chosen, is confirmed once (the API then answers 404 for it), and the outcome shows on
the organisation's outcomes page for its members only."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.mail import FileMailer
from clusterbridge.services.monitoring import FollowUpMail, send_follow_ups
from clusterbridge.services.monitoring.followups import NOTE_MAX_LENGTH
from tests.factories.events import add_meeting, add_participant, make_event
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail
from tests.web.helpers import csrf_token, sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]
MET = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_a_mailed_link_answers_once_and_the_outcome_is_listed(
    client: TestClient, app_state: AppState, tmp_path: Path
) -> None:
    with app_state.database.unit_of_work() as session:  # its mail is sent after the commit
        alice = make_user(session, email="alice@alpha.example", name="Alice")
        bob = make_user(session, email="bob@beta.example", name="Bob")
        alpha = make_organisation(session, name="Alpha Tools", type=OrgType.SME)
        beta = make_organisation(session, name="Beta Bits", type=OrgType.SME)
        add_member(session, alpha, alice)
        add_member(session, beta, bob)
        event = make_event(session, organiser=bob)
        a = add_participant(session, event, user=alice, organisation=alpha)
        b = add_participant(session, event, user=bob, organisation=beta)
        add_meeting(session, event, requester=a, recipient=b, starts_at=MET)
        mail = FollowUpMail(
            FileMailer(tmp_path, "noreply@example.org"), "http://testserver", (2, 6),
            timedelta(days=60),
        )  # fmt: skip
        send_follow_ups(
            session, mail, now=MET + timedelta(weeks=2), today=(MET + timedelta(weeks=2)).date()
        )
        alpha_id = alpha.id
    mails = read_mail(app_state.settings.resolved_mail_dir())
    alice_mail = next(m for m in mails if m.to == ("alice@alpha.example",))
    link = re.search(
        r"http://testserver(/followups/([\w-]+)\?answer=commercial_agreement)", alice_mail.body
    )
    assert link is not None
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "your meeting with Beta Bits at Textile meets Tech on 10 March 2026" in page.text
    assert 'value="commercial_agreement" checked' in page.text
    token = csrf_token(client, link.group(1))
    path = f"/followups/{link.group(2)}"
    long_note = "n" * (NOTE_MAX_LENGTH * 3)  # a paste far over the limit is kept too
    wrong = client.post(path, data={"answer": "merger", "note": long_note, "csrf_token": token})
    assert wrong.status_code == 422
    assert summary_items(wrong.text) == [
        "The outcome: must be one of the answers offered",
        f"A note: must be at most {NOTE_MAX_LENGTH:,} characters, not {len(long_note):,}",
    ]
    assert invalid_fields(wrong.text) == [
        ("answer", "must be one of the answers offered"),
        ("note", f"must be at most {NOTE_MAX_LENGTH:,} characters, not {len(long_note):,}"),
    ]
    assert f'aria-describedby="note-error">{long_note}</textarea>' in wrong.text
    done = client.post(
        path, data={"answer": "commercial_agreement", "note": "A supply deal", "csrf_token": token}
    )
    assert done.status_code == 200
    assert 'data-testid="outcome-recorded"' in done.text
    assert client.get(path).status_code == 404
    assert client.get(f"/api{path}").status_code == 404

    sign_in(client, "bob@beta.example")
    assert client.get(f"/organisations/{alpha_id}/outcomes").status_code == 404
    client.cookies.clear()
    sign_in(client, "alice@alpha.example")
    assert 'data-testid="outcomes-link"' in client.get(f"/organisations/{alpha_id}").text
    listed = client.get(f"/organisations/{alpha_id}/outcomes")
    assert "A commercial agreement" in listed.text
    assert "A supply deal" in listed.text
    assert "Your meeting with Beta Bits at Textile meets Tech on 10 March 2026" in listed.text
