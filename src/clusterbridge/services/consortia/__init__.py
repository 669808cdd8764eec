"""Consortia: saved consortia, who may see and change them, their partners, and the consortium
file format (columns, CSV, XLSX and JSON files, the template).

Owns ``Consortium``, ``ConsortiumPartner`` and ``ConsortiumMember``. May call ``calls`` (to check
a consortium against a call) and ``registry`` (to add registry organisations as partners).
"""
