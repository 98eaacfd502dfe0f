"""Dependencies in domain words: ``SessionDep``, ``CurrentUser``, ``AdminUser``, ..."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api.prefect_gateway import PrefectGateway
from ragline.db import session_scope
from ragline.errors import AuthenticationError, PermissionDenied
from ragline.models import User
from ragline.settings import Settings
from ragline.users import user_for_bearer

_bearer = HTTPBearer(auto_error=False, description="An API key or a login token.")


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """The request's session: committed when the route function returns, before the response.

    ``scope="function"`` is what makes it so: with FastAPI's default ("request") the code
    after ``yield`` runs once the response has been *sent*, so a client could read before
    its own write committed, and a commit that failed would follow a 2xx. Here a failed
    commit raises inside the route's call and answers 500.
    """
    with session_scope(request.app.state.engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_current_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None:
        raise AuthenticationError("Sign in or send an API key as 'Authorization: Bearer ...'.")
    user = user_for_bearer(session, credentials.credentials, settings)
    request.state.user_id = user.id
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise PermissionDenied("Only an administrator can do this.")
    return user


AdminUser = Annotated[User, Depends(get_admin)]


async def get_gateway(request: Request) -> PrefectGateway:
    gateway: PrefectGateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[PrefectGateway, Depends(get_gateway)]
