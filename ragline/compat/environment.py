"""The environment that keeps libraries quiet: telemetry and notice opt-outs (unstructured,
Prefect, Hugging Face), set in each process that parses, never on import."""

from __future__ import annotations

import os

#: Opt-outs for libraries that phone home or advertise; an operator's own value wins.
LIBRARY_ENVIRONMENT = {
    # unstructured pings a telemetry endpoint when imported and at each partition (Prefect
    # and Hugging Face read DO_NOT_TRACK too); SCARF_NO_ANALYTICS is the ping's other switch.
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    # unstructured's advertisement on the first partition of each process.
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
}


def quiet_libraries() -> None:
    """Sets :data:`LIBRARY_ENVIRONMENT` in this process (and so its future children),
    leaving any variable the operator set alone.

    unstructured reads these when it is imported and at every partition: call this before
    either, in each process that parses (:mod:`ragline.warmup` names them). Not done on
    import: importing a module must not change the process's environment.
    """
    for name, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
