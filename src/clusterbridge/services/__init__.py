"""Use cases: load input, build snapshots, run the domain, shape the result."""
