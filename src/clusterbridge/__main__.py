"""``python -m clusterbridge``: the command-line tool."""

from clusterbridge.cli.app import main

main()
