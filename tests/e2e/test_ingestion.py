"""Uploads through the real stack: PostgreSQL, Prefect (served deployment), Chroma, the API."""

from __future__ import annotations

import json
import mailbox
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from ragline.vectorstore import VectorStore
from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.e2e.conftest import flow_run_processes
from tests.factories.files import long_text, make_docx, make_pdf, make_pptx

pytestmark = pytest.mark.e2e


def chroma(stack: Stack) -> VectorStore:
    settings = stack.settings
    return VectorStore(settings.endpoints.chroma, settings.chroma_collection_prefix)


def owner_of(client: ApiClient) -> str:
    return str(client.get("/api/v1/me").json()["id"])


def test_three_formats_are_ingested_and_a_question_cites_the_right_file_and_page(
    stack: Stack, user: ApiClient, tmp_path: Path
) -> None:
    pdf = make_pdf(
        tmp_path / "handbook.pdf",
        [
            "Office hours\nThe office opens at nine in the morning on weekdays.",
            "Parking\nVisitors park in the blue garage on level three, next to the lifts.",
        ],
    )
    docx = make_docx(
        tmp_path / "recipes.docx",
        [("h1", "Bread"), ("p", "Knead the dough for ten minutes and let it rise twice.")],
    )
    markdown = ("notes.md", b"# Birds\n\nThe peregrine falcon is the fastest bird in a dive.\n")

    job = user.ingest(pdf, docx, markdown)

    assert job["state"] == "completed", job
    assert [d["stage"] for d in job["documents"]] == ["done", "done", "done"]
    assert job["flow_run_id"] and job["prefect_url"].endswith(job["flow_run_id"])
    answer = user.ask("Where do visitors park?")
    best = answer["citations"][0]
    assert (best["filename"], best["page"]) == ("handbook.pdf", 2)
    assert "blue garage" in answer["answer"]

    documents = {d["filename"]: d for d in user.get("/api/v1/documents").json()["data"]}
    pdf_doc = documents["handbook.pdf"]
    assert pdf_doc["status"] == "ready" and pdf_doc["chunks"] >= 2
    owner_id = user.get("/api/v1/me").json()["id"]
    metadata = chroma(stack).chunks_of(owner_id, pdf_doc["id"])
    assert len(metadata) == pdf_doc["chunks"]
    assert {m["owner_id"] for m in metadata} == {owner_id}
    assert {m["version_id"] for m in metadata} == {job["documents"][0]["version_id"]}
    assert {m["filename"] for m in metadata} == {"handbook.pdf"}
    assert {m["page"] for m in metadata} == {1, 2}


def test_an_answer_from_speaker_notes_cites_the_slide(user: ApiClient, tmp_path: Path) -> None:
    deck = make_pptx(
        tmp_path / "kickoff.pptx",
        [("Kickoff", "Welcome."), ("Budget", "Figures follow.")],
        notes={2: "The travel budget was cut to twelve thousand euros this year."},
    )
    job = user.ingest(deck)
    assert job["state"] == "completed", job
    best = user.ask("How much is the travel budget?")["citations"][0]
    assert (best["filename"], best["page"]) == ("kickoff.pptx", 2)
    assert "twelve thousand euros" in best["snippet"]


def test_an_exact_code_is_found_by_its_words_and_a_paraphrase_by_its_meaning(
    user: ApiClient,
) -> None:
    job = user.ingest(
        ("errors.md", b"# Error codes\n\nQX-4471: the project's disk quota was exceeded.\n"),
        ("garden.md", b"# Watering\n\nTomatoes need water every second day in summer.\n"),
        ("travel.md", b"# Trains\n\nThe night train to Vienna leaves at ten past nine.\n"),
    )
    assert job["state"] == "completed", job

    for mode in ("keyword", "hybrid"):
        best = user.ask("QX-4471", mode=mode)["citations"][0]
        assert best["filename"] == "errors.md", mode
        assert 0 < best["score"] <= 1  # the cosine similarity, whichever ranking found it
    for mode in ("dense", "hybrid"):
        best = user.ask("How often do I water my plants?", mode=mode)["citations"][0]
        assert best["filename"] == "garden.md", mode
    # No word of this question is in any document: only the dense ranking finds anything.
    assert user.ask("greenery irrigation", mode="keyword")["citations"] == []
    # A NUL pasted into a question is a word break, not an error from the database.
    assert user.ask("QX-4471\x00quota")["citations"][0]["filename"] == "errors.md"
    refused = user.post("/api/v1/query", json={"question": "QX-4471", "mode": "fuzzy"})
    assert refused.status_code == 422


