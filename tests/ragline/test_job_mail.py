from ragline.job_mail import DocumentOutcome, JobOutcome, job_mail
from ragline.settings import Settings


def test_the_mail_names_the_job_its_state_and_each_documents_outcome() -> None:
    job = JobOutcome(
        id="job1",
        state="failed",
        error="1 of 2 documents failed.",
        documents=[
            DocumentOutcome("a.pdf", "done", None),
            DocumentOutcome("b.pdf", "failed", "This PDF is password-protected."),
        ],
    )
    settings = Settings(_env_file=None, api_port=9000)
    mail = job_mail(settings, "me@example.com", job)
    body = mail.get_content()
    assert mail["To"] == "me@example.com" and "failed" in mail["Subject"]
    assert "- a.pdf: done" in body
    assert "- b.pdf: failed (This PDF is password-protected.)" in body
    assert "http://127.0.0.1:9000/#/jobs/job1" in body


def test_the_links_use_the_public_urls() -> None:
    job = JobOutcome.from_json(
        {
            "id": "job2",
            "kind": "reingest",
            "state": "completed",
            "error": None,
            "documents": [{"filename": "a.txt", "stage": "skipped", "error": None}],
            "prefect_url": "https://prefect.example.org/runs/flow-run/r1",
        }
    )
    settings = Settings(_env_file=None, public_url="https://ragline.example.org/")
    body = job_mail(settings, "me@example.com", job, "n1").get_content()
    assert "https://ragline.example.org/#/jobs/job2" in body
    assert "https://prefect.example.org/runs/flow-run/r1" in body
    assert "re-ingestion" in body
