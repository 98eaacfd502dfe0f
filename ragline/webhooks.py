"""Signed webhooks: a user's URL receives a POST of JSON for each job end.

The body is signed with the user's secret: ``X-Ragline-Signature: sha256=<hex HMAC-SHA256 of
the body>``, so a receiver can tell it came from us and was not altered. Each delivery carries
``X-Ragline-Delivery`` (the notification's id, the same on every retry) so a receiver can
ignore one it already processed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import httpx

SIGNATURE_HEADER = "X-Ragline-Signature"
DELIVERY_HEADER = "X-Ragline-Delivery"
EVENT_HEADER = "X-Ragline-Event"
JOB_FINISHED = "job.finished"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str) -> bool:
    """What a receiver does (and what the tests do)."""
    return hmac.compare_digest(signature(body, secret), header)


@dataclass(frozen=True)
class Delivery:
    """How one attempt went: delivered, or why not (and the receiver's status, if any)."""

    ok: bool
    status: int | None = None
    error: str | None = None


def post(
    client: httpx.Client, url: str, body: bytes, secret: str, delivery_id: str, event: str
) -> Delivery:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ragline-webhook",
        SIGNATURE_HEADER: signature(body, secret),
        DELIVERY_HEADER: delivery_id,
        EVENT_HEADER: event,
    }
    try:
        response = client.post(url, content=body, headers=headers)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # an address stored before it was checked
        return Delivery(ok=False, error=f"Could not reach {url}: {exc or type(exc).__name__}")
    if response.is_success:
        return Delivery(ok=True, status=response.status_code)
    return Delivery(
        ok=False,
        status=response.status_code,
        error=f"The receiver answered {response.status_code}.",
    )
