"""Data shipped for the demo: a copy of the CORDIS Horizon Europe export (see cordis/PROVENANCE.md)."""
