"""Unique constraints that concurrent requests can hit, and what a collision means to a user.

A check in Python ("is there a coordinator yet?") cannot see a change another request makes at
the same moment; the database's constraint can. When one fires, the unit of work turns the
``IntegrityError`` into a `ConflictError` (409) with the message here. An integrity error of any
other constraint is a bug and stays an error.
"""

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from clusterbridge.domain.errors import ConflictError

#: What the data held changed meanwhile: said of edits that replace a list of rows.
CHANGED_MEANWHILE = "It was changed by someone else at the same moment: reload and try again"


#: Why a payment is refused when its reference is taken in the call (the service's check says
#: which payment took it; this is what the database's index alone can say, ADR 0041).
REFERENCE_TAKEN = (
    "This reference is already used by a payment not cancelled in this call: a transfer's "
    "reference is recorded once per call (cancel that payment first if it was booked to the "
    "wrong application)"
)


@dataclass(frozen=True, slots=True)
class KnownConstraint:
    """A unique constraint or index: its name (PostgreSQL reports it, and SQLite for an index
    on expressions), its table and columns (SQLite reports these; empty for an index on
    expressions), and the message for a user who hits it."""

    name: str
    table: str
    columns: tuple[str, ...]
    message: str


KNOWN_CONSTRAINTS = (
    KnownConstraint(
        "uq_consortium_partner_coordinator",
        "consortium_partner",
        ("consortium_id",),
        "The consortium already has a coordinator: change that partner's role first",
    ),
    KnownConstraint(
        "uq_consortium_partner_consortium_id_organisation_id",
        "consortium_partner",
        ("consortium_id", "organisation_id"),
        "This organisation is already a partner of the consortium",
    ),
    KnownConstraint(
        "pk_consortium_member",
        "consortium_member",
        ("consortium_id", "user_id"),
        "This person is already a member of the consortium",
    ),
    KnownConstraint(
        "uq_meeting_open_pair",
        "meeting",
        ("pair_low_id", "pair_high_id"),
        "These two participants already have an open request or a meeting",
    ),
    KnownConstraint(
        "uq_event_participant_event_id_user_id",
        "event_participant",
        ("event_id", "user_id"),
        "You are already registered for this event",
    ),
    KnownConstraint(
        "uq_user_account_email",
        "user_account",
        ("email",),
        "The account cannot be created with this address",
    ),
    KnownConstraint(
        "uq_organisation_pic",
        "organisation",
        ("pic",),
        "An organisation with this PIC is already in the registry",
    ),
    KnownConstraint(
        "pk_organisation_member",
        "organisation_member",
        ("organisation_id", "user_id"),
        "This person is already a member of the organisation",
    ),
    KnownConstraint(
        "uq_consortium_invitation_consortium_id_email",
        "consortium_invitation",
        ("consortium_id", "email"),
        "This address is already invited to the consortium",
    ),
    KnownConstraint(
        "uq_cluster_membership_request_cluster_id_member_id",
        "cluster_membership_request",
        ("cluster_id", "member_id"),
        "This organisation already asked to join the cluster: wait for the answer",
    ),
    KnownConstraint(
        "pk_cluster_membership",
        "cluster_membership",
        ("cluster_id", "member_id"),
        "This organisation is already a member of the cluster",
    ),
    KnownConstraint(
        "uq_organisation_claim_organisation_id_requester_id_is_open",
        "organisation_claim",
        ("organisation_id", "requester_id", "is_open"),
        "You already asked to manage this organisation: wait for the answer",
    ),
    KnownConstraint(
        "pk_organisation_ecosystem",
        "organisation_ecosystem",
        ("organisation_id", "ecosystem"),
        CHANGED_MEANWHILE,
    ),
    KnownConstraint(
        "uq_organisation_technology_organisation_id_direction_label",
        "organisation_technology",
        ("organisation_id", "direction", "label"),
        CHANGED_MEANWHILE,
    ),
    KnownConstraint("uq_project_grant_id", "project", ("grant_id",), CHANGED_MEANWHILE),
    KnownConstraint(
        "uq_programme_call_identifier",
        "programme_call",
        ("identifier",),
        "Another call already has this identifier: choose another one",
    ),
    KnownConstraint(
        "uq_participation_project_id_organisation_id_role",
        "participation",
        ("project_id", "organisation_id", "role"),
        CHANGED_MEANWHILE,
    ),
    # The evaluation (ADR 0025): two officers or experts saving the same thing at once.
    KnownConstraint(
        "uq_expert_user_id", "expert", ("user_id",), "This person is already in the pool"
    ),
    KnownConstraint(
        "uq_expert_declaration_expert_id_proposal_id",
        "expert_declaration",
        ("expert_id", "proposal_id"),
        CHANGED_MEANWHILE,
    ),
    KnownConstraint(
        "uq_evaluation_panel_call_id", "evaluation_panel", ("call_id",), CHANGED_MEANWHILE
    ),
    KnownConstraint(
        "uq_evaluation_assignment_proposal_id_expert_id",
        "evaluation_assignment",
        ("proposal_id", "expert_id"),
        CHANGED_MEANWHILE,
    ),
    KnownConstraint(
        "uq_consensus_report_proposal_id", "consensus_report", ("proposal_id",), CHANGED_MEANWHILE
    ),
    KnownConstraint(
        "uq_proposal_decision_proposal_id",
        "proposal_decision",
        ("proposal_id",),
        CHANGED_MEANWHILE,
    ),
    # The self-assessments (ADR 0019).
    KnownConstraint(
        "uq_readiness_question_organisation_id_key",
        "readiness_question",
        ("organisation_id", "key"),
        CHANGED_MEANWHILE,
    ),
    KnownConstraint(
        "uq_cluster_label_organisation_id_level_awarded",
        "cluster_label",
        ("organisation_id", "level", "awarded"),
        "This label is already recorded with this award date",
    ),
    # A payment reference once per call among the payments not cancelled (ADR 0041).
    KnownConstraint("uq_cascade_payment_call_reference", "cascade_payment", (), REFERENCE_TAKEN),
)

_BY_NAME = {known.name: known for known in KNOWN_CONSTRAINTS}
_BY_COLUMNS = {(known.table, known.columns): known for known in KNOWN_CONSTRAINTS if known.columns}
#: SQLite's message: "UNIQUE constraint failed: table.column, table.column".
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w.]+(?:, [\w.]+)*)")
#: SQLite's message for an index on expressions: "UNIQUE constraint failed: index 'name'".
_SQLITE_UNIQUE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>\w+)'")


def known_constraint(error: IntegrityError) -> KnownConstraint | None:
    """The known unique constraint ``error`` comes from, or None (another kind of integrity
    error, or a constraint no race can hit)."""
    diagnostics = getattr(error.orig, "diag", None)
    name = getattr(diagnostics, "constraint_name", None)
    if name:
        return _BY_NAME.get(name)
    named = _SQLITE_UNIQUE_INDEX.search(str(error.orig))
    if named is not None:
        return _BY_NAME.get(named["name"])
    match = _SQLITE_UNIQUE.search(str(error.orig))
    if match is None:
        return None
    qualified = [column.split(".", 1) for column in match["columns"].split(", ")]
    tables = {table for table, _column in qualified}
    if len(tables) != 1:
        return None
    return _BY_COLUMNS.get((tables.pop(), tuple(column for _table, column in qualified)))


def conflict_for(error: IntegrityError) -> ConflictError | None:
    """The `ConflictError` (409) a user gets for ``error``, or None when it is not a known
    collision (then it is a bug, and stays an error)."""
    known = known_constraint(error)
    return None if known is None else ConflictError(known.message)
