"""E-mailed single-use links: a random token in the link, only its SHA-256 in the database
(password resets, outcome follow-ups). Whoever holds the link may act once; a stolen copy of
the database does not give the links away."""

import hashlib
import secrets

#: Bytes of randomness in a link's token (43 URL-safe characters).
TOKEN_BYTES = 32


def new_link_token() -> tuple[str, str]:
    """A fresh token for a link, and the digest to store in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, link_digest(token)


def link_digest(token: str) -> str:
    """The SHA-256 (hex) of a link's token: what is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()
