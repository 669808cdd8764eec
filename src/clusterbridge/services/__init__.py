"""Use cases: load input, build snapshots, run the domain, shape the result.

One package per capability (``accounts``, ``calls``, ``registry``, ``consortia``, ``matching``,
``builder``, ``events``, ``scheduling``), each saying in its docstring what it owns and which
others it may call; shared helpers (``mail``, ``text``, ``database``) stay at the top, with
``demo``, which loads the demo data of several capabilities. The contracts in
``pyproject.toml`` keep the arrows as they are drawn in ``docs/developer/architecture.md``.
"""
