"""The generated client's responses become a model or one ApiError with the API's sentence."""

import httpx
import pytest

from ragline.integrations.client import ApiError, checked
from ragline_client import AuthenticatedClient
from ragline_client.api.jobs import jobs_cancel_job
from ragline_client.api.users import users_me
from ragline_client.models import JobPublic, UserPublic


def client_answering(
    status: int, body: bytes, content_type: str = "application/json"
) -> AuthenticatedClient:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer key"
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return AuthenticatedClient(
        base_url="http://ragline.test",
        token="key",
        raise_on_unexpected_status=False,
        httpx_args={"transport": httpx.MockTransport(answer)},
    )


def test_a_success_is_the_model() -> None:
    client = client_answering(
        200,
        b'{"id": "u1", "username": "ann", "email": null, "is_admin": false, "disabled": false,'
        b' "created_at": "2026-12-01T10:00:00Z", "notify": "all", "quota_bytes": null,'
        b' "quota_documents": null}',
    )

    me = checked(users_me.sync_detailed(client=client), UserPublic)

    assert (me.id, me.username, me.is_admin) == ("u1", "ann", False)


def test_a_status_the_document_does_not_list_still_carries_the_apis_detail() -> None:
    client = client_answering(
        409, b'{"detail": "This job has ended: nothing to cancel.", "code": "not_cancellable"}'
    )

    with pytest.raises(ApiError) as refused:
        checked(jobs_cancel_job.sync_detailed("j1", client=client), JobPublic)

    assert (refused.value.status, refused.value.code) == (409, "not_cancellable")
    assert str(refused.value) == "This job has ended: nothing to cancel."


def test_a_body_that_is_not_the_apis_says_the_status_and_its_first_line() -> None:
    client = client_answering(502, b"Bad gateway\n<html>...", content_type="text/html")

    with pytest.raises(ApiError, match="^HTTP 502: Bad gateway$"):
        checked(users_me.sync_detailed(client=client), UserPublic)
