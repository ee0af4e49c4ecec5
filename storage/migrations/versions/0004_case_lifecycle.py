"""case lifecycle: assignee, pause, decisions, confirmation, rating, reopen count

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 05:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a foreign key to an existing table in place
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("assignee_person_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("paused_status", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("decision", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("decision_ground", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("objection_ground", sa.String(length=1), nullable=True))
        batch.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("confirm_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("reopened", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("followed_up_on", sa.Date(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_cases_assignee_person_id_persons"),
            "persons",
            ["assignee_person_id"],
            ["id"],
        )
        batch.create_index(batch.f("ix_cases_related"), ["related_case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(batch.f("ix_cases_related"))
        batch.drop_constraint(batch.f("fk_cases_assignee_person_id_persons"), type_="foreignkey")
        for column in (
            "followed_up_on",
            "reopened",
            "rating",
            "confirm_due",
            "decided_on",
            "objection_ground",
            "decision_ground",
            "decision",
            "paused_status",
            "assignee_person_id",
        ):
            batch.drop_column(column)
