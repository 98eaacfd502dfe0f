from ragline import reingest_report
from ragline.models import Stage


def test_a_reingestion_counts_skipped_reingested_and_failed_documents() -> None:
    found = reingest_report.counts(
        [Stage.SKIPPED, Stage.DONE, Stage.DONE, Stage.FAILED, Stage.CANCELLED, Stage.EMBEDDING]
    )
    assert found == reingest_report.ReingestCounts(skipped=1, reingested=2, failed=2)
    table = reingest_report.markdown("job1", found, "https://r.example/#/jobs/job1")
    assert "| 1 | 2 | 2 |" in table and "(https://r.example/#/jobs/job1)" in table
