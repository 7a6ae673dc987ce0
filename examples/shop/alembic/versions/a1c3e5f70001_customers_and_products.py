"""customers and products

Revision ID: a1c3e5f70001
Revises:
Create Date: 2024-05-02 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "a1c3e5f70001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(length=320), nullable=False, unique=True),
        sa.Column("api_token", sa.String(length=64), nullable=False, unique=True),
    )
    op.create_index("ix_customers_api_token", "customers", ["api_token"])
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("in_stock", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_table("products")
    op.drop_index("ix_customers_api_token", table_name="customers")
    op.drop_table("customers")
