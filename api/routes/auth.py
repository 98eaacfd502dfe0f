"""Sign-in, the caller, users and API keys."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response, status

from api.deps import AdminUser, CurrentUser, SessionDep, SettingsDep
from api.ratelimit import limiter, login_limit
from api.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    LoginRequest,
    Page,
    Token,
    UserCreate,
    UserPublic,
)
from ragline import users
from ragline.credentials import create_access_token

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/login", response_model=Token)
@limiter.limit(login_limit)
def login(
    request: Request,
    response: Response,
    body: LoginRequest,
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    user = users.authenticate(session, body.username, body.password)
    return Token(
        access_token=create_access_token(user.id, settings),
        expires_in=settings.token_ttl_minutes * 60,
    )


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.post("/users", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, admin: AdminUser, session: SessionDep) -> UserPublic:
    user = users.create_user(
        session, body.username, body.password, email=body.email, is_admin=body.is_admin
    )
    return UserPublic.model_validate(user)


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=status.HTTP_201_CREATED)
def create_api_key(body: ApiKeyCreate, user: CurrentUser, session: SessionDep) -> ApiKeyCreated:
    key, secret = users.create_api_key(session, user, body.name)
    return ApiKeyCreated(**ApiKeyPublic.model_validate(key).model_dump(), key=secret)


@router.get("/api-keys", response_model=Page[ApiKeyPublic])
def list_api_keys(
    user: CurrentUser,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> Page[ApiKeyPublic]:
    keys = users.list_api_keys(session, user)
    page = keys[offset : offset + limit]
    return Page[ApiKeyPublic](data=[ApiKeyPublic.model_validate(k) for k in page], count=len(keys))


@router.delete("/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_api_key(key_id: str, user: CurrentUser, session: SessionDep) -> None:
    users.revoke_api_key(session, user, key_id)
