"""Clients of the real stack (see the ``stack`` fixture in tests/conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import psutil
import pytest

from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.conftest import ADMIN_PASSWORD

_user_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def admin(stack: Stack) -> Iterator[ApiClient]:
    with ApiClient.signed_in(stack.settings.endpoints.api, "admin", ADMIN_PASSWORD) as client:
        yield client


@pytest.fixture(scope="session")
def new_user(stack: Stack, admin: ApiClient) -> Callable[..., ApiClient]:
    """``new_user(email=None)``: a fresh user, signed in."""

    def make(**fields: object) -> ApiClient:
        username = f"user{next(_user_numbers)}"
        admin.create_user(username, f"{username}-password", **fields)
        return ApiClient.signed_in(stack.settings.endpoints.api, username, f"{username}-password")

    return make


@pytest.fixture
def user(new_user: Callable[..., ApiClient]) -> Iterator[ApiClient]:
    with new_user() as client:
        yield client


def flow_run_processes(stack: Stack) -> list[psutil.Process]:
    """The flow-run processes of the worker (children of its warm forkserver)."""
    (worker,) = [r for r in stack.running if r.service.name == "worker"]
    found = []
    for child in psutil.Process(worker.process.pid).children():
        if "forkserver" in " ".join(child.cmdline()):
            found += child.children()
    return found
