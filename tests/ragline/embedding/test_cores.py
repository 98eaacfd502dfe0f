"""How the users of one model share the cores: the rule and its counting, without a model."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ragline.embedding.cores import CoreShare, Share, usable_cpus


@pytest.mark.parametrize(
    ("cores", "users", "calls", "expected"),
    [
        (2, 1, 1, Share(2, spin=True)),  # a lone user: every core, spinning
        (2, 2, 1, Share(1, spin=True)),  # a document beside another in progress: one core
        (2, 1, 2, Share(1, spin=True)),  # two calls at once from one user: one core each
        (4, 2, 1, Share(2, spin=False)),  # cores left to share: idle threads sleep
        (4, 3, 3, Share(1, spin=True)),  # one thread has no partner to spin for
        (2, 5, 1, Share(1, spin=True)),  # more users than cores: never below one thread
        (8, 0, 1, Share(8, spin=True)),  # a call outside any user's stretch of work
    ],
)
def test_the_cores_are_divided_among_users_or_calls(
    cores: int, users: int, calls: int, expected: Share
) -> None:
    assert CoreShare(cores).share_for(users, calls) == expected


def test_one_thread_always_counts_as_spinning() -> None:
    assert Share(1, spin=False) == Share(1, spin=True)
    assert Share(2, spin=False) != Share(2, spin=True)
    with pytest.raises(ValueError):
        Share(0, spin=True)
    with pytest.raises(ValueError):
        CoreShare(0)


def test_a_lone_user_gets_every_core() -> None:
    cores = CoreShare(4)
    assert cores.alone == Share(4, spin=True)
    with cores.user(), cores.call() as share:
        assert share == cores.alone


def test_a_thread_counts_once_as_a_user_however_deeply_it_nests() -> None:
    cores = CoreShare(2)
    with cores.user():
        with cores.user():
            assert cores.users == 1
        assert cores.users == 1  # the inner block does not end the outer one's count
    assert cores.users == 0


def test_a_user_is_uncounted_when_its_work_fails() -> None:
    cores = CoreShare(2)
    with pytest.raises(RuntimeError), cores.user(), cores.call():
        raise RuntimeError("the model failed")
    assert (cores.users, cores.calls) == (0, 0)
    with cores.user():  # this thread can become a user again
        assert cores.users == 1


def test_a_call_beside_another_user_gets_its_share_for_its_whole_length() -> None:
    cores = CoreShare(2)
    other_holds, release, other_left = threading.Event(), threading.Event(), threading.Event()

    def another_document() -> None:
        with cores.user():
            other_holds.set()
            release.wait(10)
        other_left.set()

    other = threading.Thread(target=another_document)
    other.start()
    other_holds.wait(10)
    with cores.user(), cores.call() as share:
        assert cores.users == 2 and cores.calls == 1
        release.set()
        other_left.wait(10)
        assert share == Share(1, spin=True)  # fixed at the call's start
        with cores.call() as next_share:  # the next call sees the other one gone
            assert next_share == Share(1, spin=True)  # two calls at once now
    other.join()
    with cores.user(), cores.call() as share:
        assert share == Share(2, spin=True)


def test_counts_stay_right_under_many_threads() -> None:
    cores = CoreShare(4)
    seen: list[Share] = []

    def work(_: int) -> None:
        with cores.user(), cores.call() as share:
            seen.append(share)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(200)))
    assert (cores.users, cores.calls) == (0, 0)
    assert all(1 <= share.threads <= 4 for share in seen)


def test_usable_cpus_counts_the_cores_this_process_may_use() -> None:
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)


def test_a_small_users_calls_run_on_one_thread_whoever_else_is_there() -> None:
    cores = CoreShare(4)
    with cores.user(small=True), cores.call() as share:
        assert share == Share(1, spin=True)
    with cores.user(), cores.call() as share:  # the same thread, no longer small
        assert share == cores.alone
