"""Users, their sign-ins and API keys: creation, authentication, changes, the first admin.

A login token is valid while its :class:`LoginSession` row is (not revoked, not expired) and
its user is not disabled; an API key while it is not revoked and its user is not disabled.
Both are checked with one indexed query per request. Every change that ends someone's access
is announced (:mod:`ragline.access_updates`) so their open sockets close too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from sqlalchemy import delete
from sqlmodel import Session, col, func, select, update

from ragline import access_updates, webhooks
from ragline.credentials import (
    create_access_token,
    generate_password,
    hash_api_key,
    hash_password,
    new_api_key,
    token_claims,
    verify_password,
)
from ragline.errors import AccountDisabled, AuthenticationError, Conflict, NotFound
from ragline.models import ApiKey, LoginSession, NotifyChoice, User, utcnow
from ragline.settings import Settings

_DUMMY_HASH = hash_password("timing-equaliser")
DISABLED = "This account is disabled; ask an administrator."


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
    """The user with these credentials; a disabled one is told so (403), once the password
    proved who is asking."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        verify_password(password, _DUMMY_HASH)  # same cost whether or not the user exists
        raise AuthenticationError("Wrong username or password.", code="bad_credentials")
    if not verify_password(password, user.password_hash):
        raise AuthenticationError("Wrong username or password.", code="bad_credentials")
    if user.disabled:
        raise AccountDisabled(DISABLED)
    return user


def sign_in(session: Session, user: User, settings: Settings) -> str:
    """Records a login session for ``user`` and returns its token."""
    now = utcnow()
    # The user's expired sessions are history nobody reads: pruned here, where they grow.
    session.execute(
        delete(LoginSession).where(
            col(LoginSession.user_id) == user.id, col(LoginSession.expires_at) < now
        )
    )
    login = LoginSession(
        user_id=user.id, expires_at=now + timedelta(minutes=settings.token_ttl_minutes)
    )
    session.add(login)
    session.flush()
    return create_access_token(user.id, login.id, login.expires_at, settings)


@dataclass(frozen=True)
class Caller:
    """Who sent a request, and with which login session (None for an API key)."""

    user: User
    login_session_id: str | None


def _api_key_and_user(session: Session, key: str) -> tuple[ApiKey, User] | None:
    found = session.exec(
        select(ApiKey, User)
        .join(User, col(User.id) == ApiKey.user_id)
        .where(ApiKey.key_hash == hash_api_key(key))
    ).first()
    return None if found is None else (found[0], found[1])


def api_key_owner(session: Session, key: str) -> str | None:
    """The id of the user whose unrevoked API key ``key`` is, if any; changes nothing."""
    found = _api_key_and_user(session, key)
    if found is None or found[0].revoked_at is not None or found[1].disabled:
        return None
    return found[1].id


def caller_for_bearer(session: Session, token: str, settings: Settings) -> Caller:
    """The user behind an API key or a login token, if it is still valid."""
    if token.startswith("rgl_"):
        found = _api_key_and_user(session, token)
        if found is None or found[0].revoked_at is not None:
            raise AuthenticationError("The API key is not valid or was revoked.")
        key, user = found
        key.last_used_at = utcnow()
        session.add(key)
        caller = Caller(user, None)
    else:
        claims = token_claims(token, settings)
        row = session.exec(
            select(LoginSession, User)
            .join(User, col(User.id) == LoginSession.user_id)
            .where(LoginSession.id == claims.session_id, User.id == claims.user_id)
        ).first()
        if row is None or row[0].revoked_at is not None:
            raise AuthenticationError("You signed out or your session was ended; sign in again.")
        caller = Caller(row[1], claims.session_id)
    if caller.user.disabled:
        raise AuthenticationError(DISABLED, code="account_disabled")
    return caller


def user_for_bearer(session: Session, token: str, settings: Settings) -> User:
    return caller_for_bearer(session, token, settings).user


