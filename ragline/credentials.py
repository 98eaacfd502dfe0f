"""Passwords, login tokens and API keys."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import jwt
from pwdlib import PasswordHash

from ragline.errors import AuthenticationError
from ragline.models import utcnow
from ragline.settings import Settings

API_KEY_PREFIX = "rgl_"
_JWT_ALGORITHM = "HS256"
_password_hash = PasswordHash.recommended()  # argon2id


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _password_hash.verify(password, password_hash)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    # API keys carry 256 bits of entropy, so a fast hash is enough (unlike passwords).
    return hashlib.sha256(key.encode()).hexdigest()


def kept_secret(path: str, new: str) -> str:
    """The secret kept in ``path`` (only its owner may read it); ``new`` when there was none."""
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        # O_EXCL: two processes starting at once must agree on one secret.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            with open(path) as f:
                return f.read().strip()
        with os.fdopen(fd, "w") as f:
            f.write(new)
        return new


@cache
def _secret_for(data_path: str, configured: str | None) -> str:
    if configured:
        return configured
    return kept_secret(f"{data_path}/secret_key", secrets.token_urlsafe(48))


def signing_secret(settings: Settings) -> str:
    settings.paths.data.mkdir(parents=True, exist_ok=True)
    configured = settings.secret_key.get_secret_value() if settings.secret_key else None
    return _secret_for(str(settings.paths.data), configured)


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    session_id: str  # the login session (``LoginSession.id``) the token belongs to


def create_access_token(
    user_id: str, session_id: str, expires_at: datetime, settings: Settings
) -> str:
    claims = {"sub": user_id, "jti": session_id, "iat": utcnow(), "exp": expires_at}
    return jwt.encode(claims, signing_secret(settings), algorithm=_JWT_ALGORITHM)


def token_claims(token: str, settings: Settings) -> TokenClaims:
    """What a login token says, once its signature and expiry check out."""
    try:
        claims = jwt.decode(token, signing_secret(settings), algorithms=[_JWT_ALGORITHM])
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("Your session has expired; sign in again.") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError("The token is not valid.") from exc
    if "jti" not in claims:  # issued before sign-ins were recorded: cannot be ended, so refused
        raise AuthenticationError("Your session has expired; sign in again.")
    return TokenClaims(user_id=str(claims["sub"]), session_id=str(claims["jti"]))
