"""The exchange workflow's fixtures (``world.py``): the mail notifier, the world of people and
organisations, and a validated visitor and host."""

from tests.services.exchanges.world import notifier, pair, world

__all__ = ["notifier", "pair", "world"]
