"""The generated client (ragline_client/) against the real stack, sync and async."""

from __future__ import annotations

import asyncio
import json
import time
from io import BytesIO

import pytest

from ragline_client import AuthenticatedClient, Client
from ragline_client.api.auth import auth_login
from ragline_client.api.documents import documents_list_documents, documents_upload_documents
from ragline_client.api.jobs import jobs_get_job, jobs_list_jobs
from ragline_client.api.query import query_query
from ragline_client.api.users import users_me
from ragline_client.models import (
    DocumentsUploadDocumentsBody,
    ErrorBody,
    JobPublic,
    LoginRequest,
    PageDocumentPublic,
    PageJobPublic,
    QueryAnswer,
    QueryRequest,
    Token,
    UploadAccepted,
    UserPublic,
)
from ragline_client.types import File
from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e


def test_the_sync_client_uploads_follows_the_job_and_asks(stack: Stack, user: ApiClient) -> None:
    token = user.headers["Authorization"].removeprefix("Bearer ")
    with AuthenticatedClient(base_url=stack.settings.endpoints.api, token=token) as client:
        me = users_me.sync(client=client)
        body = DocumentsUploadDocumentsBody(
            files=[
                File(payload=BytesIO(b"# Tea\n\nThe tea is in the red tin."), file_name="tea.md")
            ]
        )
        accepted = documents_upload_documents.sync(client=client, body=body)
        assert isinstance(accepted, UploadAccepted), accepted
        job = accepted.job
        deadline = time.monotonic() + 120
        while job.state not in ("completed", "failed", "cancelled", "crashed"):
            assert time.monotonic() < deadline, job.state
            time.sleep(0.2)
            fetched = jobs_get_job.sync(job.id, client=client)
            assert isinstance(fetched, JobPublic)
            job = fetched
        documents = documents_list_documents.sync(client=client)
        answer = query_query.sync(client=client, body=QueryRequest(question="Where is the tea?"))

    assert isinstance(me, UserPublic) and not me.is_admin
    assert job.state == "completed" and [d.stage for d in job.documents] == ["done"]
    assert isinstance(documents, PageDocumentPublic)
    assert [d.filename for d in documents.data] == ["tea.md"]
    assert isinstance(answer, QueryAnswer) and answer.citations[0].filename == "tea.md"


def test_the_async_client_signs_in_and_reads(stack: Stack) -> None:
    url = stack.settings.endpoints.api

    async def session() -> tuple[object, ...]:
        async with Client(base_url=url) as anonymous:
            refused = await auth_login.asyncio_detailed(
                client=anonymous, body=LoginRequest(username="admin", password="wrong")
            )
            token = await auth_login.asyncio(
                client=anonymous, body=LoginRequest(username="admin", password=ADMIN_PASSWORD)
            )
        assert isinstance(token, Token)
        async with AuthenticatedClient(base_url=url, token=token.access_token) as client:
            me, page = await asyncio.gather(
                users_me.asyncio(client=client), jobs_list_jobs.asyncio(client=client, limit=5)
            )
        error = ErrorBody.from_dict(json.loads(refused.content))
        return refused.status_code, error, me, page

    status, error, me, page = asyncio.run(session())

    assert status == 401 and isinstance(error, ErrorBody) and error.code
    assert isinstance(me, UserPublic) and me.is_admin
    assert isinstance(page, PageJobPublic) and page.count >= len(page.data)
