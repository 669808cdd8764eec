"""Partnerships, the enrolment of visitors and hosts, and the partnership's validation queue."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ExchangeParticipant,
    ExchangePartnership,
    ExchangePartnershipMember,
    Organisation,
    User,
)
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    OrganisationKind,
    ValidationState,
)
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.engines.exchanges import (
    Judgement,
    ParticipantSnapshot,
    Programme,
    judge_participant,
)
from clusterbridge.reference import normalise_country
from clusterbridge.reference.errors import UnknownCountryError
from clusterbridge.services.accounts.users import find_active_user
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    ExchangeNotFoundError,
    is_administrator,
    require_acts_for,
)
from clusterbridge.services.exchanges.notifications import (
    ExchangeNotifier,
    tell_partnership,
    tell_users,
)
from clusterbridge.services.exchanges.places import resolve_place
from clusterbridge.services.registry import can_edit

#: The longest text accepted anywhere in the scheme (characters): motivation, host exception,
#: a decision's reason, a request's message and answer, goals, objectives, agenda, closing
#: report, a cancellation's reason. The web forms, the API and the services share it; the
#: columns are unbounded text.
MAX_TEXT = 8000
#: The most preferred countries, and sectors, an enrolment names (the API's body and the web
#: form refuse more).
MAX_PREFERRED_COUNTRIES = 60
MAX_PREFERRED_SECTORS = 30
#: The longest partnership name (characters; its column's length).
MAX_NAME = 200
#: The most visitors a host may take at once.
MAX_CAPACITY = 50
#: Why a partnership without anyone acting for it is refused.
MEMBERS_REQUIRED = "is required: give the e-mail of at least one person who acts for it"


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What an organisation fills in to take part. ``place`` is ``lat,lon`` or ``City, CC``;
    blank means the organisation's coordinates in the registry."""

    organisation_id: int
    partnership_id: int
    role: ExchangeRole
    kind: OrganisationKind
    cluster_member: bool | None
    motivation: str
    activity_types: tuple[ActivityType, ...]
    place: str = ""
    preferred_countries: tuple[str, ...] = ()
    preferred_sectors: tuple[str, ...] = ()
    available_from: date | None = None
    available_until: date | None = None
    capacity: int = 1
    host_exception: str = ""


def create_partnership(
    session: Session, actor: User, *, name: str, country: str, members: list[User]
) -> ExchangePartnership:
    """Create a partnership with its members (administrators only). ``InvalidInputError`` for
    a blank name, a blank or unknown country or no member: a partnership needs at least one
    person who acts for it (validates its participants, sets up and pays their exchanges, and
    receives its mails). Writes one row per member."""
    if not is_administrator(actor):
        raise AccessDeniedError("Only administrators create partnerships.")
    issues: list[InputIssue] = []
    code = _partnership_fields(session, name, country, issues)
    if not members:
        issues.append(InputIssue("", "members", MEMBERS_REQUIRED))
    if issues or code is None:
        raise InvalidInputError("The partnership cannot be created.", issues)
    partnership = ExchangePartnership(name=name.strip(), country=code)
    partnership.members = [ExchangePartnershipMember(user=user) for user in members]
    session.add(partnership)
    session.flush()
    return partnership


def create_partnership_from_form(
    session: Session, actor: User, *, name: str, country: str, member_emails: str
) -> ExchangePartnership:
    """Create a partnership from the web form (administrators only): ``member_emails`` holds
    the e-mails of the users who act for it, separated by commas, spaces or lines (each an
    active account, at least one). Every problem is reported at once (``InvalidInputError``)."""
    if not is_administrator(actor):
        raise AccessDeniedError("Only administrators create partnerships.")
    emails = member_emails.replace(",", " ").split()
    issues: list[InputIssue] = []
    members = _checked_partnership(session, name, country, emails, issues)
    if issues:
        raise InvalidInputError("The partnership cannot be created.", issues)
    return create_partnership(session, actor, name=name, country=country, members=members)


def create_partnership_as(
    session: Session, *, acting_email: str, name: str, country: str, member_emails: list[str]
) -> ExchangePartnership:
    """Create a partnership for the administrator whose e-mail is ``acting_email`` (the
    command line): every problem is reported at once (``InvalidInputError``), the acting user's
    (field ``acting``: no such active account, not an administrator) included."""
    issues: list[InputIssue] = []
    actor = _acting_administrator(session, acting_email, issues)
    members = _checked_partnership(session, name, country, member_emails, issues)
    if issues or actor is None:
        raise InvalidInputError("The partnership cannot be created.", issues)
    return create_partnership(session, actor, name=name, country=country, members=members)


def _acting_administrator(session: Session, email: str, issues: list[InputIssue]) -> User | None:
    try:
        actor = find_active_user(session, email, field="acting")
    except InvalidInputError as error:
        issues.extend(error.issues)
        return None
    if not is_administrator(actor):
        issues.append(InputIssue("", "acting", f"{email.strip()} is not an administrator"))
        return None
    return actor


