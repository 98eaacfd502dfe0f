"""The HTTP API: thin routes around ragline's domain, and the one door to Prefect."""
