"""Users can be disabled, choose notifications, have quotas and a webhook; login sessions
(a token can be ended); the notification outbox

Revision ID: 0010
Revises: 0005
Created: 2026-12-02 20:50:31
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loginsession",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_loginsession_user_id"), "loginsession", ["user_id"], unique=False)
    op.create_table(
        "notification",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("job_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "channel", sa.Enum("EMAIL", "WEBHOOK", name="notificationchannel"), nullable=False
        ),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "state", sa.Enum("PENDING", "SENT", "FAILED", name="notificationstate"), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job_id", "channel"),
    )
    op.create_index(
        op.f("ix_notification_created_at"), "notification", ["created_at"], unique=False
    )
    op.create_index(
        op.f("ix_notification_next_attempt_at"), "notification", ["next_attempt_at"], unique=False
    )
    op.create_index(op.f("ix_notification_user_id"), "notification", ["user_id"], unique=False)
    # Existing users: enabled, notified of every job end (what they got before).
    op.add_column(
        "user", sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    notify = sa.Enum("ALL", "FAILURES", "NONE", name="notifychoice")
    notify.create(op.get_bind())
    op.add_column("user", sa.Column("notify", notify, nullable=False, server_default="ALL"))
    op.alter_column("user", "disabled", server_default=None)
    op.alter_column("user", "notify", server_default=None)
    op.add_column("user", sa.Column("quota_bytes", sa.BigInteger(), nullable=True))
    op.add_column("user", sa.Column("quota_documents", sa.Integer(), nullable=True))
    op.add_column(
        "user",
        sa.Column("webhook_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    )
    op.add_column(
        "user", sa.Column("webhook_secret", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("user", "webhook_secret")
    op.drop_column("user", "webhook_url")
    op.drop_column("user", "quota_documents")
    op.drop_column("user", "quota_bytes")
    op.drop_column("user", "notify")
    sa.Enum(name="notifychoice").drop(op.get_bind())
    op.drop_column("user", "disabled")
    op.drop_index(op.f("ix_notification_user_id"), table_name="notification")
    op.drop_index(op.f("ix_notification_next_attempt_at"), table_name="notification")
    op.drop_index(op.f("ix_notification_created_at"), table_name="notification")
    op.drop_table("notification")
    sa.Enum(name="notificationstate").drop(op.get_bind())
    sa.Enum(name="notificationchannel").drop(op.get_bind())
    op.drop_index(op.f("ix_loginsession_user_id"), table_name="loginsession")
    op.drop_table("loginsession")
