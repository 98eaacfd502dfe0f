"""First-run set-up: tables and the first admin. `python -m ragline.bootstrap`.

Run by the stack before the API starts; safe to run any number of times. A generated admin
password is printed once (it is not stored anywhere in clear).
"""

from __future__ import annotations

import sys

from ragline.db import get_engine, migrate, session_scope
from ragline.settings import Settings, get_settings
from ragline.users import ensure_admin


def bootstrap(settings: Settings) -> str | None:
    engine = get_engine(settings)
    migrate(engine)
    with session_scope(engine) as session:
        return ensure_admin(session, settings)


def main() -> None:
    settings = get_settings()
    password = bootstrap(settings)
    if password:
        sys.stdout.write(
            f"Created the admin user {settings.admin_username!r} with password: {password}\n"
            "(shown once; set RAGLINE_ADMIN_PASSWORD to choose it yourself)\n"
        )


if __name__ == "__main__":
    main()
