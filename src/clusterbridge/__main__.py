"""``python -m clusterbridge``: the command-line tool."""

from clusterbridge.cli.entry import main

main()
