"""The ``ragline`` command: ragline's API from a terminal (docs/PYTHON.md).

Every command reads the server and token from :mod:`ragline.cli.config` (``RAGLINE_URL`` and
``RAGLINE_TOKEN`` win), prints results on stdout (``--json``: the API's own shapes) and
progress on stderr, and on an error exits 1 with one line: the API's ``detail`` sentence.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer

from ragline.cli import config
from ragline.cli.display import err, files_count, out, print_answer, print_jobs
from ragline.cli.selection import SelectionError
from ragline.cli.session import Session, print_json, signed_in
from ragline.cli.upload import upload as upload_files
from ragline.cli.watch import unfinished, watch
from ragline.integrations.client import ApiError, checked, connect, unreachable
from ragline_client import Client
from ragline_client.api.auth import auth_create_api_key, auth_login
from ragline_client.api.jobs import jobs_cancel_job, jobs_list_jobs, jobs_reingest, jobs_retry_job
from ragline_client.api.query import query_query
from ragline_client.api.users import users_me
from ragline_client.models import (
    ApiKeyCreate,
    ApiKeyCreated,
    JobPublic,
    LoginRequest,
    PageJobPublic,
    QueryAnswer,
    QueryRequest,
    ReingestRequest,
    Token,
    UserPublic,
)
from ragline_client.models.retrieval_mode import RetrievalMode

app = typer.Typer(
    name="ragline",
    help="Upload documents to ragline, follow their jobs, and ask questions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Json = Annotated[bool, typer.Option("--json", help="Print the API's JSON (for scripts).")]
Wait = Annotated[bool, typer.Option("--wait", help="Follow the job(s) until they end.")]


@app.command()
def login(
    username: Annotated[str | None, typer.Option(help="Asked for when not given.")] = None,
    password: Annotated[str | None, typer.Option(help="Asked for when not given.")] = None,
    url: Annotated[str | None, typer.Option(help="The server (default: RAGLINE_URL).")] = None,
    token: Annotated[
        str | None, typer.Option(help="Store this API key instead of signing in.")
    ] = None,
) -> None:
    """Sign in and keep an API key for this machine in the config file (mode 600)."""
    server = (url or config.load().url).rstrip("/")
    if token is None:
        username = username or typer.prompt("Username")
        password = password or typer.prompt("Password", hide_input=True)
        with Client(base_url=server, raise_on_unexpected_status=False) as anonymous:
            body = LoginRequest(username=username, password=password)
            login_token = checked(auth_login.sync_detailed(client=anonymous, body=body), Token)
        # An API key rather than the login token: it does not expire under a script.
        name = ApiKeyCreate(name=f"ragline CLI on {platform.node() or 'this machine'}")
        with connect(server, login_token.access_token) as client:
            key = auth_create_api_key.sync_detailed(client=client, body=name)
            token = checked(key, ApiKeyCreated).key
    with connect(server, token) as client:
        me = checked(users_me.sync_detailed(client=client), UserPublic)
    path = config.config_path(os.environ)
    config.save(path, server, token)
    out.print(f"Signed in to {server} as {me.username}; token kept in {path}", markup=False)


@app.command()
def upload(
    paths: Annotated[list[Path], typer.Argument(help="Files, or folders with --recursive.")],
    recursive: Annotated[bool, typer.Option("--recursive", "-r")] = False,
    wait: Wait = False,
    as_json: Json = False,
) -> None:
    """Upload files (split into requests the server accepts), with progress bars."""
    raise typer.Exit(upload_files(paths, recursive=recursive, wait=wait, as_json=as_json))


@app.command()
def jobs(
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    as_json: Json = False,
) -> None:
    """Your jobs, newest first (an admin's: everyone's)."""
    session = signed_in()
    page = checked(jobs_list_jobs.sync_detailed(client=session.client, limit=limit), PageJobPublic)
    if as_json:
        print_json([job.to_dict() for job in page.data])
    else:
        print_jobs(page.data)


@app.command()
def cancel(job_id: str, as_json: Json = False) -> None:
    """Cancel a job: it moves to cancelling, then cancelled."""
    session = signed_in()
    job = checked(jobs_cancel_job.sync_detailed(job_id, client=session.client), JobPublic)
    _print_job(job, as_json)


@app.command()
def retry(job_id: str, wait: Wait = False, as_json: Json = False) -> None:
    """Retry the documents of a job that did not finish, as a new job."""
    session = signed_in()
    job = checked(jobs_retry_job.sync_detailed(job_id, client=session.client), JobPublic)
    _finish(session, job, wait=wait, as_json=as_json)


@app.command()
def reingest(
    all_documents: Annotated[
        bool, typer.Option("--all", help="Every document, not only those that would change.")
    ] = False,
    wait: Wait = False,
    as_json: Json = False,
) -> None:
    """(admin) Re-ingest the documents the pipeline would now index differently."""
    session = signed_in()
    body = ReingestRequest(only_changed=not all_documents)
    job = checked(jobs_reingest.sync_detailed(client=session.client, body=body), JobPublic)
    _finish(session, job, wait=wait, as_json=as_json)


@app.command()
def ask(
    question: str,
    top_k: Annotated[int, typer.Option(min=1, max=50)] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense or keyword.")] = "hybrid",
    as_json: Json = False,
) -> None:
    """Ask a question of your documents: the answer, then its numbered citations."""
    session = signed_in()
    body = QueryRequest(question=question, top_k=top_k, mode=_mode(mode))
    answer = checked(query_query.sync_detailed(client=session.client, body=body), QueryAnswer)
    if as_json:
        print_json(answer.to_dict())
    else:
        print_answer(answer)


def _mode(value: str) -> RetrievalMode:
    if value not in ("hybrid", "dense", "keyword"):
        raise typer.BadParameter("hybrid, dense or keyword", param_hint="--mode")
    return value  # type: ignore[return-value]  # narrowed by the test above


def _finish(session: Session, job: JobPublic, *, wait: bool, as_json: bool) -> None:
    if wait:
        (job,) = watch(session, [job], show=not as_json)
    _print_job(job, as_json)
    if wait and (problems := unfinished([job])):
        err.print(f"ragline: {problems[0]}", markup=False)
        raise typer.Exit(1)


def _print_job(job: JobPublic, as_json: bool) -> None:
    if as_json:
        print_json(job.to_dict())
    else:
        out.print(f"job {job.id}: {job.state} ({files_count(len(job.documents))})", markup=False)


def main() -> None:
    """The console script: the commands, with every refusal as one line and exit status 1."""
    try:
        app()
    except ApiError as exc:
        _fail(exc.detail)
    except SelectionError as exc:
        _fail(str(exc))
    except httpx.HTTPError as exc:
        _fail(unreachable(config.load().url, exc).detail)
    except KeyboardInterrupt:
        _fail("interrupted; jobs already sent go on (see `ragline jobs`)", status=130)


def _fail(reason: str, status: int = 1) -> None:
    # One line, whatever the sentence holds: a script reads it as the reason.
    err.print(f"ragline: {' '.join(reason.split())}", markup=False)
    sys.exit(status)
