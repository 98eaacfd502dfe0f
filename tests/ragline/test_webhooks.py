"""Webhook deliveries: a receiver that cannot be reached is a failed delivery, never a crash."""

import httpx

from ragline import webhooks


def test_a_url_httpx_cannot_parse_is_a_failed_delivery() -> None:
    """Stored before URLs were checked, an IDNA-invalid host raised out of the sender (not an
    httpx.HTTPError) and stopped every other notification behind it."""

    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing is sent")

    with httpx.Client(transport=httpx.MockTransport(never)) as client:
        delivery = webhooks.post(
            client, "http://\u0112\U000b8276.example/", b"{}", "secret", "d1", webhooks.JOB_FINISHED
        )
    assert not delivery.ok
    assert delivery.error is not None and "Could not reach" in delivery.error
