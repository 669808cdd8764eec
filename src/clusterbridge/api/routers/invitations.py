"""Invitations to consortia by e-mail address. Inviting answers the same whether or not the
address has an account; the person with the address lists and accepts or declines them.

Listed before the consortia router: ``/consortia/invitations`` is not a consortium id.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.api.deps import CurrentUser, InvitationMailDep, SessionDep
from clusterbridge.api.errors import error_responses
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.schemas.account import MAX_EMAIL_LENGTH, Accepted
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.consortia import invitations

router = APIRouter(prefix="/consortia", tags=["consortia"], route_class=ExactNumbersRoute)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
NO_CONTENT = 204
INVITED = "An invitation was sent to the address; the person accepts it once signed in with it."


class InvitationCreate(BaseModel):
    """Whom to invite, and whether they may edit."""

    model_config = ConfigDict(extra="forbid", strict=True)

    email: str = Field(max_length=MAX_EMAIL_LENGTH)
    can_edit: bool = False


class InvitationRead(BaseModel):
    """An invitation waiting for your answer."""

    id: int
    consortium_id: int
    consortium_name: str
    can_edit: bool


@router.get("/invitations", responses=error_responses({401: "No valid API token."}))
def list_my_invitations(session: SessionDep, user: CurrentUser) -> list[InvitationRead]:
    """The invitations waiting for your address, oldest first."""
    return [
        InvitationRead(
            id=row.id,
            consortium_id=row.consortium_id,
            consortium_name=row.consortium.name,
            can_edit=row.can_edit,
        )
        for row in invitations.list_my_invitations(session, user)
    ]


@router.post(
    "/invitations/{invitation_id}/accept",
    status_code=NO_CONTENT,
    responses=error_responses(
        {401: "No valid API token.", 404: "No such invitation for your address."}
    ),
)
def accept_invitation(invitation_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """Become a member of the consortium as the invitation says."""
    invitations.accept_invitation(session, user, invitation_id)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/invitations/{invitation_id}/decline",
    status_code=NO_CONTENT,
    responses=error_responses(
        {401: "No valid API token.", 404: "No such invitation for your address."}
    ),
)
def decline_invitation(invitation_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """Decline (delete) an invitation."""
    invitations.decline_invitation(session, user, invitation_id)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/{consortium_id}/invitations",
    status_code=202,
    responses=error_responses(
        {
            401: "No valid API token.",
            403: "Only the owner invites.",
            404: "No such consortium you may see.",
            422: "Not an e-mail address.",
        }
    ),
)
def invite(
    consortium_id: Id,
    body: InvitationCreate,
    session: SessionDep,
    user: CurrentUser,
    mail: InvitationMailDep,
) -> Accepted:
    """Invite somebody by e-mail address (owner only). The answer is the same whether or not
    the address has an account; a current member gets the new edit right at once."""
    invitations.invite_member(
        session, user, consortium_id, email=body.email, can_edit=body.can_edit, mail=mail
    )
    return Accepted(message=INVITED)
