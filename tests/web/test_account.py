"""Signing in and out, registering, CSRF and API tokens through the web pages."""

import base64
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.repositories import users as user_repository
from clusterbridge.db.session import Database
from clusterbridge.web.app import SESSION_COOKIE
from tests.factories.users import PASSWORD, make_user
from tests.web.helpers import csrf_token, sign_in, token_form
from tests.web.refusals import summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def manager(clean_database: Database) -> str:
    with clean_database.unit_of_work() as session:
        return make_user(session).email


def test_sign_in_then_account_page_shows_the_user(client: TestClient, manager: str) -> None:
    sign_in(client, manager)

    page = client.get("/account")

    assert page.status_code == 200
    assert "Maria Manager" in page.text
    assert "manager@cluster.example · Cluster manager" in page.text


def test_sign_in_with_a_wrong_password_is_refused(client: TestClient, manager: str) -> None:
    response = client.post(
        "/sign-in",
        data={"email": manager, "password": "wrong password", "csrf_token": csrf_token(client)},
    )

    assert response.status_code == 400
    assert "The e-mail address or the password is not right." in response.text
    assert (
        client.get("/account", follow_redirects=False).headers["location"]
        == "/sign-in?next=/account"
    )


def test_a_form_without_the_csrf_token_is_refused(client: TestClient, manager: str) -> None:
    response = client.post("/sign-in", data={"email": manager, "password": PASSWORD})

    assert response.status_code == 403
    assert "did not come from this site" in response.text


@pytest.mark.parametrize("where", ["field", "header"])
def test_a_csrf_token_with_accents_is_refused_not_an_error(
    client: TestClient, manager: str, where: str
) -> None:
    csrf_token(client)
    form = {"email": manager, "password": PASSWORD}

    if where == "field":
        response = client.post("/sign-in", data=form | {"csrf_token": "jeton-forgé"})
    else:
        headers = {"X-CSRF-Token": "jeton-forgé".encode()}
        response = client.post("/sign-in", data=form, headers=headers)

    assert response.status_code == 403
    assert "did not come from this site" in response.text


def test_a_form_with_another_sessions_token_is_refused(
    client: TestClient, app_state: object, manager: str
) -> None:
    token = csrf_token(client)
    client.cookies.clear()

    response = client.post(
        "/sign-in", data={"email": manager, "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 403


def test_register_reports_every_bad_field(client: TestClient, manager: str) -> None:
    response = client.post(
        "/register",
        data={
            "name": " ",
            "email": manager,
            "password": "short",
            "role": "administrator",
            "csrf_token": csrf_token(client),
        },
    )

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Your name: is required",
        "Password: must be 10 to 1024 characters long",
        "I am a: choose cluster manager or organisation member",
    ]
    assert 'id="name-error">is required<' in response.text
    # A taken address is not a field error: that would tell anyone who has an account.
    assert 'id="email-error"' not in response.text
    assert 'id="password-error">must be 10 to 1024 characters long<' in response.text


def test_register_creates_a_cluster_manager_who_then_signs_in(client: TestClient) -> None:
    response = client.post(
        "/register",
        data={
            "name": "Nina New",
            "email": "Nina@Example.EU",
            "password": "a long enough password",
            "role": "cluster_manager",
            "csrf_token": csrf_token(client, "/register"),
        },
        follow_redirects=False,
    )

    assert (response.status_code, response.headers["location"]) == (303, "/register/sent")
    assert client.get("/account", follow_redirects=False).status_code == 303
    sign_in(client, "nina@example.eu", "a long enough password")
    assert "nina@example.eu · Cluster manager" in client.get("/account").text


def test_a_created_token_opens_the_api_once_and_not_after_revoking(
    client: TestClient, manager: str
) -> None:
    sign_in(client, manager)
    page = client.post("/account/tokens", data=token_form(client))
    token = page.text.split('data-testid="new-token">')[1].split("<")[0]
    api = TestClient(client.app, base_url="http://testserver")

    before = api.get("/api/calls", headers={"Authorization": f"Bearer {token}"})
    token_id = page.text.split("/account/tokens/")[1].split("/")[0]
    client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account")}
    )
    after = api.get("/api/calls", headers={"Authorization": f"Bearer {token}"})

    assert before.status_code == 200
    assert after.status_code == 401
    assert after.json() == {"message": "The API token is unknown or revoked", "errors": []}


