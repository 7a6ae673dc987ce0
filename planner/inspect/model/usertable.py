"""The project's users table: what an owner's foreign key points at."""

from __future__ import annotations

import re
from collections import Counter

from .names import Names
from .records import ProjectModel, TableClass
from .tables import find_table

_USERS = frozenset({"user", "users"})


def user_table_slot(model: ProjectModel) -> tuple[str, str]:
    """``user_table``: ``tablename id_kind Class owner_key`` (``users int User ?``).

    The table name or the id's kind is ``?`` where planner could not read
    it, and the whole is ``? ? ? ?`` where it found no users table. The
    owner key is the column the project's owned rows name their user with
    (``user_id``), ``?`` where they do not settle one.
    """
    users = sorted(
        (t for t in model.tables if t.name == "User" or t.tablename in _USERS),
        key=lambda t: (t.name != "User", t.file, t.line),
    )
    if not users:
        return ("user_table", "? ? ? ?")
    table = users[0]
    kind = _id_kind(table) or "?"
    owner = _owner_key(model, table) or "?"
    return ("user_table", f"{table.tablename or '?'} {kind} {table.name} {owner}")


def _owner_key(model: ProjectModel, users: TableClass) -> str:
    """The column most owned rows key their user with, where the tables agree.

    One vote per table and column that may not be null or goes with its user
    (an author's `created_by_id`, set null, is no owner); a name settles
    with two votes and twice those of the next.
    """
    named = {users.name, users.tablename} - {""}
    votes: Counter[str] = Counter()
    for table in model.tables:
        if table.name == users.name:
            continue
        for column, key, owned in table.foreign_keys:
            target = key.rpartition(".")[0].rpartition(".")[2]
            if owned and target in named:
                votes[column] += 1
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < 2:
        return ""
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return ""
    return ranked[0][0]


def _id_kind(table: TableClass) -> str:
    """`int`, `uuid` or `str` as the users' `id` is declared, "" if unread.

    A library base named for its key (fastapi-users'
    `SQLAlchemyBaseUserTableUUID`) says it where the column is not read.
    """
    written = table.id.type if table.id is not None else ""
    if not written:
        written = " ".join(b.name for b in table.bases)
    low = written.lower()
    if "uuid" in low or "guid" in low:
        return "uuid"
    if re.search(r"\b(int|integer|biginteger|serial)\b", low):
        return "int"
    if re.search(r"\b(str|string|text|varchar)\b", low):
        return "str"
    return ""


def table_keys_slot(model: ProjectModel) -> tuple[str, str]:
    """``table_keys``: ``table:key`` of each table whose primary key is not `id`."""
    return (
        "table_keys",
        ";".join(
            sorted({f"{t.tablename or t.name}:{t.key}" for t in model.tables if t.key})
        ),
    )


def ref_tables_slot(model: ProjectModel, refs: tuple[str, ...]) -> tuple[str, str]:
    """``ref_tables``: ``resource tablename Class`` of each referenced resource.

    ``project project Project``: the project's table of a resource a new
    foreign key points at, with ``?`` for a name planner could not read
    (a base's `__tablename__` it cannot follow); a resource with no table
    in the project is left out.
    """
    found: list[str] = []
    for ref in sorted(set(refs)):
        table = find_table(model, Names.guess(ref))
        if table is not None:
            found.append(f"{ref} {table.tablename or '?'} {table.name}")
    return ("ref_tables", ";".join(found))
