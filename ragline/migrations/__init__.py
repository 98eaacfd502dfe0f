"""Alembic migrations of ragline's own tables; applied by ``ragline.db.migrate``."""
