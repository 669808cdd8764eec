"""The command-line tool: thin Typer commands over the services."""
