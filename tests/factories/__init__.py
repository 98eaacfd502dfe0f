"""What tests are made of, built at test time: plain functions, override what a test cares about.

- ``files``: documents of every format ragline reads, and hostile ones;
- ``rows``: users and document versions written straight to the database;
- ``chunks``: chunks as the vector store returns them.
"""