def test_a_question_about_a_table_row_is_answered_with_that_row(user: ApiClient) -> None:
    rows = "".join(
        f"2012-01-{day:02d},{day * 1.5:.1f},{'rain' if day % 2 else 'sun'}\n"
        for day in range(1, 29)
    )
    staff = (
        "<h1>Staff</h1><p>Our team is listed below.</p><table>"
        "<tr><th>Name</th><th>Age</th><th>Role</th></tr>"
        "<tr><td>Alice Smith</td><td>34</td><td>Engineer</td></tr>"
        "<tr><td>Bob Jones</td><td>41</td><td>Manager</td></tr></table>"
    )
    job = user.ingest(
        ("weather.csv", f"date,precipitation,weather\n{rows}".encode()),
        ("staff.html", f"<html><body>{staff}</body></html>".encode()),
    )
    assert job["state"] == "completed", job

    # The row alone, labelled with its columns, citing the chunk that holds it.
    for question, filename, row in [
        (
            "What was the weather on 2012-01-04?",
            "weather.csv",
            "date: 2012-01-04, precipitation: 6.0, weather: sun",
        ),
        ("How old is Bob Jones?", "staff.html", "Name: Bob Jones, Age: 41, Role: Manager"),
    ]:
        answer = user.ask(question)
        quoted = re.fullmatch(r"(.*) \[(\d)\]", answer["answer"])
        assert quoted, answer
        quote, cited = quoted.groups()
        assert quote == row
        assert answer["citations"][int(cited) - 1]["filename"] == filename


def test_a_long_non_ascii_file_name_is_ingested(user: ApiClient) -> None:
    # 190 characters, ~570 bytes in UTF-8: more than a file name may hold, and the stages'
    # cached results are files named after keys that include the title.
    name = "議事録" * 63 + ".md"
    job = user.ingest((name, "# 予算\n\nThe budget review moved to Thursday.\n".encode()))
    assert job["state"] == "completed", job
    assert job["documents"][0]["filename"] == name


def test_the_api_logs_each_request_once_with_its_id(stack: Stack, user: ApiClient) -> None:
    response = user.get("/api/v1/documents")
    request_id = response.headers["x-request-id"]
    requests_log = stack.settings.paths.logs / "requests.jsonl"
    deadline = time.monotonic() + 5  # the line is written once the response has gone
    while request_id not in (lines := requests_log.read_text()):
        assert time.monotonic() < deadline, f"no log line for request {request_id}"
        time.sleep(0.05)
    (line,) = [json.loads(x) for x in lines.splitlines() if request_id in x]
    assert (line["route"], line["status"]) == ("/api/v1/documents", 200)
    # Neither uvicorn's own access line nor one per call to Chroma or Prefect.
    log = (stack.settings.paths.logs / "api.log").read_text()
    assert '"GET /api/v1/documents HTTP/1.1"' not in log
    assert "HTTP Request:" not in log


def test_identical_bytes_are_skipped_and_new_bytes_replace_the_old_chunks(
    stack: Stack, user: ApiClient
) -> None:
    first = user.ingest(("faq.txt", b"The support line answers calls from 8 to 18 on weekdays."))
    again = user.upload_job(
        ("faq.txt", b"The support line answers calls from 8 to 18 on weekdays.")
    )
    assert again["state"] == "completed" and again["documents"][0]["stage"] == "skipped"

    second = user.ingest(("faq.txt", b"The support line now answers calls around the clock."))

    assert second["state"] == "completed"
    document_id = first["documents"][0]["document_id"]
    assert second["documents"][0]["document_id"] == document_id
    assert len(chroma(stack).versions_of(owner_of(user), document_id)) == 1
    assert "around the clock" in user.ask("When does the support line answer?")["answer"]


def test_another_user_can_neither_see_nor_touch_my_documents(
    user: ApiClient, new_user: object
) -> None:
    job = user.ingest(("secret.txt", b"The launch code for the rocket is tangerine-seven."))
    document_id = job["documents"][0]["document_id"]
    with new_user() as other:  # type: ignore[operator]
        assert other.get("/api/v1/documents").json() == {"data": [], "count": 0}
        assert other.get("/api/v1/jobs").json()["count"] == 0
        for method, path in [
            ("GET", f"/api/v1/documents/{document_id}"),
            ("DELETE", f"/api/v1/documents/{document_id}"),
            ("GET", f"/api/v1/jobs/{job['id']}"),
            ("POST", f"/api/v1/jobs/{job['id']}/cancel"),
            ("POST", f"/api/v1/jobs/{job['id']}/retry"),
        ]:
            response = other.request(method, path)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["code"] == "not_found"
        answer = other.ask("What is the launch code for the rocket?")
        assert answer["citations"] == [] and "tangerine" not in answer["answer"]
    assert user.get(f"/api/v1/documents/{document_id}").status_code == 200


