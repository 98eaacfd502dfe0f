"""Writes the next migration from what the models add to the database's schema.

    make migration m="documents: language"

Run against the local stack's app database (`make run ONLY=postgres` is enough): it first
brings that database to the latest revision, then compares it with ``ragline.models`` and
writes ``ragline/migrations/versions/NNNN_<message>.py`` for you to review.
"""

from __future__ import annotations

import re
import subprocess
import sys

from alembic import command
from alembic.script import ScriptDirectory

from ragline.db import alembic_config, get_engine, migrate
from ragline.settings import get_settings


def next_revision_id(heads: tuple[str, ...]) -> str:
    numbers = [int(head) for head in heads if head.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def main() -> None:
    message = " ".join(sys.argv[1:]).strip()
    if not message:
        sys.exit('usage: make migration m="what changes"')
    engine = get_engine(get_settings())
    migrate(engine)
    with engine.begin() as connection:
        config = alembic_config(connection)
        heads = ScriptDirectory.from_config(config).get_heads()
        slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40]
        config.set_main_option("file_template", f"%%(rev)s_{slug}")
        written = command.revision(
            config, message=message, autogenerate=True, rev_id=next_revision_id(tuple(heads))
        )
    for script in written if isinstance(written, list) else [written]:
        if script is not None:  # in the project's style, so `make lint` passes as written
            subprocess.run([sys.executable, "-m", "ruff", "format", script.path], check=False)


if __name__ == "__main__":
    main()