def _new_token(html: str) -> list[str]:
    return re.findall(r'data-testid="new-token">([^<]*)<', html)


def _session_cookie(response: Any) -> str:
    """The session cookie ``response`` sets, as the browser stores it."""
    [cookie] = [h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE)]
    return cookie


def _session_content(cookie: str) -> str:
    """What a signed (not encrypted) session cookie says, as anyone holding it can read it."""
    value = cookie.split(";", maxsplit=1)[0].split("=", 1)[1].strip('"')
    return base64.b64decode(value.rsplit(".", 2)[0]).decode()


def test_a_new_token_is_shown_in_the_answer_never_in_the_session_cookie(
    client: TestClient, manager: str
) -> None:
    sign_in(client, manager)

    created = client.post("/account/tokens", data=token_form(client), follow_redirects=False)

    [token] = _new_token(created.text)
    cookie = _session_cookie(created)
    assert token not in cookie
    assert token not in _session_content(cookie)
    assert token[3:20] not in _session_content(cookie)
    assert (created.status_code, created.headers["cache-control"]) == (200, "no-store")
    api = TestClient(client.app, base_url="http://testserver")
    assert api.get("/api/calls", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert _new_token(client.get("/account").text) == []


def test_sending_the_token_form_again_makes_no_token_and_shows_none(
    client: TestClient, manager: str
) -> None:
    sign_in(client, manager)
    form = token_form(client)
    client.post("/account/tokens", data=form)

    again = client.post("/account/tokens", data=form)
    page = client.get("/account")

    assert again.status_code == 409
    assert _new_token(again.text) == []
    assert re.findall(r'data-testid="token-form-used"><p>([^<]*)<', again.text) == [
        "This form was sent already, so no token was created now. Tokens are listed below; "
        "a token&#39;s secret is shown only once, when it is created."
    ]
    assert again.text.count("<td>script</td>") == 1
    assert _new_token(page.text) == []
    assert "cache-control" not in page.headers
    assert page.text.count("<td>script</td>") == 1


@pytest.mark.parametrize("form_key", ["", "not the key", "clé"])
def test_a_token_form_without_its_key_makes_no_token(
    client: TestClient, manager: str, form_key: str
) -> None:
    sign_in(client, manager)

    response = client.post("/account/tokens", data=token_form(client) | {"form_key": form_key})

    assert (response.status_code, _new_token(response.text)) == (409, [])
    assert 'data-testid="token-form-used"' in response.text
    assert "<td>script</td>" not in client.get("/account").text


def test_the_token_form_again_creates_another_token(client: TestClient, manager: str) -> None:
    sign_in(client, manager)
    first = client.post("/account/tokens", data=token_form(client, "first"))

    second = client.post("/account/tokens", data=token_form(client, "second"))

    assert (first.status_code, second.status_code) == (200, 200)
    assert len(set(_new_token(first.text) + _new_token(second.text))) == 2
    assert (second.text.count("<td>first</td>"), second.text.count("<td>second</td>")) == (1, 1)


def test_the_token_list_writes_its_days_in_words(client: TestClient, manager: str) -> None:
    # The walk of 2026-12-08: "Created 2026-12-08", "Last used 2026-12-08 02:09".
    sign_in(client, manager)
    secret = _new_token(client.post("/account/tokens", data=token_form(client)).text)[0]
    client.get("/api/calls", headers={"Authorization": f"Bearer {secret}"})

    page = client.get("/account").text

    row = re.search(
        r"<td>script</td><td><code>[^<]*</code></td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", page
    )
    assert row is not None
    created, used = row.groups()
    assert re.fullmatch(r"\d{2} [A-Z][a-z]+ \d{4}", created), created
    assert re.fullmatch(r"\d{2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}", used), used


def test_the_token_address_typed_in_goes_to_the_account_page(
    client: TestClient, manager: str
) -> None:
    sign_in(client, manager)

    response = client.get("/account/tokens", follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (303, "/account")


def test_an_address_with_a_nul_byte_signs_nobody_in(client: TestClient, manager: str) -> None:
    response = client.post(
        "/sign-in",
        data={"email": manager + "\x00", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )

    assert response.status_code == 400


def test_register_refuses_control_characters(client: TestClient) -> None:
    response = client.post(
        "/register",
        data={
            "name": "Nina\x00",
            "email": "nina\x00@example.eu",
            "password": "a long enough password",
            "role": "cluster_manager",
            "csrf_token": csrf_token(client, "/register"),
        },
    )

    assert response.status_code == 422
    assert 'id="name-error">must not contain control characters<' in response.text
    assert (
        'id="email-error">&#34;nina\x00@example.eu&#34; is not an e-mail address<' in response.text
    )


@pytest.mark.parametrize("name", ["Nina\u2028Bcc", "Nina\u2029", "Nina\u202e", "Nina\x85"])
def test_register_refuses_separators_and_format_characters(client: TestClient, name: str) -> None:
    response = client.post(
        "/register",
        data={
            "name": name,
            "email": "nina@example.eu",
            "password": "a long enough password",
            "role": "cluster_manager",
            "csrf_token": csrf_token(client, "/register"),
        },
    )

    assert response.status_code == 422
    assert 'id="name-error">must not contain control characters<' in response.text


def register(client: TestClient, *, name: str, email: str, password: str) -> Any:
    return client.post(
        "/register",
        data={
            "name": name,
            "email": email,
            "password": password,
            "role": "cluster_manager",
            "csrf_token": csrf_token(client, "/register"),
        },
        follow_redirects=False,
    )


def test_register_refuses_a_name_of_5000_characters_beside_the_field(
    client: TestClient, clean_database: Database
) -> None:
    # The QA sweep of 2026-12-07: the name was kept, and the header menu wrapped 150 lines.
    response = register(
        client, name="N" * 5000, email="nina@example.eu", password="a long enough password"
    )

    assert response.status_code == 422
    assert summary_items(response.text) == ["Your name: must be at most 200 characters, not 5,000"]
    assert 'id="name-error">must be at most 200 characters, not 5,000<' in response.text
    with clean_database.unit_of_work() as session:
        assert user_repository.get_user_by_email(session, "nina@example.eu") is None


def test_register_keeps_a_name_of_200_characters(client: TestClient) -> None:
    response = register(
        client, name="N" * 200, email="nina@example.eu", password="a long enough password"
    )

    assert (response.status_code, response.headers["location"]) == (303, "/register/sent")


def test_register_refuses_an_address_longer_than_254_characters(client: TestClient) -> None:
    email = "n" * 250 + "@example.eu"

    response = register(client, name="Nina", email=email, password="a long enough password")

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "E-mail address: must be at most 254 characters, not 261"
    ]


@pytest.mark.parametrize("password", [" " * 10, "\t \u00a0" * 4])
def test_register_refuses_a_password_of_blanks(client: TestClient, password: str) -> None:
    # The QA sweep of 2026-12-07: a password of 10 spaces was accepted.
    response = register(client, name="Nina", email="nina@example.eu", password=password)

    assert response.status_code == 422
    assert summary_items(response.text) == ["Password: must not be only spaces or other blanks"]
    assert 'id="password-error">must not be only spaces or other blanks<' in response.text
