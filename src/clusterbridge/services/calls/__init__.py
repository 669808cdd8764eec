"""Calls: the call files and their schema, the catalogue, eligibility checks and region look-ups.

Owns the call catalogue (read from files, never from the database). Calls no other capability.
"""
