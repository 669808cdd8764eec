"""The exchanges a programme officer oversees in the API and web tests of every exchange, between
the partnerships of ``tests.exchange_world.make_world``, made by its ``add_exchange`` (through the
real service, then moved on to their state).

Each exchange is named as the list of every exchange names it: "Graz visits Braga" (Alpine CXC
to Atlantic CXC), "Aarhus visits Porto" (Nordic CXC to Atlantic CXC) and "Odense visits Faro"
(Nordic CXC to Nordic CXC). Defaults: the week from 4 November 2024, proposed.
"""

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ExchangeState
from tests.exchange_world import World, add_exchange

#: Each exchange's name, and the fields of ``World`` naming the visitor's and the host's
#: partnerships.
PARTNERSHIPS = {
    "Graz visits Braga": ("alpine", "atlantic"),
    "Aarhus visits Porto": ("nordic", "atlantic"),
    "Odense visits Faro": ("nordic", "nordic"),
}


def add_overseen_exchange(
    database: Database,
    world: World,
    name: str,
    *,
    monday: int = 4,
    state: ExchangeState = ExchangeState.PROPOSED,
) -> int:
    """The exchange ``name`` (a key of ``PARTNERSHIPS``) for the week from ``monday`` in
    November 2024, moved on to ``state``; its id."""
    visitor, host = name.split(" visits ")
    visitors_partnership, hosts_partnership = PARTNERSHIPS[name]
    return add_exchange(
        database,
        visitor=visitor,
        host=host,
        visitors_partnership=getattr(world, visitors_partnership),
        hosts_partnership=getattr(world, hosts_partnership),
        monday=monday,
        state=state,
    )
