"""Pure engines over domain snapshots and problems: partner matching, consortium building and
B2B meeting scheduling.

An engine imports ``domain`` and ``reference`` and its own numeric libraries (NumPy, SciPy,
OR-Tools, python-sat), never the database, the web frameworks or the configuration.
"""
