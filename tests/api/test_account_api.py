"""The account endpoints: change a password with a token, reset a forgotten one without."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.routers.account import RESET_SENT
from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.app import create_app
from tests.conftest import NOW
from tests.factories.users import PASSWORD, make_user
from tests.mailbox import read_mail

pytestmark = [pytest.mark.integration, pytest.mark.db]

NEW_PASSWORD = "a brand new password"
EMAIL = "manager@cluster.example"


@pytest.fixture
def api(clean_database: Database, settings: Settings) -> Iterator[TestClient]:
    changed = settings.model_copy(update={"sign_in_limit_per_account": "3 per 15 minutes"})
    state = AppState(changed, clean_database, load_catalogue(), clock=lambda: NOW)
    with TestClient(create_app(state), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def tokens(clean_database: Database) -> tuple[str, str]:
    with clean_database.unit_of_work() as session:
        user = make_user(session)
        return (
            create_api_token(session, user, name="script")[1],
            create_api_token(session, user, name="other")[1],
        )


@pytest.fixture
def token(tokens: tuple[str, str]) -> str:
    return tokens[0]


def change(api: TestClient, token: str, current: str, new: str = NEW_PASSWORD) -> Any:
    body = {"current_password": current, "new_password": new, "confirmation": new}
    return api.post(
        "/api/account/password", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def test_changing_the_password_revokes_every_token_of_the_user(
    api: TestClient, tokens: tuple[str, str]
) -> None:
    response = change(api, tokens[0], PASSWORD)

    assert response.status_code == 204
    for raw in tokens:
        refused = api.get("/api/consortia", headers={"Authorization": f"Bearer {raw}"})
        assert refused.status_code == 401


def test_a_wrong_current_password_is_a_422_naming_the_field(api: TestClient, token: str) -> None:
    response = change(api, token, "not my password", "short")

    assert response.status_code == 422
    assert response.json() == {
        "message": "The password was not changed",
        "errors": [
            {"location": "", "field": "current_password", "reason": "is not your current password"},
            {
                "location": "",
                "field": "new_password",
                "reason": "must be 10 to 1024 characters long",
            },
        ],
    }


def test_guessing_the_current_password_is_limited_with_retry_after(
    api: TestClient, token: str
) -> None:
    statuses = [change(api, token, "guess").status_code for _ in range(3)]

    locked = change(api, token, PASSWORD)

    assert statuses == [422, 422, 422]
    assert locked.status_code == 429
    assert locked.json() == {
        "message": "Too many sign-in attempts; try again in 15 minutes",
        "errors": [],
    }
    assert 0 < int(locked.headers["retry-after"]) <= 900


def test_a_right_current_password_with_a_refused_new_one_is_no_guess(
    api: TestClient, token: str
) -> None:
    statuses = [change(api, token, PASSWORD, "short").status_code for _ in range(4)]

    changed = change(api, token, PASSWORD)

    assert statuses == [422, 422, 422, 422]
    assert changed.status_code == 204


def test_a_new_password_of_blanks_is_a_422_naming_the_field(api: TestClient, token: str) -> None:
    response = change(api, token, PASSWORD, " " * 12)

    assert response.status_code == 422
    assert response.json() == {
        "message": "The password was not changed",
        "errors": [
            {
                "location": "",
                "field": "new_password",
                "reason": "must not be only spaces or other blanks",
            }
        ],
    }


def test_changing_to_the_same_password_is_a_422_naming_the_new_one(
    api: TestClient, token: str
) -> None:
    # The QA sweep of 2026-12-07: a change to the current password was accepted.
    response = change(api, token, PASSWORD, PASSWORD)

    assert response.status_code == 422
    assert response.json() == {
        "message": "The password was not changed",
        "errors": [
            {
                "location": "",
                "field": "new_password",
                "reason": "must differ from the current password",
            }
        ],
    }
    assert (
        api.get("/api/consortia", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )


def test_a_reset_by_api_for_what_is_no_address_is_refused(
    api: TestClient, settings: Settings
) -> None:
    response = api.post("/api/account/password-reset", json={"email": ""})

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("email", "is required")
    ]
    assert read_mail(settings.resolved_mail_dir()) == []


def test_a_reset_by_api_answers_alike_and_the_token_works_once(
    api: TestClient, token: str, settings: Settings
) -> None:
    known = api.post("/api/account/password-reset", json={"email": EMAIL})
    unknown = api.post("/api/account/password-reset", json={"email": "nobody@cluster.example"})
    [mail] = read_mail(settings.resolved_mail_dir())
    reset_token = mail.body.split("/reset-password/")[1].split()[0]
    body = {"token": reset_token, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD}

    first = api.post("/api/account/password-reset/confirm", json=body)
    second = api.post("/api/account/password-reset/confirm", json=body)

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert mail.to == (EMAIL,)
    assert first.status_code == 204
    assert second.status_code == 404
    assert second.json()["message"].startswith("This link to reset a password has expired")
    assert (
        api.get("/api/consortia", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_reset_requests_past_the_limit_answer_alike_and_lock_nobody_out(
    api: TestClient, token: str, settings: Settings
) -> None:
    known = [api.post("/api/account/password-reset", json={"email": EMAIL}) for _ in range(5)]
    unknown = [
        api.post("/api/account/password-reset", json={"email": "nobody@cluster.example"})
        for _ in range(5)
    ]

    changed = change(api, token, PASSWORD)

    answers = {(r.status_code, r.json()["message"]) for r in known + unknown}
    assert answers == {(202, RESET_SENT)}
    assert [mail.to for mail in read_mail(settings.resolved_mail_dir())] == [(EMAIL,)] * 3
    assert changed.status_code == 204


def reset_token_for(api: TestClient, settings: Settings) -> str:
    api.post("/api/account/password-reset", json={"email": EMAIL})
    [mail] = read_mail(settings.resolved_mail_dir())
    return mail.body.split("/reset-password/")[1].split()[0]


def test_a_reset_confirm_takes_new_password_like_a_change(
    api: TestClient, token: str, settings: Settings
) -> None:
    reset_token = reset_token_for(api, settings)
    short = {"token": reset_token, "new_password": "short", "confirmation": "short"}
    body = {"token": reset_token, "new_password": NEW_PASSWORD, "confirmation": NEW_PASSWORD}

    refused = api.post("/api/account/password-reset/confirm", json=short)
    done = api.post("/api/account/password-reset/confirm", json=body)

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"location": "", "field": "new_password", "reason": "must be 10 to 1024 characters long"}
    ]
    assert done.status_code == 204
    assert (
        api.get("/api/consortia", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_a_reset_confirm_with_both_names_of_the_password_is_refused(
    api: TestClient, token: str, settings: Settings
) -> None:
    reset_token = reset_token_for(api, settings)
    body = {
        "token": reset_token,
        "new_password": NEW_PASSWORD,
        "password": "another new password",
        "confirmation": NEW_PASSWORD,
    }

    response = api.post("/api/account/password-reset/confirm", json=body)

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        (
            "password",
            "is not a parameter of this endpoint; use one of: token, new_password, confirmation",
        )
    ]
    assert (
        api.get("/api/consortia", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
