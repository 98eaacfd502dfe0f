"""E-mail to a job's owner when the job ends."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from ragline.settings import Settings

logger = logging.getLogger("ragline.job_mail")


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


def job_mail(settings: Settings, to: str, job: JobOutcome) -> EmailMessage:
    lines = [f"Your ragline job {job.id} ended: {job.state}.", ""]
    if job.error:
        lines += [job.error, ""]
    for document in job.documents:
        line = f"- {document.filename}: {document.stage}"
        lines.append(f"{line} ({document.error})" if document.error else line)
    lines += ["", f"Details: {settings.endpoints.api}/#/jobs/{job.id}"]
    message = EmailMessage()
    message["Subject"] = f"ragline: job {job.state} ({len(job.documents)} documents)"
    message["From"] = settings.mail_from
    message["To"] = to
    message.set_content("\n".join(lines))
    return message


def send_job_mail(settings: Settings, to: str, job: JobOutcome) -> bool:
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
