"""How the project's table classes are declared: their bases, columns and ids."""

from __future__ import annotations

import ast
import dataclasses
import re
from typing import TYPE_CHECKING

from .astbits import dotted
from .foreignkeys import foreign_keys
from .records import (
    IdColumn,
    IdMaker,
    Resource,
    TableBase,
    TableClass,
    TableNamer,
)
from .roles import is_test_path
from .tablename import bound_value, statement_at
from .tablenamer import keep_namer, name_by

if TYPE_CHECKING:
    from .index import Entity, ProjectIndex

# Roots of a declarative hierarchy: they declare no column of their own. A
# `Base` planner cannot resolve is the `declarative_base()` result.
_ROOTS = frozenset(
    {
        "ABC",
        "AsyncAttrs",
        "Base",
        "BaseModel",
        "DeclarativeBase",
        "DeclarativeBaseNoMeta",
        "Generic",
        "MappedAsDataclass",
        "Model",
        "SQLModel",
        "object",
    }
)
# Calls that declare a column when assigned in a class body.
_COLUMN_CALLS = frozenset({"Column", "mapped_column", "Field", "deferred"})
# Keywords of a column call that make its value when a row is inserted.
_MAKERS = ("default_factory", "default", "server_default")
# Names in code that makes an id (`uuid_string()`, `generate_id_field()`).
_ID_WORDS = ("uuid", "ulid", "nanoid", "generate", "new_id", "make_id")
_DEPTH = 8


def read_tables(
    index: ProjectIndex,
) -> tuple[tuple[TableClass, ...], tuple[TableNamer, ...]]:
    """Every class mapped to a table outside the tests, in path order.

    With the bases that compute the names of those that write none.
    """
    out: list[TableClass] = []
    namers: dict[str, TableNamer] = {}
    # Only a project with a base that names its tables has classes to check
    # through their bases; most have none, and resolving every class's
    # bases would cost more than the rest of this reading.
    naming = any(
        c.names_tables for summary in index.by_module.values() for c in summary.classes
    )
    for path in sorted(index.module_of):
        if is_test_path(path):
            continue
        module = index.module_of[path]
        summary = index.by_module.get(module)
        if summary is None:
            continue
        for c in summary.classes:
            namer = (
                _table_namer(index, module, c.bases)
                if naming and c.fields and not c.is_table
                else None
            )
            if c.is_table or namer is not None:
                columns = tuple(f.name for f in c.fields)
                node = class_node(index, module, c.name)
                bases = _bases(index, module, node) if node is not None else ()
                tablename, named_by = c.tablename or "", ""
                if namer is not None and not tablename:
                    named_by = f"{namer.module}.{namer.name}"
                    if named_by not in namers:
                        namers[named_by] = _kept(index, namer)
                    tablename = name_by(namers[named_by], c.name)
                out.append(
                    TableClass(
                        c.name,
                        tablename,
                        path,
                        c.line,
                        columns,
                        bases,
                        _id_column(index, module, node, 0),
                        _primary_key(node),
                        named_by,
                        foreign_keys(node),
                    )
                )
    return tuple(out), tuple(namers[k] for k in sorted(namers))


def _table_namer(
    index: ProjectIndex, module: str, bases: tuple[str, ...], depth: int = 0
) -> Entity | None:
    """The base class, or one of its own, that computes `__tablename__`.

    The first in the order Python looks up attributes (left to right, depth
    first). A base bound to `declarative_base(cls=CustomBase)` derives from
    `CustomBase`.
    """
    if depth > _DEPTH:
        return None
    for base in bases:
        found = index.resolve(module, "", base)
        classes = [e for e in found if e.kind == "class"]
        if not classes:
            classes = _factory_bases(index, module, base)
        for ent in classes:
            info = index.class_info(ent)
            if info is None:
                continue
            if info.names_tables:
                return ent
            namer = _table_namer(index, ent.module, info.bases, depth + 1)
            if namer is not None:
                return namer
    return None


# The calls that make a declarative base class from `cls=` classes.
_FACTORIES = frozenset({"declarative_base", "generate_base"})


def _factory_bases(index: ProjectIndex, module: str, name: str) -> list[Entity]:
    """The `cls=` classes of a base bound to ``declarative_base(cls=...)``."""
    found = bound_value(index, module, name) if "." not in name else None
    call = found[1] if found is not None else None
    if (
        found is None
        or not isinstance(call, ast.Call)
        or (dotted(call.func) or "").rsplit(".", 1)[-1] not in _FACTORIES
    ):
        return []
    given = next((k.value for k in call.keywords if k.arg == "cls"), None)
    named = given.elts if isinstance(given, ast.Tuple) else [given] if given else []
    return [
        ent
        for n in named
        if (ref := dotted(n)) is not None
        for ent in index.resolve(found[0], "", ref)
        if ent.kind == "class"
    ]


