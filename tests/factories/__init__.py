"""Factories for the tests: typed, keyword-only and surprise-free (see each module)."""