def end_sessions(session: Session, user: User, *, keep: str | None = None) -> None:
    """Revokes the user's login sessions (all but ``keep``), and closes their sockets."""
    query = (
        update(LoginSession)
        .where(col(LoginSession.user_id) == user.id, col(LoginSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    if keep is not None:
        query = query.where(col(LoginSession.id) != keep)
    session.exec(query)
    access_updates.announce(session, user.id)


def sign_out(session: Session, login_session_id: str) -> None:
    login = session.get(LoginSession, login_session_id)
    if login is None or login.revoked_at is not None:
        return
    login.revoked_at = utcnow()
    session.add(login)
    access_updates.announce(session, login.user_id)


def change_own_password(
    session: Session, user: User, current: str, new: str, *, keep: str | None
) -> None:
    """The user's password changes; their other sign-ins end (this one, ``keep``, stays)."""
    if not verify_password(current, user.password_hash):
        raise AuthenticationError("The current password is wrong.", code="bad_credentials")
    user.password_hash = hash_password(new)
    session.add(user)
    end_sessions(session, user, keep=keep)


class Keep(Enum):
    """A field left as it is (``None`` means "no value": no e-mail, no quota)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class UserChanges:
    """What an administrator may change about a user; every field defaults to :data:`KEEP`."""

    email: str | None | Keep = KEEP
    is_admin: bool | Keep = KEEP
    disabled: bool | Keep = KEEP
    password: str | Keep = KEEP
    quota_bytes: int | None | Keep = KEEP
    quota_documents: int | None | Keep = KEEP


def update_user(session: Session, admin: User, user: User, changes: UserChanges) -> User:
    """Applies an administrator's changes. An admin cannot lock themselves out. Disabling a
    user or resetting their password ends their sign-ins (and closes their sockets)."""
    if user.id == admin.id and (changes.disabled is True or changes.is_admin is False):
        raise Conflict(
            "You cannot disable yourself or take away your own admin rights.", code="self_lockout"
        )
    if changes.email is not KEEP:
        user.email = changes.email
    if changes.is_admin is not KEEP:
        user.is_admin = changes.is_admin
    if changes.quota_bytes is not KEEP:
        user.quota_bytes = changes.quota_bytes
    if changes.quota_documents is not KEEP:
        user.quota_documents = changes.quota_documents
    access_ends = False
    if changes.disabled is not KEEP:
        access_ends = changes.disabled and not user.disabled
        user.disabled = changes.disabled
    if changes.password is not KEEP:
        user.password_hash = hash_password(changes.password)
        access_ends = True  # whoever signed in with the old password is out
    session.add(user)
    if access_ends:
        end_sessions(session, user)
    session.flush()
    return user


def update_own_profile(
    session: Session,
    user: User,
    *,
    email: str | None | Keep = KEEP,
    notify: NotifyChoice | Keep = KEEP,
) -> User:
    if email is not KEEP:
        user.email = email
    if notify is not KEEP:
        user.notify = notify
    session.add(user)
    session.flush()
    return user


def set_webhook(session: Session, user: User, url: str, *, new_secret: bool = False) -> str | None:
    """Points the user's webhook at ``url``. Returns the signing secret when it is new (the
    first webhook, or ``new_secret``): it is shown this once."""
    user.webhook_url = url
    fresh = None
    if new_secret or not user.webhook_secret:
        fresh = user.webhook_secret = webhooks.new_secret()
    session.add(user)
    session.flush()
    return fresh


def remove_webhook(session: Session, user: User) -> None:
    user.webhook_url = user.webhook_secret = None
    session.add(user)


def get_user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def list_users(session: Session, *, limit: int, offset: int) -> tuple[list[User], int]:
    total = session.exec(select(func.count()).select_from(User)).one()
    query = select(User).order_by(col(User.created_at), col(User.username))
    return list(session.exec(query.offset(offset).limit(limit))), total


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
    access_updates.announce(session, user.id)


def ensure_admin(session: Session, settings: Settings) -> str | None:
    """Creates the first admin when there are no users. Returns a generated password, if any."""
    if session.exec(select(User)).first() is not None:
        return None
    configured = settings.admin_password.get_secret_value() if settings.admin_password else None
    password = configured or generate_password()
    create_user(
        session, settings.admin_username, password, email=settings.admin_email, is_admin=True
    )
    return None if configured else password
