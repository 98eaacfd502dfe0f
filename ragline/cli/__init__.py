"""The ``ragline`` console script (:mod:`ragline.cli.main`), on the generated client.

``config`` (server and token), ``selection`` (which files, in which requests), ``sending``
(the upload with bytes counted), ``live`` (the job socket), ``progress`` (what the jobs have
done), ``watch`` (``--wait``), ``display`` (Rich), ``upload`` and ``main`` (the commands).
"""
