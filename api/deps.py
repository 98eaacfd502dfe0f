"""Dependencies in domain words: ``SessionDep``, ``CurrentUser``, ``AdminUser``, ``OutboxDep``...

The only module that reads ``app.state``: routes ask for what they need by type, so a
test swaps any of it with ``app.dependency_overrides``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.requests import HTTPConnection, Request

from api.job_sync import JobSync
from api.live import Hub
from api.outbox import Outbox
from api.prefect_gateway import PrefectGateway
from api.ratelimit import remember_api_key
from api.reconciler import Reconciler
from api.services import Services
from ragline.credentials import API_KEY_PREFIX
from ragline.db import session_scope
from ragline.embedding import Embedder, get_embedder
from ragline.errors import AuthenticationError, PermissionDenied
from ragline.models import User
from ragline.settings import Settings
from ragline.storage import FileStore
from ragline.users import Caller, caller_for_bearer
from ragline.vectorstore import VectorStore

_bearer = HTTPBearer(auto_error=False, description="An API key or a login token.")


def services(connection: HTTPConnection) -> Services:
    found: Services = connection.app.state.services
    return found


async def get_services(connection: HTTPConnection) -> Services:
    return services(connection)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_settings_dep(services: ServicesDep) -> Settings:
    return services.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """The request's session: committed when the route function returns, before the response.

    ``scope="function"`` is what makes it so: with FastAPI's default ("request") the code
    after ``yield`` runs once the response has been *sent*, so a client could read before
    its own write committed, and a commit that failed would follow a 2xx. Here a failed
    commit raises inside the route's call and answers 500.
    """
    with session_scope(services.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_caller(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise AuthenticationError("Sign in or send an API key as 'Authorization: Bearer ...'.")
    caller = caller_for_bearer(session, credentials.credentials, settings)
    request.state.user_id = caller.user.id
    if credentials.credentials.startswith(API_KEY_PREFIX):
        remember_api_key(credentials.credentials, caller.user.id)
    return caller


CurrentCaller = Annotated[Caller, Depends(get_caller)]


async def get_current_user(caller: CurrentCaller) -> User:
    return caller.user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise PermissionDenied("Only an administrator can do this.")
    return user


AdminUser = Annotated[User, Depends(get_admin)]


def _part(name: str) -> Callable[[Services], Awaitable[Any]]:
    """A dependency that hands out one of the process's services."""

    async def get(services: ServicesDep) -> Any:
        return getattr(services, name)

    get.__name__ = f"get_{name}"
    return get


get_gateway = _part("gateway")
get_vector_store = _part("vector_store")
get_files = _part("files")
get_hub = _part("hub")
get_outbox = _part("outbox")
get_sync = _part("sync")
get_reconciler = _part("reconciler")


def get_embedder_dep(settings: SettingsDep) -> Embedder:
    # Loaded by the app's start-up; the first call in a process without it loads it here.
    return get_embedder(settings)


GatewayDep = Annotated[PrefectGateway, Depends(get_gateway)]
VectorStoreDep = Annotated[VectorStore, Depends(get_vector_store)]
FilesDep = Annotated[FileStore, Depends(get_files)]
HubDep = Annotated[Hub, Depends(get_hub)]
OutboxDep = Annotated[Outbox, Depends(get_outbox)]
JobSyncDep = Annotated[JobSync, Depends(get_sync)]
ReconcilerDep = Annotated[Reconciler, Depends(get_reconciler)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder_dep)]