def test_refused_uploads_get_their_status_and_leave_nothing_stored(
    stack: Stack, user: ApiClient
) -> None:
    files_dir = stack.settings.paths.files
    before = sorted(p for p in files_dir.rglob("*") if p.is_file())
    limit = stack.settings.max_upload_bytes
    # What the UI checks before sending is the server's own limit, not a default.
    assert user.get("/api/v1/documents/limits").json() == {
        "max_file_bytes": limit,
        "max_files_per_upload": stack.settings.max_files_per_upload,
    }

    too_big = user.upload(("big.txt", b"a" * (limit + 1)))
    empty = user.upload(("empty.txt", b""))
    program = user.upload(("report.pdf", b"\x7fELF\x02\x01\x01\x00" + bytes(4096)))

    assert (too_big.status_code, too_big.json()["code"]) == (413, "file_too_large")
    assert (empty.status_code, empty.json()["code"]) == (422, "empty_file")
    assert (program.status_code, program.json()["code"]) == (415, "unsupported_type")
    assert "report.pdf" in program.json()["detail"]
    mixed = user.upload(("fine.txt", b"Some real text about otters."), ("blank.md", b""))
    assert mixed.status_code == 202
    assert [(r["filename"], r["status"]) for r in mixed.json()["rejected"]] == [("blank.md", 422)]
    user.wait_for_job(mixed.json()["job"]["id"])
    after = sorted(p for p in files_dir.rglob("*") if p.is_file())
    assert len(after) == len(before) + 1  # only fine.txt
    names = {d["filename"] for d in user.get("/api/v1/documents").json()["data"]}
    assert names == {"fine.txt"}


def test_blank_text_and_malformed_addresses_are_refused(admin: ApiClient, user: ApiClient) -> None:
    refused = [
        user.post("/api/v1/query", json={"question": " \n\t "}),
        user.post("/api/v1/api-keys", json={"name": "   "}),
        admin.post(
            "/api/v1/users",
            json={"username": "mailless", "password": "a-long-password", "email": "nobody"},
        ),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(422, "invalid_input")] * 3
    assert "email" in refused[2].json()["detail"]
    kept = user.post("/api/v1/api-keys", json={"name": "  laptop  "})
    assert (kept.status_code, kept.json()["name"]) == (201, "laptop")


def test_the_openapi_document_is_valid_and_describes_every_route(admin: ApiClient) -> None:
    spec = admin.get("/api/v1/openapi.json").json()
    validate(spec)
    paths = set(spec["paths"])
    assert {
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/api-keys",
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/jobs",
        "/api/v1/jobs/{job_id}",
        "/api/v1/jobs/{job_id}/cancel",
        "/api/v1/jobs/{job_id}/retry",
        "/api/v1/query",
        "/api/v1/reingest",
        "/healthz",
        "/readyz",
        "/metrics",
    } <= paths


def test_a_run_killed_midway_leaves_the_previous_version_serving(
    stack: Stack, user: ApiClient
) -> None:
    v1 = user.ingest(("manual.txt", b"Version one: the pump runs at forty litres per minute."))
    document_id = v1["documents"][0]["document_id"]
    served = user.get(f"/api/v1/documents/{document_id}").json()

    job = user.upload_job(("manual.txt", long_text(40_000).encode()))
    deadline = time.monotonic() + 120
    while user.job(job["id"])["documents"][0]["chunks_done"] == 0:
        assert time.monotonic() < deadline, "embedding never started"
        time.sleep(0.1)
    for process in flow_run_processes(stack):
        process.send_signal(signal.SIGKILL)
    crashed = user.wait_for_job(job["id"], timeout_s=60)

    assert crashed["state"] == "crashed"
    assert "stopped unexpectedly" in crashed["error"]
    assert crashed["documents"][0]["stage"] == "failed"
    document = user.get(f"/api/v1/documents/{document_id}").json()
    assert (document["status"], document["sha256"], document["chunks"]) == (
        "ready",
        served["sha256"],
        served["chunks"],
    )
    versions = chroma(stack).versions_of(owner_of(user), document_id)
    assert list(versions.values()) == [served["chunks"]]
    assert "forty litres" in user.ask("How fast does the pump run?")["answer"]
    # It is resumed once, automatically (tests/e2e/test_faults.py follows that through).
    (resumed,) = [j for j in user.get("/api/v1/jobs").json()["data"] if j["retry_of"] == job["id"]]
    assert user.post(f"/api/v1/jobs/{resumed['id']}/cancel").status_code == 202


def test_the_owner_gets_an_email_when_the_job_ends(
    stack: Stack, new_user: Callable[..., ApiClient]
) -> None:
    with new_user(email="reader@example.com") as client:
        job = client.ingest(("letter.txt", b"A short letter about the harvest festival."))
    maildir = mailbox.Maildir(stack.settings.paths.data / "mail", create=False)
    deadline = time.monotonic() + 15
    while True:
        mails = [m for m in maildir if m["To"] == "reader@example.com"]
        if mails or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(mails) == 1
    assert "completed" in mails[0]["Subject"]
    body = mails[0].get_payload(decode=True)
    assert isinstance(body, bytes)
    text = body.decode()
    assert job["id"] in text and "letter.txt: done" in text
