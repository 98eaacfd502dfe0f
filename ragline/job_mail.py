"""E-mail to a job's owner when the job ends: what it says, and sending it once.

Links are built from the public URLs (``settings.endpoints.public``, and the job's own
``prefect_url``, made from the public Prefect UI URL), so they work from another machine.
The Message-ID is the notification's id: a mail sent again after a crash between sending
and recording it is recognisable as the same mail.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from ragline.settings import Settings


@dataclass(frozen=True)
class DocumentOutcome:
    filename: str
    stage: str
    error: str | None


@dataclass(frozen=True)
class JobOutcome:
    id: str
    state: str
    error: str | None
    documents: list[DocumentOutcome]
    kind: str = "ingest"
    prefect_url: str | None = None

    @classmethod
    def from_json(cls, job: dict[str, Any]) -> JobOutcome:
        """From a job as the API shows it (``JobPublic`` as JSON)."""
        return cls(
            id=str(job["id"]),
            state=str(job["state"]),
            error=job.get("error"),
            documents=[
                DocumentOutcome(str(d["filename"]), str(d["stage"]), d.get("error"))
                for d in job.get("documents", [])
            ],
            kind=str(job.get("kind", "ingest")),
            prefect_url=job.get("prefect_url"),
        )


def job_link(settings: Settings, job_id: str) -> str:
    """Where the web UI shows this job."""
    return f"{settings.endpoints.public}/#/jobs/{job_id}"


def job_mail(
    settings: Settings, to: str, job: JobOutcome, message_id: str | None = None
) -> EmailMessage:
    what = "re-ingestion" if job.kind == "reingest" else "job"
    lines = [f"Your ragline {what} {job.id} ended: {job.state}.", ""]
    if job.error:
        lines += [job.error, ""]
    for document in job.documents:
        line = f"- {document.filename}: {document.stage}"
        lines.append(f"{line} ({document.error})" if document.error else line)
    lines += ["", f"Details: {job_link(settings, job.id)}"]
    if job.prefect_url:
        lines.append(f"The run in Prefect: {job.prefect_url}")
    message = EmailMessage()
    message["Subject"] = f"ragline: {what} {job.state} ({len(job.documents)} documents)"
    message["From"] = settings.mail_from
    message["To"] = to
    if message_id:
        message["Message-ID"] = f"<{message_id}@ragline>"
    message.set_content("\n".join(lines))
    return message


def send_mail(settings: Settings, message: EmailMessage) -> None:
    """Hands the mail to the SMTP server; raises OSError or SMTPException when it cannot."""
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
