"""The console script's entry point.

``clusterbridge partners ...`` imports only the partner-matching commands: importing every
command of the tool takes about a second, half of what ``partners suggest`` may take in all
(issue 14). Every other command goes through the whole tool (``cli.app``).
"""

import sys

import typer


def main() -> None:
    """Run the command line in ``sys.argv``."""
    if sys.argv[1:2] == ["partners"]:
        _partners_only()()
    else:
        from clusterbridge.cli.app import main as whole_tool  # noqa: PLC0415 -- see the module

        whole_tool()


def _partners_only() -> typer.Typer:
    """A ``clusterbridge`` command that has only ``partners``, with the same options."""
    from clusterbridge.cli import partners  # noqa: PLC0415 -- only what this command needs

    app = typer.Typer(name="clusterbridge", pretty_exceptions_enable=False, add_completion=False)
    app.add_typer(partners.app, name="partners")

    @app.callback()
    def root() -> None:
        """Calls, consortia and eligibility for EU cluster programmes."""

    return app


if __name__ == "__main__":
    main()
