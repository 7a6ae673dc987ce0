"""The project's table classes, and the one a resource's name points at."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .names import Names, words
from .records import ProjectModel, Resource, TableClass, TableNamer, Target

if TYPE_CHECKING:
    from .index import ProjectIndex


def table_classes(
    index: ProjectIndex,
) -> tuple[tuple[TableClass, ...], tuple[TableNamer, ...]]:
    """Every class mapped to a table outside the tests, in path order.

    With the bases that compute the names of those that write none.
    """
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


def exemplar_table(model: ProjectModel, ex: Resource) -> TableClass | None:
    """The table class of the resource a plan follows, if planner found it."""
    return find_table(model, Names.guess(ex.plural)) or next(
        (t for t in model.tables if (t.tablename or t.name) in ex.tables), None
    )


def base_named_table(
    model: ProjectModel, followed: TableClass | None, class_name: str
) -> tuple[str, str] | None:
    """The table a base of the project's would name a new class, and that base.

    Where the followed table (else most of the project's) writes no
    `__tablename__` and takes the one its base computes
    (`cls.__name__.lower()`, a snake-case helper), the new class does the
    same: ``("email_template", "app.db.CustomBase")``. The name is "" where
    planner cannot follow the base's code; None where the tables write their
    own names.
    """
    from .tablenamer import name_by

    if followed is not None:
        key = followed.named_by
    else:
        keys = Counter(t.named_by for t in model.tables)
        key, count = max(keys.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))
        key = key if count * 2 > len(model.tables) else ""
    namer = next((n for n in model.table_namers if n.key == key), None)
    if not key or namer is None:
        return None
    return name_by(namer, class_name), key


def new_table_slots(
    model: ProjectModel,
    files: Mapping[str, Target],
    new: Names,
    base_named: tuple[str, str] | None,
) -> tuple[tuple[str, str], ...]:
    """``table_name``: a new table named as the project's own name themselves.

    Only where no base of the project computes the name and the table is
    not the project's already; with ``table_name_why``, the line saying so.
    """
    from .tablestyle import new_table_name

    if base_named is not None or find_table(model, new) is not None:
        return ()
    table_file = min(
        (t.path for t in files.values() if t.role == "model"), default=None
    )
    found = new_table_name(model.conventions, table_file, new)
    return (("table_name", found[0]), ("table_name_why", found[1])) if found else ()
