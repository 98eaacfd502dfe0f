"""Signing in and out, and API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from api.deps import CurrentCaller, CurrentUser, SessionDep, SettingsDep
from api.errors import COMMON_ERRORS, error_responses
from api.ratelimit import count_login_attempt, limiter, login_limit
from api.schemas import (
    MAX_OFFSET,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    LoginRequest,
    Page,
    Token,
)
from ragline import users

router = APIRouter(prefix="/api/v1", tags=["auth"], responses=error_responses(401, *COMMON_ERRORS))


def counted_login(body: LoginRequest) -> LoginRequest:
    """The sign-in, counted against its username first (before any database work)."""
    count_login_attempt(body.username)
    return body


@router.post(
    "/auth/login",
    response_model=Token,
    responses={403: {"description": "The account is disabled (code `account_disabled`)."}},
)
@limiter.limit(login_limit)
def login(
    request: Request,
    response: Response,
    body: Annotated[LoginRequest, Depends(counted_login)],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    user = users.authenticate(session, body.username, body.password)
    token = users.sign_in(session, user, settings)
    return Token(access_token=token, expires_in=settings.token_ttl_minutes * 60)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(caller: CurrentCaller, session: SessionDep) -> None:
    """Ends this login token at once (an API key is revoked on its own page instead)."""
    if caller.login_session_id is not None:
        users.sign_out(session, caller.login_session_id)


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=status.HTTP_201_CREATED)
def create_api_key(body: ApiKeyCreate, user: CurrentUser, session: SessionDep) -> ApiKeyCreated:
    key, secret = users.create_api_key(session, user, body.name)
    return ApiKeyCreated(**ApiKeyPublic.model_validate(key).model_dump(), key=secret)


@router.get("/api-keys", response_model=Page[ApiKeyPublic])
def list_api_keys(
    user: CurrentUser,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Page[ApiKeyPublic]:
    keys = users.list_api_keys(session, user)
    page = keys[offset : offset + limit]
    return Page[ApiKeyPublic](data=[ApiKeyPublic.model_validate(k) for k in page], count=len(keys))


@router.delete(
    "/api-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(404)
)
def revoke_api_key(key_id: str, user: CurrentUser, session: SessionDep) -> None:
    users.revoke_api_key(session, user, key_id)
