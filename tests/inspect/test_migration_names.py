"""A new migration is named in its tree's pattern, after its newest file."""

from __future__ import annotations

from planner.inspect.model.migrations import new_migration_path
from planner.inspect.model.records import MigrationTree


def test_yearly_folders_date_the_new_file_from_the_newest_folder() -> None:
    # December 2025 sorts after March 2026 by name alone: the date comes from
    # the newest folder, so the new file is not dated in the future.
    tree = MigrationTree(
        system="alembic",
        versions_dir="db/versions",
        files=(
            "db/versions/2025/12_21_2208_1aa9638ad963_add_index.py",
            "db/versions/2026/01_05_0900_2bb9638ad964_add_column.py",
            "db/versions/2026/03_24_0528_3cc9638ad965_add_table.py",
        ),
        tables=(),
    )
    path = new_migration_path(tree, "add_labels", frozenset())
    assert path.startswith("db/versions/2026/03_24_0528_")
    assert path.endswith("_add_labels.py")


def test_one_folder_keeps_its_newest_date() -> None:
    tree = MigrationTree(
        system="alembic",
        versions_dir="db/versions",
        files=(
            "db/versions/2024_01_02_aaaaaaaaaaaa_first.py",
            "db/versions/2024_03_04_bbbbbbbbbbbb_second.py",
        ),
        tables=(),
    )
    path = new_migration_path(tree, "add_labels", frozenset())
    assert path.startswith("db/versions/2024_03_04_")


def test_numbered_tree_that_moved_to_dates_keeps_dates() -> None:
    # `migration_2026_...` is a date, not migration number 2026: the next
    # file is dated like the newest ones, never `migration_2027_...`.
    tree = MigrationTree(
        system="numbered",
        versions_dir="svc/migrations",
        files=(
            "svc/migrations/migration_30.py",
            "svc/migrations/migration_31.py",
            "svc/migrations/migration_2026_07_01_add_queue.py",
            "svc/migrations/migration_2026_07_03_add_index.py",
        ),
        tables=(),
    )
    path = new_migration_path(tree, "add_notes", frozenset())
    assert path == "svc/migrations/migration_2026_07_03_add_notes.py"


def test_numbered_tree_counts_on() -> None:
    tree = MigrationTree(
        system="numbered",
        versions_dir="svc/migrations",
        files=("svc/migrations/0007_first.py", "svc/migrations/0008_second.py"),
        tables=(),
    )
    assert new_migration_path(tree, "add_notes", frozenset()) == (
        "svc/migrations/0009_add_notes.py"
    )