def _checked_partnership(
    session: Session, name: str, country: str, emails: list[str], issues: list[InputIssue]
) -> list[User]:
    """The partnership's members found by e-mail (each once), with the problems of the name,
    the country and the e-mails added to ``issues``."""
    _partnership_fields(session, name, country, issues)
    members: dict[int, User] = {}
    for email in dict.fromkeys(e.strip() for e in emails if e.strip()):
        try:
            user = find_active_user(session, email, field="members")
        except InvalidInputError as error:
            issues.extend(error.issues)
            continue
        members.setdefault(user.id, user)
    if not any(e.strip() for e in emails):
        issues.append(InputIssue("", "members", MEMBERS_REQUIRED))
    return list(members.values())


def _partnership_fields(
    session: Session, name: str, country: str, issues: list[InputIssue]
) -> str | None:
    if not name.strip():
        issues.append(InputIssue("", "name", "is required"))
    elif len(name.strip()) > MAX_NAME:
        issues.append(InputIssue("", "name", too_long_reason(MAX_NAME, len(name.strip()))))
    elif repository.find_partnership_by_name(session, name.strip()) is not None:
        issues.append(InputIssue("", "name", f"{name.strip()} already exists"))
    if not country.strip():
        issues.append(InputIssue("", "country", "is required"))
        return None
    return _country(country, "country", issues)


def enrol(
    session: Session,
    actor: User,
    form: Enrolment,
    *,
    programme: Programme,
    notifier: ExchangeNotifier,
) -> ExchangeParticipant:
    """Enrol ``form.organisation_id`` as a visitor or host with the partnership it chose (its
    members or administrators only). Every problem of the form is reported at once
    (``InvalidInputError``); an organisation enrols once per role (``ExchangeConflictError``).
    The partnership's members are mailed; the participant waits for validation."""
    organisation = session.get(Organisation, form.organisation_id)
    partnership = repository.get_partnership(session, form.partnership_id)
    if organisation is None or partnership is None:
        raise ExchangeNotFoundError("No such organisation or partnership.")
    if not can_edit(session, actor, organisation):
        raise AccessDeniedError(f"Only the members of {organisation.name} may enrol it.")
    if repository.find_participant(session, organisation.id, form.role) is not None:
        raise ExchangeConflictError(f"{organisation.name} is already enrolled as a {form.role}.")
    participant = _participant(form, organisation, actor)
    participant.partnership = partnership
    session.add(participant)
    session.flush()
    judgement = judge_enrolment(programme, participant)
    verdict = "meets" if judgement.allowed else "does not meet"
    tell_partnership(
        session,
        notifier,
        partnership.id,
        subject=f"{organisation.name} enrolled as a {form.role} with {partnership.name}",
        body=(
            f"{organisation.name} ({organisation.country}) enrolled as a {form.role} and waits for "
            f"your validation. It {verdict} the programme's rules:\n\n"
            + "\n".join(f"- {reason}" for reason in judgement.reasons)
            + f"\n\nValidate or refuse it here: {notifier.participant_link(participant)}"
        ),
    )
    return participant


def judge_enrolment(programme: Programme, participant: ExchangeParticipant) -> Judgement:
    """The programme's judgement of a participant (country, kind, cluster membership, host
    exception)."""
    snapshot = ParticipantSnapshot(
        kind=participant.kind,
        country=participant.country,
        cluster_member=participant.cluster_member,
    )
    return judge_participant(
        programme, snapshot, role=participant.role, host_exception=participant.host_exception
    )


def decide_enrolment(
    session: Session,
    actor: User,
    participant_id: int,
    *,
    approve: bool,
    reason: str,
    now: datetime,
    programme: Programme,
    notifier: ExchangeNotifier,
) -> ExchangeParticipant:
    """Validate or refuse a pending participant (its partnership's members or administrators).
    A participant the programme's rules do not allow cannot be validated
    (``ExchangeConflictError`` with the rules' reasons); a refusal needs a reason. The contact
    is mailed."""
    participant = repository.get_participant(session, participant_id)
    if participant is None:
        raise ExchangeNotFoundError(f"No participant {participant_id}.")
    require_acts_for(session, actor, participant.partnership_id, doing="validate participants")
    if participant.state is not ValidationState.PENDING:
        raise ExchangeConflictError(f"The enrolment was already {participant.state}.")
    text = reason.strip()
    if len(text) > MAX_TEXT or (not approve and not text):
        why = "is required to refuse" if not text else too_long_reason(MAX_TEXT, len(text))
        raise InvalidInputError("The decision cannot be saved.", [InputIssue("", "reason", why)])
    if approve:
        judgement = judge_enrolment(programme, participant)
        if not judgement.allowed:
            raise ExchangeConflictError(
                "The programme's rules do not allow this participant: "
                + " ".join(judgement.reasons)
            )
    participant.state = ValidationState.VALIDATED if approve else ValidationState.REFUSED
    participant.decision_reason = text
    participant.decided_at = now
    participant.decided_by_id = actor.id
    session.flush()
    word = "validated" if approve else "refused"
    tell_users(
        session,
        notifier,
        [participant.contact],
        subject=f"Your enrolment as a {participant.role} was {word}",
        body=(
            f"{participant.partnership.name} {word} the enrolment of "
            f"{participant.organisation.name} as a {participant.role}."
            + (f"\n\nTheir reason: {text}" if text else "")
            + f"\n\nYour profile: {notifier.participant_link(participant)}"
        ),
    )
    return participant


