"""Names of the flows and deployments declared in prefect.yaml.

The API triggers deployments by these names; tests/test_prefect_yaml.py checks them
against prefect.yaml so the two cannot drift apart.
"""

INGEST_FLOW = "ingest-documents"
INGEST_DOCUMENT_FLOW = "ingest-document"
REINGEST_FLOW = "reingest-corpus"

INGEST_DEPLOYMENT = f"{INGEST_FLOW}/ingest-documents"
# A job's document as a run of its own, when a job is spread over workers.
INGEST_DOCUMENT_DEPLOYMENT = f"{INGEST_DOCUMENT_FLOW}/ingest-document"
REINGEST_DEPLOYMENT = f"{REINGEST_FLOW}/reingest-corpus"

# The work pool prefect.yaml puts every deployment in (for operators who run workers).
WORK_POOL = "ragline-ingest"
