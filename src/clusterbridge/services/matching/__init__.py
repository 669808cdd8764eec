"""Matching: the partner-matching index over the registry and partner suggestions, with reasons,
for an organisation, an idea or a consortium.

Owns the saved matching index (a cache file). May call ``calls``, ``consortia`` (the partners
of a consortium) and ``registry``.
"""
