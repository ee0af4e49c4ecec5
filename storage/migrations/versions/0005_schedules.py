"""schedules: the current step's due date and the next progress update, indexed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("next_update_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("alerted_on", sa.Date(), nullable=True))
        batch.create_index(batch.f("ix_cases_due_on"), ["due_on", "alerted_on"], unique=False)
        batch.create_index(batch.f("ix_cases_next_update_on"), ["next_update_on"], unique=False)
    # Open cases from before: their current step's due date, as `storage.repo.status_due`
    # computes it (progress updates start from the next sweep).
    op.execute(
        """
        UPDATE cases SET due_on = CASE
            WHEN response_due IS NOT NULL THEN response_due
            WHEN status = 'diterima' THEN verify_due
            WHEN status IN ('terverifikasi', 'didisposisi') THEN followup_due
            WHEN followed_up_on IS NULL THEN COALESCE(followup_due, resolution_due)
            ELSE COALESCE(resolution_due, followup_due) END
        WHERE status NOT IN ('selesai', 'ditutup', 'arsip', 'diputus', 'bukan_wewenang')
          AND status != 'ditunda'
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(batch.f("ix_cases_next_update_on"))
        batch.drop_index(batch.f("ix_cases_due_on"))
        batch.drop_column("alerted_on")
        batch.drop_column("next_update_on")
        batch.drop_column("due_on")
