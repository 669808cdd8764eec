"""``clusterbridge users`` and ``clusterbridge tokens``: accounts and API tokens."""

from typing import Annotated

import typer

from clusterbridge.cli.common import database, user_errors
from clusterbridge.db.repositories import users as user_repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.accounts import users

app = typer.Typer(help="User accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens.", no_args_is_help=True)

EmailOption = Annotated[str, typer.Option("--email", help="The e-mail address (sign-in name).")]


@app.command("create")
def create(
    email: EmailOption,
    name: Annotated[str, typer.Option("--name", help="The person's name.")],
    role: Annotated[
        UserRole,
        typer.Option(
            "--role",
            # Its five choices joined would be the value's name, cut inside a word
            # ("organi" / "sation_member") on a terminal of 100 columns; the help lists them.
            metavar="ROLE",
            help="What the user does: administrator, cluster_manager, organisation_member, "
            "event_organiser or programme_officer. The default is the least privilege, "
            "organisation_member; give --role administrator for an administrator (such as the "
            "first account).",
        ),
    ] = UserRole.ORGANISATION_MEMBER,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            help="The password; asked for (hidden) when not given. Prefer the prompt: "
            "options end up in the shell history.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create an account (an organisation member unless --role says otherwise); make the first
    one with --role administrator."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with user_errors(), database() as db, db.unit_of_work() as session:
        user = users.create_user(session, email=email, name=name, password=password, role=role)
        typer.echo(f"Created {user.role.value} {user.email} (id {user.id})")


@tokens_app.command("create")
def create_token(
    email: EmailOption,
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "API token",
) -> None:
    """Create an API token for a user and print it (it is shown only once)."""
    with user_errors(), database() as db, db.unit_of_work() as session:
        user = user_repository.get_user_by_email(session, email.strip().lower())
        if user is None:
            raise InvalidInputError(
                "No such user", [InputIssue("", "--email", f"no account for {email}")]
            )
        _token, raw = users.create_api_token(session, user, name=name)
    typer.echo(raw)