def _kept(index: ProjectIndex, namer: Entity) -> TableNamer:
    """A base's `__tablename__`, kept with what it uses to name any class."""
    node = class_node(index, namer.module, namer.name)
    func = next(
        (
            stmt
            for stmt in (node.body if node is not None else ())
            if isinstance(stmt, ast.FunctionDef) and stmt.name == "__tablename__"
        ),
        None,
    )
    return keep_namer(index, f"{namer.module}.{namer.name}", namer.module, func)


def class_node(index: ProjectIndex, module: str, name: str) -> ast.ClassDef | None:
    """A top-level class's statement, parsed alone (its file was parsed before)."""
    summary = index.by_module.get(module)
    classes = summary.classes if summary is not None else ()
    info = next((c for c in classes if c.name == name), None)
    path = index.path_of.get(module)
    if info is None or path is None:
        return None
    found = statement_at(index, path, info.line)
    # A class defined under an `if` (`if config.AUTH_TYPE == ...:`) is
    # parsed alone inside `if 1:`.
    if isinstance(found, ast.If) and found.body:
        found = found.body[0]
    return found if isinstance(found, ast.ClassDef) and found.name == name else None


def resolve_class(index: ProjectIndex, module: str, base: ast.expr) -> Entity | None:
    """The project class a base expression written in a module names, if any."""
    name = dotted(base)
    if name is None:
        return None
    found = index.resolve(module, "", name)
    return next((e for e in found if e.kind == "class"), None)


def _bases(
    index: ProjectIndex, module: str, node: ast.ClassDef
) -> tuple[TableBase, ...]:
    """The classes a table class derives from, with the columns each gives."""
    out: list[TableBase] = []
    for base in node.bases:
        name = dotted(base) or ast.unparse(base)
        ent = resolve_class(index, module, base)
        if ent is None:
            where = _imported(index, module, name).rpartition(".")[0]
            out.append(TableBase(name, where, "", (), _is_root(index, module, name)))
            continue
        cols, known = _declared(index, ent.module, ent.name, 0)
        path = index.path_of.get(ent.module, "")
        out.append(TableBase(name, ent.module, path, cols, known))
    return tuple(out)


def _declared(
    index: ProjectIndex, module: str, name: str, depth: int
) -> tuple[tuple[str, ...], bool]:
    """The columns a project class and its bases declare, and whether all were read."""
    node = class_node(index, module, name)
    if node is None or depth > _DEPTH:
        return (), False
    fields = _annotations_are_fields(node)
    names = [n for stmt in node.body if (n := _column_name(stmt, fields)) is not None]
    known = True
    for base in node.bases:
        ent = resolve_class(index, module, base)
        if ent is None:
            known = known and _is_root(index, module, dotted(base) or "")
            continue
        more, seen = _declared(index, ent.module, ent.name, depth + 1)
        names.extend(more)
        known = known and seen
    return tuple(dict.fromkeys(names)), known


def _is_root(index: ProjectIndex, module: str, name: str) -> bool:
    """Whether a base that is no project class is a declarative root.

    A root declares no column: the ORM's own (``DeclarativeBase``,
    ``SQLModel``), or a project name bound to ``declarative_base(...)``.
    """
    if name.rsplit(".", 1)[-1] in _ROOTS:
        return True
    split = index.split_module(_imported(index, module, name))
    if split is None or len(split[1]) != 1:
        return False
    text = index.source(index.path_of.get(split[0], "")).decode("utf-8", "replace")
    bound = re.search(rf"^{re.escape(split[1][0])}\s*=\s*([\w.]+)\(", text, re.M)
    return bound is not None and bound[1].endswith("declarative_base")


def _imported(index: ProjectIndex, module: str, name: str) -> str:
    """The absolute dotted name a name written in a module stands for."""
    head, _, rest = name.partition(".")
    summary = index.by_module.get(module)
    imports = summary.imports if summary is not None else ()
    target = next((i.target for i in imports if i.local == head), f"{module}.{head}")
    return f"{target}.{rest}" if rest else target


def _annotations_are_fields(node: ast.ClassDef) -> bool:
    """Whether a bare annotation declares a column: in a SQLModel class it does.

    In a declarative class only ``Mapped[...]`` does: ``id: Any`` on a
    base class is a hint for type checkers.
    """
    return any(k.arg == "table" for k in node.keywords) or any(
        (dotted(b) or "").rsplit(".", 1)[-1] == "SQLModel" for b in node.bases
    )


