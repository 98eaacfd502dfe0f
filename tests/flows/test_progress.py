from flows.progress import ARTIFACT_INTERVAL_S, JobPace, artifact_due


def test_documents_of_one_job_share_the_pace() -> None:
    pace = JobPace(interval_s=0.4)

    assert pace.due("job-a", now=10.0)
    assert not pace.due("job-a", now=10.3)  # the other document embedding beside it
    assert pace.due("job-a", now=10.45)


def test_each_job_keeps_its_own_pace() -> None:
    pace = JobPace(interval_s=0.4)

    assert pace.due("job-a", now=10.0)
    assert pace.due("job-b", now=10.1)
    assert not pace.due("job-b", now=10.2)


def test_a_quick_document_gets_no_progress_artifact() -> None:
    assert not artifact_due(0.5, since_last_s=ARTIFACT_INTERVAL_S / 2, shown=False)
    assert not artifact_due(1.0, since_last_s=ARTIFACT_INTERVAL_S / 2, shown=False)


def test_a_long_documents_artifact_moves_each_interval_and_ends_at_done() -> None:
    assert artifact_due(0.5, since_last_s=ARTIFACT_INTERVAL_S, shown=False)
    assert not artifact_due(0.6, since_last_s=1.0, shown=True)
    assert artifact_due(1.0, since_last_s=1.0, shown=True)
