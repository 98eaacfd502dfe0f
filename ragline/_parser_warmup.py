"""Imported only by the parse sandbox's fork server (as a preload module): importing it
loads the parsers and runs each once, so every parse forks from a warm process.

Best effort: a failure here must not kill the fork server, the child then loads lazily.
"""

from __future__ import annotations

import contextlib

from ragline import parsing

with contextlib.suppress(Exception):
    parsing.warm_up()
