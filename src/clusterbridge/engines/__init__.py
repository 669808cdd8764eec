"""Pure engines over domain snapshots: partner matching and consortium building.

An engine imports ``domain`` and ``reference`` and its own numeric libraries (NumPy, SciPy,
OR-Tools), never the database, the web frameworks or the configuration.
"""
