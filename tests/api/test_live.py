from api.live import TRUST_STREAM_S, Hub, stream_covers
from ragline.models import JobState


def test_the_hub_knows_whose_sockets_are_connected() -> None:
    hub = Hub()
    assert not hub.listening()
    first = hub.subscribe("alice")
    second = hub.subscribe("alice")

    assert hub.listening("alice") and not hub.listening("bob")
    assert hub.listening()
    hub.unsubscribe("alice", first)
    assert hub.listening("alice")
    hub.unsubscribe("alice", second)
    assert not hub.listening("alice")
    assert not hub.listening()


def test_running_jobs_rely_on_a_live_event_stream_between_reads() -> None:
    running = [JobState.RUNNING, JobState.RUNNING]

    assert stream_covers(running, since_event_s=0.5, since_read_s=3.0)
    assert not stream_covers(running, since_event_s=0.5, since_read_s=TRUST_STREAM_S)
    assert not stream_covers(running, since_event_s=TRUST_STREAM_S, since_read_s=3.0)


def test_a_job_that_is_not_running_is_always_read() -> None:
    for waiting in (JobState.SCHEDULED, JobState.PENDING, JobState.CANCELLING):
        states = [JobState.RUNNING, waiting]
        assert not stream_covers(states, since_event_s=0.5, since_read_s=1.0)
