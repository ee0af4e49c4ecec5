"""personal data sealed at rest (UU 27/2022): NIKs, phone numbers, chat addresses, forms
and message texts; chats found by a blind index; the keys in use

The migration changes the schema only: it cannot see the keys. The values are sealed by the
first start after it (storage.sealing.open_database), which finds the chats' indexes still
"legacy:<id>" and every value in clear, and seals them in batches before anything is served.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plaintext length -> sealed length (storage.types.sealed_length, frozen here as it was).
NIK, PHONE, ADDRESS, NUMBER = 193, 213, 449, 641


def upgrade() -> None:
    op.create_table(
        "seal_keys",
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("first_used_at", UTCDateTime(), nullable=False),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_seal_keys")),
    )
    with op.batch_alter_table("identities") as batch:
        batch.add_column(sa.Column("address_key", sa.String(length=80), nullable=True))
    # A unique placeholder per row, until the first start computes the real index.
    op.execute("UPDATE identities SET address_key = 'legacy:' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("identities") as batch:
        batch.alter_column("address_key", existing_type=sa.String(length=80), nullable=False)
        batch.alter_column(
            "address", existing_type=sa.String(length=64), type_=sa.String(length=ADDRESS)
        )
        batch.drop_constraint("uq_identities_channel", type_="unique")
        batch.create_unique_constraint("uq_identities_channel", ["channel", "address_key"])
    with op.batch_alter_table("request_details") as batch:
        batch.alter_column("nik", existing_type=sa.String(length=16), type_=sa.String(length=NIK))
        batch.alter_column(
            "phone", existing_type=sa.String(length=20), type_=sa.String(length=PHONE)
        )
        batch.alter_column(
            "principal_number",
            existing_type=sa.String(length=100),
            type_=sa.String(length=NUMBER),
        )
    # A sealed document is text, not JSON (PostgreSQL: its JSON text, sealed at first start).
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column(
            "data",
            existing_type=sa.JSON(),
            type_=sa.Text(),
            existing_nullable=False,
            postgresql_using="data::text",
        )
        batch.alter_column(
            "draft", existing_type=sa.JSON(), type_=sa.Text(), postgresql_using="draft::text"
        )


def downgrade() -> None:
    # Only the schema goes back: sealed values stay sealed (open them with the keys first).
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column(
            "draft", existing_type=sa.Text(), type_=sa.JSON(), postgresql_using="draft::json"
        )
        batch.alter_column(
            "data",
            existing_type=sa.Text(),
            type_=sa.JSON(),
            existing_nullable=False,
            postgresql_using="data::json",
        )
    with op.batch_alter_table("request_details") as batch:
        batch.alter_column(
            "principal_number",
            existing_type=sa.String(length=NUMBER),
            type_=sa.String(length=100),
        )
        batch.alter_column(
            "phone", existing_type=sa.String(length=PHONE), type_=sa.String(length=20)
        )
        batch.alter_column("nik", existing_type=sa.String(length=NIK), type_=sa.String(length=16))
    with op.batch_alter_table("identities") as batch:
        batch.drop_constraint("uq_identities_channel", type_="unique")
        batch.create_unique_constraint("uq_identities_channel", ["channel", "address"])
        batch.alter_column(
            "address", existing_type=sa.String(length=ADDRESS), type_=sa.String(length=64)
        )
        batch.drop_column("address_key")
    op.drop_table("seal_keys")
