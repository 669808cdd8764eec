"""``clusterbridge users create``: the least privilege by default, bad details refused."""

import pytest

from clusterbridge.db.repositories import users as user_repository
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from tests.cli.conftest import Invoke

pytestmark = [pytest.mark.e2e, pytest.mark.db]

PASSWORD = "a long enough password"


def create(invoke: Invoke, *extra: str) -> tuple[int, str, str]:
    result = invoke(
        "users", "create", "--email", "Ana@Cluster.example", "--name", "Ana", "--password",
        PASSWORD, *extra,
    )  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def stored(database: Database, email: str) -> tuple[int, UserRole] | None:
    with database.unit_of_work() as session:
        user = user_repository.get_user_by_email(session, email)
        return None if user is None else (user.id, user.role)


def test_create_without_a_role_makes_an_organisation_member(
    invoke: Invoke, cli_database: Database
) -> None:
    # The QA sweep of 2026-12-07: without --role the account was an administrator.
    exit_code, stdout, _stderr = create(invoke)

    user_id, role = stored(cli_database, "ana@cluster.example") or (0, None)
    assert role == UserRole.ORGANISATION_MEMBER
    assert (exit_code, stdout) == (
        0,
        f"Created organisation_member ana@cluster.example (id {user_id})\n",
    )


def test_create_with_role_administrator_makes_an_administrator(
    invoke: Invoke, cli_database: Database
) -> None:
    exit_code, stdout, _stderr = create(invoke, "--role", "administrator")

    user_id, role = stored(cli_database, "ana@cluster.example") or (0, None)
    assert role == UserRole.ADMINISTRATOR
    assert (exit_code, stdout) == (0, f"Created administrator ana@cluster.example (id {user_id})\n")


def test_create_help_names_the_default_role(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")

    result = invoke("users", "create", "--help")

    [line] = [line for line in result.stdout.splitlines() if "What the user does" in line]
    assert line.split("  What the user does: ")[1].rstrip(" │") == (
        "administrator, cluster_manager, organisation_member, event_organiser or "
        "programme_officer. The default is the least privilege, organisation_member; give "
        "--role administrator for an administrator (such as the first account). "
        "[default: organisation_member]"
    )


def test_create_help_names_the_roles_whole_on_a_narrow_terminal(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The walk of 2026-12-07: at 100 columns the value read "administrator|cluster_manager|organi"
    # over "sation_member|event_organiser|progra" and "mme_officer".
    monkeypatch.setenv("COLUMNS", "100")

    result = invoke("users", "create", "--help")

    rows = [line.strip("│ ").split() for line in result.stdout.splitlines()]
    assert ["--role", "ROLE"] in [row[:2] for row in rows]
    words = " ".join(result.stdout.replace("│", " ").split())
    assert "organisation_member, event_organiser or programme_officer." in words


def test_create_refuses_a_name_of_5000_characters(invoke: Invoke, cli_database: Database) -> None:
    result = invoke(
        "users", "create", "--email", "ana@cluster.example", "--name", "N" * 5000,
        "--password", " " * 10,
    )  # fmt: skip

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: The account cannot be created.\n"
        "  - --name: must be at most 200 characters, not 5,000.\n"
        "  - --password: must not be only spaces or other blanks.\n"
    )
    assert stored(cli_database, "ana@cluster.example") is None
