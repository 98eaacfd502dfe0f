"""Prefect flows: thin wrappers that run ragline's pipeline as tasks and report progress."""
