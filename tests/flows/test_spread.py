"""A job spread over workers: how many documents run at once, and when a child is lost.

Its runs on real workers (split over two, and a worker killed mid-job) are in
tests/e2e/test_scale.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.ingest import Todo, spreads
from flows.spread import last_sign_of_life, width
from tests.conftest import throwaway_settings

STARTED = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def test_a_job_runs_as_many_documents_at_once_as_its_owner_may_have_in_flight(
    tmp_path: Path,
) -> None:
    settings = throwaway_settings(tmp_path, user_documents_in_flight=3, bulk_documents_in_flight=1)
    assert width(settings, bulk=False) == 3
    assert width(settings, bulk=True) == 1


def test_documents_spread_only_when_asked(tmp_path: Path) -> None:
    two = [Todo("v1", "a.txt", 10), Todo("v2", "b.txt", 10)]
    assert not spreads(throwaway_settings(tmp_path), two)
    assert spreads(throwaway_settings(tmp_path, spread_jobs=True), two)
    # Two workers on one machine share its cores whichever takes a document.
    assert not spreads(throwaway_settings(tmp_path, workers=2), two)
    # One document is its job's run's own work wherever that run is.
    assert not spreads(throwaway_settings(tmp_path, spread_jobs=True), two[:1])


def test_a_beat_of_an_earlier_attempt_does_not_keep_a_new_run_alive() -> None:
    assert last_sign_of_life(None, STARTED) == STARTED
    assert last_sign_of_life(STARTED - timedelta(minutes=5), STARTED) == STARTED
    later = STARTED + timedelta(seconds=7)
    assert last_sign_of_life(later, STARTED) == later
