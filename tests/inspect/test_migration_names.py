"""A new migration is named in its tree's pattern, after its newest file."""

from __future__ import annotations

from planner.inspect.model.migrations import (
    alembic_slug,
    new_migration_path,
    revision_message,
)
from planner.inspect.model.records import MigrationTree


def test_yearly_folders_leave_the_date_to_alembic() -> None:
    # With no ini read, the tree's dated names in year folders are followed;
    # the date is Alembic's to write, never the newest file's.
    tree = MigrationTree(
        system="alembic",
        versions_dir="db/versions",
        files=(
            "db/versions/2025/12_21_2208_1aa9638ad963_add_index.py",
            "db/versions/2026/03_24_0528_3cc9638ad965_add_table.py",
        ),
        tables=(),
    )
    path = new_migration_path(tree, "add_labels", frozenset(), revision="0123abcd")
    assert path == "db/versions/<year>/<date>_0123abcd_add_labels.py"


def test_the_ini_template_names_the_file() -> None:
    tree = MigrationTree(
        system="alembic",
        versions_dir="db/versions",
        files=("db/versions/2024_01_02_0930_aaaaaaaaaaaa_second.py",),
        tables=(),
        template="%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s",
    )
    path = new_migration_path(tree, "add_labels", frozenset(), revision="0123abcd")
    assert (
        path == "db/versions/<year>_<month>_<day>_<hour><minute>_0123abcd_add_labels.py"
    )


def test_an_ini_without_template_gets_alembics_default_name() -> None:
    # Older files may carry dates; `alembic revision` writes `rev_slug` now.
    tree = MigrationTree(
        system="alembic",
        versions_dir="db/versions",
        files=("db/versions/2024_03_04_bbbbbbbbbbbb_second.py",),
        tables=(),
        template="%(rev)s_%(slug)s",
    )
    path = new_migration_path(tree, "add_labels", frozenset(), revision="0123abcd")
    assert path == "db/versions/0123abcd_add_labels.py"


def test_a_long_message_keeps_a_slug_alembic_does_not_cut() -> None:
    words = ("add", "very", "long", "resource", "names", "that", "never", "end")
    message = revision_message(words)
    assert len(alembic_slug(message)) <= 40
    assert words[: len(message.split())] == tuple(message.split())


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


def test_a_history_s_own_ids_give_the_next_one() -> None:
    from planner.inspect.model.migrations import next_revision

    assert next_revision(["0", "1", "9", "10"], ("10",)) == "11"
    assert next_revision(["0041", "0042"], ("0042",)) == "0043"
    assert next_revision([], ("108",)) == "109"
    # Dates keep their shape; the plan has no clock to fill it with.
    dated = ["2024_05_20_1432", "2024_06_01_0900"]
    assert next_revision(dated, ("2024_06_01_0900",)) == (
        "<year>_<month>_<day>_<hour><minute>"
    )
    assert next_revision(["20240520", "20240601"], ("20240601",)) == (
        "<year><month><day>"
    )
    # Alembic's own ids, and a history that only once used a number, are random.
    assert next_revision(["1a2b3c4d5e6f", "ab12cd34ef56"], ("ab12cd34ef56",)) is None
    assert next_revision(["1a2b3c4d5e6f", "ab12cd34ef56", "7"], ("7",)) is None
    assert next_revision(["123456789012"], ("123456789012",)) is None
