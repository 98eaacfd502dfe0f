from api.live import Hub


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
