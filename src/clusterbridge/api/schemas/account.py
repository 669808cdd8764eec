"""Bodies of the account endpoints: changing and resetting a password."""

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from clusterbridge.services.accounts.users import MAX_PASSWORD_LENGTH

MAX_TOKEN_LENGTH = 200
MAX_EMAIL_LENGTH = 254


class PasswordChange(BaseModel):
    """The current password, proving it is you, and the new one (typed twice)."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    confirmation: str = Field(max_length=MAX_PASSWORD_LENGTH)


class ResetRequest(BaseModel):
    """The address of the account whose password is forgotten."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=MAX_EMAIL_LENGTH)


class ResetConfirm(BaseModel):
    """The token of an e-mailed reset link and the new password (typed twice).

    The new password is ``new_password``, as when changing a password; the older name
    ``password`` is still accepted (one of the two, not both)."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=MAX_TOKEN_LENGTH)
    new_password: str = Field(
        max_length=MAX_PASSWORD_LENGTH,
        validation_alias=AliasChoices("new_password", "password"),
        description='The new password ("password", its older name, is still accepted).',
    )
    confirmation: str = Field(max_length=MAX_PASSWORD_LENGTH)


class Accepted(BaseModel):
    """What happens next."""

    message: str
