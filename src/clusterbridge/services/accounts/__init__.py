"""Accounts: users, their roles (``roles``: the event organiser role granted and revoked by an
administrator), passwords and API tokens.

Owns the ``User`` and ``ApiToken`` rows. Calls no other capability; only the shared helpers
(``services.text``).
"""
