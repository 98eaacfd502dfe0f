"""What every command shares: the server and token from the config, a client, the outputs."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from ragline.cli import config
from ragline.integrations.client import ApiError, connect
from ragline_client import AuthenticatedClient


@dataclass(frozen=True)
class Session:
    url: str
    token: str
    client: AuthenticatedClient


def signed_in() -> Session:
    """A client for the configured server, or :class:`ApiError` when there is no token."""
    settings = config.load()
    if not settings.token:
        raise ApiError(
            401, "Not logged in: run `ragline login` or set RAGLINE_TOKEN.", "not_logged_in"
        )
    return Session(settings.url, settings.token, connect(settings.url, settings.token))


def print_json(data: object) -> None:
    """One JSON document on stdout (plain: no colours or wrapping for a script to undo)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
