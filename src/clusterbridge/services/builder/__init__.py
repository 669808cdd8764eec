"""Builder: consortia proposed for a call (CP-SAT over a shortlist from matching), each checked by
the eligibility engine and explained, and a proposal applied as a new or completed consortium.

Owns no rows of its own. May call ``calls``, ``consortia`` and ``matching``; it sits above
both because matching already reads consortia.
"""
