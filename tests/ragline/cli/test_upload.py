"""An upload split into the requests the server takes, over a fake transport (the real
server's side of it is in tests/e2e/test_cli.py)."""

from pathlib import Path

import httpx
import pytest

from ragline.cli import sending
from ragline.cli import upload as upload_module
from ragline.cli.selection import LocalFile, select_files
from ragline.cli.session import Session
from ragline.integrations.client import ApiError
from ragline_client import AuthenticatedClient
from tests.factories.api_shapes import document, job


def session_answering(requests: list[list[str]], *, refuse: str | None = None) -> Session:
    """A session whose server takes every upload, except one holding ``refuse``: 415."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = request.read().decode(errors="replace")
        names = [part.split('"')[0] for part in body.split('filename="')[1:]]
        requests.append(names)
        if refuse in names:
            detail = {"detail": f"{refuse} is not a type we read.", "code": "unsupported_type"}
            return httpx.Response(415, json=detail)
        accepted = job(f"j{len(requests)}", "scheduled", *(document(n, "queued", 0) for n in names))
        return httpx.Response(202, json={"job": accepted, "documents": [], "rejected": []})

    client = AuthenticatedClient(
        base_url="http://ragline.test",
        token="key",
        raise_on_unexpected_status=False,
        httpx_args={"transport": httpx.MockTransport(answer)},
    )
    return Session("http://ragline.test", "key", client)


def folder_of(tmp_path: Path, count: int) -> list[LocalFile]:
    for n in range(count):
        (tmp_path / f"f{n}.md").write_text(f"file {n}")
    return select_files([tmp_path], recursive=True).files


def test_a_large_selection_goes_in_requests_of_the_servers_size_and_bytes_are_counted(
    tmp_path: Path,
) -> None:
    requests: list[list[str]] = []
    files = folder_of(tmp_path, 5)

    jobs, rejected = upload_module._send_all(
        session_answering(requests), files, max_files=2, show=False
    )

    assert requests == [["f0.md", "f1.md"], ["f2.md", "f3.md"], ["f4.md"]]
    assert [j.id for j in jobs] == ["j1", "j2", "j3"] and rejected == []


def test_a_batch_the_server_refuses_whole_is_reported_and_the_others_still_go(
    tmp_path: Path,
) -> None:
    requests: list[list[str]] = []
    files = folder_of(tmp_path, 3)

    jobs, rejected = upload_module._send_all(
        session_answering(requests, refuse="f0.md"), files, max_files=2, show=False
    )

    assert [j.id for j in jobs] == ["j2"]
    assert [(r["filename"], r["status"]) for r in rejected] == [("f0.md", 415), ("f1.md", 415)]
    assert rejected[0]["detail"] == "f0.md is not a type we read."


def test_any_other_refusal_stops_the_upload(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"detail": "Too many uploads.", "code": "rate_limited"})

    client = AuthenticatedClient(
        base_url="http://t", token="k", httpx_args={"transport": httpx.MockTransport(answer)}
    )

    with pytest.raises(ApiError, match="Too many uploads"):
        upload_module._send_all(
            Session("http://t", "k", client), folder_of(tmp_path, 1), max_files=2, show=False
        )


def test_the_bytes_sent_are_reported_per_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 200_000)  # several of httpx's 64 KiB reads
    sent: list[int] = []
    requests: list[list[str]] = []
    (file,) = select_files([big], recursive=False).files

    sending.send(session_answering(requests).client, [file], lambda f, n: sent.append(n))

    assert sum(sent) == 200_000 and len(sent) > 1
    assert requests == [["big.txt"]]
