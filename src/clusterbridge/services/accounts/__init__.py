"""Accounts: users, their roles, passwords and API tokens.

Owns the ``User`` and ``ApiToken`` rows. Calls no other capability; only the shared helpers
(``services.text``).
"""
