"""The small evaluation with users of the consortium members, for the access tests of a sent
proposal's state and outcome (API and web)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.db.repositories import evaluation as evaluation_repository
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.services.selection import outcome
from tests.factories.evaluation import add_pool, evaluate_small, make_small_evaluation
from tests.factories.organisations import add_member
from tests.factories.users import make_user


@dataclass
class MemberWorld:
    """``make_small_evaluation``'s call and proposals (ALPHA: Acme's, by alice; BETA: Beta's,
    by bob), its users, and carl (a user of Acme) and dora (a user of Beta); the pool is in."""

    call_id: int
    proposals: dict[str, int]
    users: dict[str, User]


def make_member_world(session: Session) -> MemberWorld:
    """The world of `MemberWorld`: the proposals submitted, not evaluated."""
    small = make_small_evaluation(session)
    users = dict(small.users)
    for name, pic in (("carl", "920000001"), ("dora", "920000002")):
        organisation = organisation_repository.get_by_pic(session, pic)
        assert organisation is not None
        users[name] = make_user(session, email=f"{name}@example.org", name=name.title())
        add_member(session, organisation, users[name])
    add_pool(session, small)
    return MemberWorld(small.call_id, small.proposals, users)


def rank_world(session: Session, world: MemberWorld, *, now: datetime) -> None:
    """Evaluate (`evaluate_small`) and rank the call: ALPHA and BETA selected, not published."""
    olga = world.users["olga"]
    evaluate_small(session, olga, world.call_id, now=now)
    outcome.rank_call(session, olga, world.call_id, now=now)


def publish_world(session: Session, world: MemberWorld, *, now: datetime) -> None:
    """Publish the ranked selection (the panel's date only: no letters)."""
    panel = evaluation_repository.get_panel(session, world.call_id)
    assert panel is not None
    panel.published_at = now
    session.flush()
