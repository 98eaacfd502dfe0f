"""Users and API keys: creation, authentication, the first admin."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ragline.credentials import (
    hash_api_key,
    hash_password,
    new_api_key,
    user_id_from_token,
    verify_password,
)
from ragline.errors import AuthenticationError, Conflict, NotFound
from ragline.models import ApiKey, User, utcnow
from ragline.settings import Settings

_DUMMY_HASH = hash_password("timing-equaliser")


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    email: str | None = None,
    is_admin: bool = False,
) -> User:
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"The username {username!r} is taken.", code="username_taken")
    user = User(
        username=username, email=email, password_hash=hash_password(password), is_admin=is_admin
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        verify_password(password, _DUMMY_HASH)  # same cost whether or not the user exists
        raise AuthenticationError("Wrong username or password.", code="bad_credentials")
    if not verify_password(password, user.password_hash):
        raise AuthenticationError("Wrong username or password.", code="bad_credentials")
    return user


def user_for_bearer(session: Session, token: str, settings: Settings) -> User:
    """The user behind an API key or a login token."""
    if token.startswith("rgl_"):
        key = session.exec(select(ApiKey).where(ApiKey.key_hash == hash_api_key(token))).first()
        if key is None or key.revoked_at is not None:
            raise AuthenticationError("The API key is not valid or was revoked.")
        key.last_used_at = utcnow()
        session.add(key)
        user = session.get(User, key.user_id)
    else:
        user = session.get(User, user_id_from_token(token, settings))
    if user is None:
        raise AuthenticationError("The account behind this token no longer exists.")
    return user


def create_api_key(session: Session, user: User, name: str) -> tuple[ApiKey, str]:
    """Returns the stored key and the secret, which is shown once and never stored."""
    secret = new_api_key()
    key = ApiKey(user_id=user.id, name=name, prefix=secret[:10], key_hash=hash_api_key(secret))
    session.add(key)
    session.flush()
    return key, secret


def list_api_keys(session: Session, user: User) -> list[ApiKey]:
    query = (
        select(ApiKey)
        .where(ApiKey.user_id == user.id, col(ApiKey.revoked_at).is_(None))
        .order_by(col(ApiKey.created_at).desc())
    )
    return list(session.exec(query))


def revoke_api_key(session: Session, user: User, key_id: str) -> None:
    key = session.get(ApiKey, key_id)
    if key is None or key.user_id != user.id or key.revoked_at is not None:
        raise NotFound("No such API key.")
    key.revoked_at = utcnow()
    session.add(key)


def ensure_admin(session: Session, settings: Settings) -> str | None:
    """Creates the first admin when there are no users. Returns a generated password, if any."""
    if session.exec(select(User)).first() is not None:
        return None
    from ragline.credentials import generate_password

    configured = settings.admin_password.get_secret_value() if settings.admin_password else None
    password = configured or generate_password()
    create_user(
        session, settings.admin_username, password, email=settings.admin_email, is_admin=True
    )
    return None if configured else password
