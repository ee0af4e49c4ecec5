"""report requests: /rekap asked in the chat, built outside the single writer

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_report_requests_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_requests")),
    )
    op.create_index("ix_report_requests_status", "report_requests", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_report_requests_status", table_name="report_requests")
    op.drop_table("report_requests")
