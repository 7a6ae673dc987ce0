"""How the project names its tables: a prefix, and the class's name in which number.

Measured over the tables that write their own ``__tablename__``: each says
whether its name is its class's alone (``tier`` of ``Tier``), the class's
after the name of a folder its module sits in (``system_tier`` in
``apps/system/tiers/models.py``), or after a prefix every table shares
(``fief_identities``); and whether the class's name is in the singular or
the plural. A new table is named the way most of them are.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable

from .names import Names, words
from .records import TableClass, Vote

PREFIX = "table_prefix"
NUMBER = "table_number"

# Words a class name ends with that say what it is, not which table
# (``UserModel`` of ``users``).
_ROLE_WORDS = frozenset({"model", "table", "orm", "db", "entity", "record", "row"})
# How far up from a table's module a folder naming its group is looked for:
# 0 is the module's own name (``models/blog.py``), 1 its folder, and so on.
_DEPTH = 3
_NONE = "none"
_OTHER = "other"
_FOLDER = "folder "
_CONSTANT = "prefix "


def table_votes(tables: Iterable[TableClass]) -> tuple[Vote, ...]:
    """The ``table_prefix`` and ``table_number`` votes over the explicit names."""
    prefixes: Counter[str] = Counter()
    numbers: Counter[str] = Counter()
    groups: dict[str, set[str]] = {}
    for t in tables:
        if not t.tablename or t.named_by:
            continue
        prefix, number = _read(t)
        prefixes[prefix] += 1
        if number:
            numbers[number] += 1
        if prefix.startswith(_FOLDER):
            groups.setdefault(prefix, set()).add(_prefix_of(t, prefix))
    if not prefixes:
        return ()
    # Tables all in one folder say no more than that they share its name:
    # `folder 1 auth` applies to a new table in that folder only.
    for value, seen in groups.items():
        if len(seen) == 1:
            prefixes[f"{value} {min(seen)}"] = prefixes.pop(value)
    return (
        Vote(
            PREFIX,
            tuple(sorted(prefixes.items())),
            "over the tables that write `__tablename__`: their class's name alone, "
            "after a folder of their module (`folder 2`: the folder two up), after a "
            "prefix they share, or other",
            lead=2,
        ),
        Vote(
            NUMBER,
            tuple(sorted(numbers.items())),
            "the number of the class's name in the table's, where the two differ",
            lead=2,
        ),
    )


def _read(t: TableClass) -> tuple[str, str]:
    """What one table's name is made of: its prefix's kind, and its number."""
    table = words(t.tablename)
    own = _class_words(t.name)
    names = Names.guess("_".join(own))
    for form, number in ((names.singular, "singular"), (names.plural, "plural")):
        if form and len(table) >= len(form) and table[len(table) - len(form) :] == form:
            if names.singular == names.plural:
                number = ""
            head = table[: len(table) - len(form)]
            if not head:
                return _NONE, number
            folder = _folder_of(t.file, head)
            return (folder or _CONSTANT + "_".join(head)), number
    # A name of its own after its group's (``system_task_meta`` of ``Task``).
    for k in range(_DEPTH + 1):
        group = _group(t.file, k)
        if group and len(table) > len(group) and table[: len(group)] == group:
            return f"{_FOLDER}{k}", ""
    return _OTHER, ""


def _prefix_of(t: TableClass, rule: str) -> str:
    """The group name a ``folder K`` table is named after (``system``)."""
    return "_".join(_group(t.file, int(rule.removeprefix(_FOLDER))))


def _class_words(name: str) -> tuple[str, ...]:
    found = words(name)
    while len(found) > 1 and found[-1] in _ROLE_WORDS:
        found = found[:-1]
    return found


def _folder_of(path: str, head: tuple[str, ...]) -> str:
    """``folder K`` where the K-th folder up from ``path`` spells ``head``."""
    for k in range(_DEPTH + 1):
        if _group(path, k) == head:
            return f"{_FOLDER}{k}"
    return ""


def _group(path: str, k: int) -> tuple[str, ...]:
    """The words of the folder ``k`` up from a module (0: the module's own name)."""
    parts = path.removesuffix(".py").split("/")
    if k == 0 and parts[-1] == "__init__":
        return ()
    at = len(parts) - 1 - k
    return words(parts[at]) if at >= 0 else ()


def new_table_name(
    votes: Iterable[Vote], table_file: str | None, new: Names
) -> tuple[str, str] | None:
    """The new table's name as the project names its tables, and a line saying so.

    None where the project's habit is the spec's plural alone, where it has
    none, or where the folder its prefix comes from is not in the new
    table's path.
    """
    found = {v.name: v for v in votes if v.name in (PREFIX, NUMBER)}
    prefix = found[PREFIX] if PREFIX in found else Vote(PREFIX, ())
    rule = _habit(prefix)
    number = _habit(found[NUMBER]) if NUMBER in found else ""
    stem = new.singular if number == "singular" else new.plural
    head: tuple[str, ...] = ()
    where = other = ""
    if rule.startswith(_FOLDER) and table_file:
        k_text, _, only = rule.removeprefix(_FOLDER).partition(" ")
        k = int(k_text)
        head = _group(table_file, k)
        if not head:
            return None
        if only and "_".join(head) != only:
            # A prefix seen in one folder only is that folder's, not a habit.
            head, other = (), only
        else:
            where = _folder_path(table_file, k)
    elif rule.startswith(_CONSTANT):
        head = tuple(rule.removeprefix(_CONSTANT).split("_"))
    if not head and number != "singular":
        return None
    name = "_".join((*head, *stem))
    group = "_".join(head)
    parts = [
        _share(prefix, rule, f"`{group}`, the group its module is in", f"`{where}`; ")
        if where
        else _share(prefix, rule, f"`{group}`, the prefix they share")
        if head
        else "",
        _share(found[NUMBER], number, "the class's name in the singular")
        if number == "singular"
        else "the class's name in the plural",
    ]
    line = ", then ".join(p for p in parts if p)
    if other:
        line += (
            f"; their prefix `{other}_` is the name of the one folder they are "
            "in, not this table's"
        )
    return name, f"Table `{name}`, as the project names its tables: {line}."


def _folder_path(path: str, k: int) -> str:
    """``apps/system/`` of ``apps/system/tiers/models.py`` for 2; the module for 0."""
    if k == 0:
        return path
    where = path.removesuffix(".py")
    for _ in range(k):
        where = posixpath.dirname(where)
    return where + "/"


def _habit(vote: Vote) -> str:
    """The vote's winner where two tables or more keep it: one is no habit."""
    winner = vote.winner or ""
    return winner if dict(vote.counts).get(winner, 0) >= 2 else ""


def _share(vote: Vote, value: str, text: str, inside: str = "") -> str:
    """``text (7 of 9 tables)``: a habit with how many tables keep it."""
    total = sum(n for _, n in vote.counts)
    return f"{text} ({inside}{dict(vote.counts).get(value, 0)} of {total} tables)"
