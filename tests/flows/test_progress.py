from flows.progress import JobPace


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
