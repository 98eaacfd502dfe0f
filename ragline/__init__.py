"""ragline: the framework-free domain of the document-ingestion service."""
