"""E-mail to a job's owner when the job ends."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Protocol

from ragline.settings import Settings

logger = logging.getLogger("ragline.notify")


class FinishedJob(Protocol):
    id: str
    state: object
    error: str | None
    prefect_url: str | None

    @property
    def documents(self) -> list[object]: ...


def job_mail(settings: Settings, to: str, job: FinishedJob) -> EmailMessage:
    state = getattr(job.state, "value", job.state)
    lines = [f"Your ragline job {job.id} ended: {state}.", ""]
    if job.error:
        lines += [job.error, ""]
    for document in job.documents:
        stage = document.stage
        stage = getattr(stage, "value", stage)
        line = f"- {document.filename}: {stage}"
        error = document.error
        lines.append(f"{line} ({error})" if error else line)
    lines += ["", f"Details: {settings.api_url}/#/jobs/{job.id}"]
    message = EmailMessage()
    message["Subject"] = f"ragline: job {state} ({len(job.documents)} documents)"
    message["From"] = settings.mail_from
    message["To"] = to
    message.set_content("\n".join(lines))
    return message


def send_job_mail(settings: Settings, to: str, job: FinishedJob) -> bool:
    """Sends the mail; a mail server that is down is logged, never fatal."""
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(job_mail(settings, to, job))
        return True
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("could not mail %s about job %s: %s", to, job.id, exc)
        return False