def check_enrolment(session: Session, form: Enrolment) -> list[InputIssue]:
    """The problems of what ``form`` says about the organisation's participation (motivation,
    host exception, activities, preferred countries, capacity, dates, place), the checks
    `enrol` makes; an unknown organisation only skips the checks of the place against it.
    Reads the organisation, writes nothing: a form whose own fields are bad checks the rest
    with it, so that one answer names every bad field."""
    issues: list[InputIssue] = []
    _checked(form, session.get(Organisation, form.organisation_id), issues)
    return issues


@dataclass(frozen=True, slots=True)
class _Checked:
    motivation: str
    exception: str
    countries: list[str | None]
    point: tuple[str, float, float] | None


def _checked(
    form: Enrolment, organisation: Organisation | None, issues: list[InputIssue]
) -> _Checked:
    motivation = _text(form.motivation, "motivation", issues, required=True)
    exception = _text(form.host_exception, "host_exception", issues, required=False)
    if exception and form.role is not ExchangeRole.HOST:
        issues.append(InputIssue("", "host_exception", "only hosts may be accepted by exception"))
    if not form.activity_types:
        issues.append(InputIssue("", "activity_types", "choose at least one"))
    countries = [_country(c, "preferred_countries", issues) for c in form.preferred_countries]
    if not 0 <= form.capacity <= MAX_CAPACITY:
        issues.append(InputIssue("", "capacity", f"must be between 0 and {MAX_CAPACITY}"))
    if form.available_from and form.available_until and form.available_from > form.available_until:
        issues.append(InputIssue("", "available_until", "is before the first available day"))
    point = _place(form.place, organisation, issues)
    return _Checked(motivation, exception, countries, point)


def _participant(form: Enrolment, organisation: Organisation, actor: User) -> ExchangeParticipant:
    issues: list[InputIssue] = []
    checked = _checked(form, organisation, issues)
    point = checked.point
    if issues or point is None:
        raise InvalidInputError("The enrolment cannot be saved.", issues)
    motivation, exception, countries = checked.motivation, checked.exception, checked.countries
    sectors = [s.strip() for s in form.preferred_sectors if s.strip()]
    label, latitude, longitude = point
    return ExchangeParticipant(
        organisation=organisation,
        contact=actor,
        role=form.role,
        kind=form.kind,
        country=organisation.country,
        cluster_member=form.cluster_member,
        place=label,
        latitude=latitude,
        longitude=longitude,
        motivation=motivation,
        activity_types=sorted({str(a) for a in form.activity_types}),
        preferred_countries=sorted({c for c in countries if c}),
        preferred_sectors=sectors,
        available_from=form.available_from,
        available_until=form.available_until,
        capacity=form.capacity if form.role is ExchangeRole.HOST else 1,
        host_exception=exception,
    )


def _place(
    text: str, organisation: Organisation | None, issues: list[InputIssue]
) -> tuple[str, float, float] | None:
    """Where distances are measured from; None, with the reason in ``issues``, when it is
    not known (without a reason when only the unknown ``organisation`` is missing)."""
    if not text.strip():
        return _registry_place(organisation, issues) if organisation is not None else None
    try:
        place = resolve_place(text, field="place")
    except InvalidInputError as error:
        issues.extend(error.issues)
        return None
    if organisation is None:
        return None
    if place.country is not None and place.country != organisation.country:
        issues.append(InputIssue("", "place", f"{place.label} is not in {organisation.country}"))
        return None
    return place.label, place.point.latitude, place.point.longitude


def _registry_place(
    organisation: Organisation, issues: list[InputIssue]
) -> tuple[str, float, float] | None:
    if organisation.latitude is None or organisation.longitude is None:
        reason = "the organisation has no coordinates in the registry: give a city or lat,lon"
        issues.append(InputIssue("", "place", reason))
        return None
    return organisation.city or organisation.name, organisation.latitude, organisation.longitude


def _text(value: str, name: str, issues: list[InputIssue], *, required: bool) -> str:
    text = value.strip()
    if required and not text:
        issues.append(InputIssue("", name, "is required"))
    elif len(text) > MAX_TEXT:
        issues.append(InputIssue("", name, too_long_reason(MAX_TEXT, len(text))))
    return text


def _country(value: str, name: str, issues: list[InputIssue]) -> str | None:
    try:
        return normalise_country(value)
    except UnknownCountryError as error:
        issues.append(InputIssue("", name, str(error)))
        return None
