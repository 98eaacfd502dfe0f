"""Users: the caller's own account, and the administrators' list of everyone."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, status

from api.deps import AdminUser, CurrentCaller, CurrentUser, SessionDep, SettingsDep
from api.errors import COMMON_ERRORS, error_responses
from api.schemas import (
    MAX_OFFSET,
    MeUpdate,
    Page,
    PasswordChange,
    StorageUsage,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from ragline import users
from ragline.intake import Quota, Usage
from ragline.users import UserChanges

router = APIRouter(prefix="/api/v1", tags=["users"], responses=error_responses(401, *COMMON_ERRORS))

# Fields a PATCH may set to null (meaning "none"); null for any other leaves it as it is.
NULLABLE = frozenset({"email", "quota_bytes", "quota_documents"})


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.get("/me/usage", response_model=StorageUsage)
def my_usage(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> StorageUsage:
    """What the caller stores and what they may store, as uploads are checked against it."""
    usage, quota = Usage.of(session, user.id), Quota.of(user, settings)
    return StorageUsage(
        bytes_used=usage.bytes,
        bytes_allowed=quota.max_bytes,
        documents=len(usage.sizes),
        documents_allowed=quota.max_documents,
    )


@router.patch("/me", response_model=UserPublic)
def update_me(body: MeUpdate, user: CurrentUser, session: SessionDep) -> UserPublic:
    changes = _sent(body.model_dump(exclude_unset=True))
    return UserPublic.model_validate(users.update_own_profile(session, user, **changes))


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, caller: CurrentCaller, session: SessionDep) -> None:
    """Changes the caller's password; their other login tokens stop working at once."""
    users.change_own_password(
        session,
        caller.user,
        body.current_password,
        body.new_password,
        keep=caller.login_session_id,
    )


@router.get("/users", response_model=Page[UserPublic], responses=error_responses(403))
def list_users(
    admin: AdminUser,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Page[UserPublic]:
    rows, total = users.list_users(session, limit=limit, offset=offset)
    return Page[UserPublic](data=[UserPublic.model_validate(u) for u in rows], count=total)


@router.post(
    "/users",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 409),
)
def create_user(body: UserCreate, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = users.create_user(
        session, body.username, body.password, email=body.email, is_admin=body.is_admin
    )
    return UserPublic.model_validate(user)


@router.patch(
    "/users/{user_id}", response_model=UserPublic, responses=error_responses(403, 404, 409)
)
def update_user(
    user_id: str, body: UserUpdate, admin: AdminUser, session: SessionDep
) -> UserPublic:
    """Disabling a user or resetting their password ends their sign-ins and closes their
    sockets; a disabled user's API keys answer 401 until they are enabled again."""
    changes = UserChanges(**_sent(body.model_dump(exclude_unset=True)))
    user = users.update_user(session, admin, users.get_user(session, user_id), changes)
    return UserPublic.model_validate(user)


def _sent(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields a PATCH sent, less the nulls that mean nothing for their field."""
    return {name: value for name, value in fields.items() if value is not None or name in NULLABLE}
