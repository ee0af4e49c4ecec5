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
        batch.create_index(batch.f("ix_cases_due_on"), ["due_on"], unique=False)
        batch.create_index(batch.f("ix_cases_next_update_on"), ["next_update_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(batch.f("ix_cases_next_update_on"))
        batch.drop_index(batch.f("ix_cases_due_on"))
        batch.drop_column("next_update_on")
        batch.drop_column("due_on")
