"""Checks that the database, Chroma and the keyword index agree: ``python -m scripts.consistency``.

    python -m scripts.consistency           # report (exit 1 when something differs)
    python -m scripts.consistency --repair  # delete orphaned chunks, re-queue incomplete ones

Uses the settings of the running stack (RAGLINE_* / .env). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from sqlmodel import Session

from ragline import consistency
from ragline.db import get_engine
from ragline.settings import get_settings
from ragline.vectorstore import get_vector_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.consistency", description=__doc__)
    parser.add_argument("--repair", action="store_true", help="repair what differs")
    args = parser.parse_args(argv)
    settings = get_settings()
    store = get_vector_store(settings.endpoints.chroma, settings.chroma_collection_prefix)
    with Session(get_engine(settings)) as session:
        if args.repair:
            report = consistency.repair(session, store)
        else:
            report = consistency.check(session, store)
    print(json.dumps(dataclasses.asdict(report) | {"ok": report.ok}))
    return 0 if report.ok or report.repaired else 1


if __name__ == "__main__":
    sys.exit(main())
