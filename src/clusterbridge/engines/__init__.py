"""Solvers over the pure domain problems: the only code that imports OR-Tools or python-sat."""
