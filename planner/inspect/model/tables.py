"""The project's table classes, and the one a resource's name points at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import Names, words
from .records import ProjectModel, Resource, TableClass

if TYPE_CHECKING:
    from .index import ProjectIndex


def table_classes(index: ProjectIndex) -> tuple[TableClass, ...]:
    """Every class mapped to a table outside the tests, in path order."""
    # Imported here: a model read back from its cache reads no class.
    from .tableread import read_tables

    return read_tables(index)


def with_id_makers(
    index: ProjectIndex, resources: tuple[Resource, ...]
) -> tuple[Resource, ...]:
    """Resources with string path ids, with the code that makes those ids."""
    from .tableread import read_id_makers

    return read_id_makers(index, resources)


def find_table(model: ProjectModel, names: Names) -> TableClass | None:
    """The table class of a resource: by class name, else by table name.

    ``Identity`` or ``__tablename__ = "identities"`` for ``identity``; a
    table-wide prefix (``fief_identities``) is stepped over.
    """
    single = "".join(w.title() for w in names.singular)
    spelled = (names.singular, names.plural)
    for t in model.tables:
        if t.name == single:
            return t
    split = {t: words(t.tablename) for t in model.tables if t.tablename}
    heads = {w[0] for w in split.values() if w}
    strip = 1 if len(split) > 1 and len(heads) == 1 else 0
    for t, w in split.items():
        if w[strip:] in spelled:
            return t
    return None
