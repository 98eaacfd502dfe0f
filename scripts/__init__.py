"""Process management for the local stack: PostgreSQL, Prefect, Chroma, a mail sink, the API.

``python -m scripts.stack up | down | status`` is what ``make run`` / ``make stop`` call; the test
suite starts the same :class:`scripts.stack.Stack` in-process.
"""
