"""the law, completely: a kuasa's principal, the day information was actually given, the
working calendar the open cases' dates were computed with, who hears serta-merta news,
data-subject requests, erasure, and personal-data breaches

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("request_details") as batch:
        batch.add_column(sa.Column("principal_type", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("principal_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("principal_number", sa.String(length=100), nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("delivered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("subject_right", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("erased_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("erased_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("report_requests") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), server_default="rekap", nullable=False)
        )
    op.create_table(
        "breaches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("discovered_at", UTCDateTime(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("data_kinds", sa.JSON(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("subjects_notified_at", UTCDateTime(), nullable=True),
        sa.Column("authority_notified_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["persons.id"], name=op.f("fk_breaches_recorded_by_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breaches")),
    )
    op.create_table(
        "breach_subjects",
        sa.Column("breach_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["breach_id"], ["breaches.id"], name=op.f("fk_breach_subjects_breach_id_breaches")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_breach_subjects_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("breach_id", "person_id", name=op.f("pk_breach_subjects")),
    )
    op.create_table(
        "area_subscriptions",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=96), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["areas.code"], name=op.f("fk_area_subscriptions_area_code_areas")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_area_subscriptions_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", "area_code", name=op.f("pk_area_subscriptions")),
    )
    op.create_index(
        "ix_area_subscriptions_area", "area_subscriptions", ["area_code"], unique=False
    )
    op.create_table(
        "calendar_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("closed", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_state")),
    )


def downgrade() -> None:
    op.drop_table("breach_subjects")
    op.drop_table("breaches")
    with op.batch_alter_table("report_requests") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("persons") as batch:
        batch.drop_column("erased_at")
    op.drop_table("calendar_state")
    op.drop_index("ix_area_subscriptions_area", table_name="area_subscriptions")
    op.drop_table("area_subscriptions")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("subject_right")
        batch.drop_column("delivered_on")
    with op.batch_alter_table("request_details") as batch:
        batch.drop_column("principal_number")
        batch.drop_column("principal_name")
        batch.drop_column("principal_type")