def _column_name(stmt: ast.stmt, fields: bool = True) -> str | None:
    """The attribute a class-body statement declares as a column, if it does.

    An annotated attribute (``Mapped[str]``, a SQLModel field where
    ``fields``) or one assigned a column (``Column(...)``,
    ``mapped_column(...)``, ``Field(...)``); not a relationship, nor the
    base's own settings (``metadata = MetaData()``).
    """
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        target, value = stmt.target.id, stmt.value
        hint = ast.unparse(stmt.annotation)
        if "ClassVar" in hint or (
            value is None and not fields and "Mapped" not in hint
        ):
            return None
    elif (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
        and (dotted(stmt.value.func) or "").rsplit(".", 1)[-1] in _COLUMN_CALLS
    ):
        target, value = stmt.targets[0].id, stmt.value
    else:
        return None
    if target.startswith("__") or target == "model_config":
        return None
    if isinstance(value, ast.Call) and (dotted(value.func) or "").endswith(
        ("relationship", "Relationship", "association_proxy", "column_property")
    ):
        return None
    return target


def _primary_key(node: ast.ClassDef | None) -> str:
    """The column its own body declares `primary_key=True`, when not `id`."""
    for stmt in node.body if node is not None else ():
        value = stmt.value if isinstance(stmt, ast.AnnAssign | ast.Assign) else None
        name = _column_name(stmt)
        if not isinstance(value, ast.Call) or name is None or name == "id":
            continue
        if any(
            k.arg == "primary_key"
            and isinstance(k.value, ast.Constant)
            and k.value.value is True
            for k in value.keywords
        ):
            return name
    return ""


def _id_column(
    index: ProjectIndex, module: str, node: ast.ClassDef | None, depth: int
) -> IdColumn | None:
    """How the ``id`` of a class is declared: in its body, else in a base's."""
    if node is None or depth > _DEPTH:
        return None
    fields = _annotations_are_fields(node)
    for stmt in node.body:
        if _column_name(stmt, fields) == "id":
            return _id_of(stmt, node.name, index.path_of.get(module, ""))
    for base in node.bases:
        ent = resolve_class(index, module, base)
        if ent is not None:
            inner = class_node(index, ent.module, ent.name)
            found = _id_column(index, ent.module, inner, depth + 1)
            if found is not None:
                return found
    return None


def _id_of(stmt: ast.stmt, owner: str, file: str) -> IdColumn:
    value = stmt.value if isinstance(stmt, ast.AnnAssign | ast.Assign) else None
    kind = ""
    if isinstance(stmt, ast.AnnAssign):
        kind = _type_word(stmt.annotation)
    calls = [n for n in ast.walk(value) if isinstance(n, ast.Call)] if value else []
    if not kind:
        kind = next((w for c in calls for w in _first_type(c) if w), "")
    maker = next(
        (
            IdMaker(f"{k.arg}={ast.unparse(k.value)}", file, stmt.lineno)
            for c in calls
            for k in c.keywords
            if k.arg in _MAKERS
        ),
        None,
    )
    return IdColumn(kind, owner, maker)


def _type_word(node: ast.expr) -> str:
    """``str`` of ``Mapped[str]``, ``Optional[str]`` or ``str | None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return ""
    if isinstance(node, ast.Subscript):
        return _type_word(node.slice)
    if isinstance(node, ast.BinOp):
        left = _type_word(node.left)
        return left if left != "None" else _type_word(node.right)
    name = dotted(node) or ""
    return name.rsplit(".", 1)[-1].removesuffix("()")


def _first_type(call: ast.Call) -> tuple[str, ...]:
    """The column type a ``Column(String, ...)`` call names first."""
    return tuple(_type_word(a) for a in call.args[:1])


def read_id_makers(
    index: ProjectIndex, resources: tuple[Resource, ...]
) -> tuple[Resource, ...]:
    """Resources with string path ids, with the code that makes those ids.

    The id of a string-keyed resource is made by its code, not its table,
    in some projects: a service assigning ``board_id = uuid_string()``, a
    schema declaring ``id: str = Base.generate_id_field()``.
    """
    return tuple(
        res if (res.id_type or "").rsplit(".", 1)[-1] != "str" else _made(index, res)
        for res in resources
    )


def _made(index: ProjectIndex, res: Resource) -> Resource:
    names = "|".join(re.escape(n) for n in ("id", f"{res.singular}_id"))
    # Read from the source's lines: each file is parsed whole once, elsewhere.
    pattern = re.compile(rf"^\s*(?:{names})\s*(?::[^=]+)?=\s*(\S.*?)\s*(?:#.*)?$")
    for f in res.files:
        if not f.own or is_test_path(f.path):
            continue
        text = index.source(f.path).decode("utf-8", "replace")
        for number, line in enumerate(text.splitlines(), 1):
            found = pattern.match(line)
            if found is not None and _makes_id(found[1]):
                maker = IdMaker(found[1], f.path, number)
                return dataclasses.replace(res, id_made=maker)
    return res


def _makes_id(value: str) -> bool:
    """Whether an expression makes an id (``uuid_string()``), whole on its line."""
    if value.count("(") != value.count(")") or value.endswith((",", "\\")):
        return False
    lowered = value.lower()
    return "(" in value and any(w in lowered for w in _ID_WORDS)
