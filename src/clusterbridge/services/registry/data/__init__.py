"""The controlled technology vocabulary (technologies.csv; see PROVENANCE.md)."""
