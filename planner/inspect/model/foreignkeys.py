"""The foreign keys a table class declares in its own body."""

from __future__ import annotations

import ast

from .astbits import dotted


def foreign_keys(node: ast.ClassDef | None) -> tuple[tuple[str, str, bool], ...]:
    """Each column of the body that points at another table: name, key, owned.

    The key as written: ``user.id`` (``ForeignKey("user.id")``, SQLModel's
    ``Field(foreign_key="user.id")``) or ``User.id`` (a class attribute).
    A column is owned by the row it points at where it may not be null, or
    its rows go with that row (``ondelete="CASCADE"``): an author's
    ``created_by_id``, set null when the user goes, is not.
    """
    out: list[tuple[str, str, bool]] = []
    for stmt in node.body if node is not None else ():
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            column, value = stmt.target.id, stmt.value
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            column, value = stmt.targets[0].id, stmt.value
        else:
            continue
        found = _key(value) if isinstance(value, ast.Call) else None
        if found is not None and isinstance(value, ast.Call):
            key, options = found
            out.append((column, key, _owned(stmt, value, options)))
    return tuple(out)


def _key(call: ast.Call) -> tuple[str, ast.Call] | None:
    """The key a column call points at, and the call that says how, if any.

    `ForeignKey(...)` is an argument of the column call itself
    (`Column(Integer, ForeignKey(...))`, `mapped_column(ForeignKey(...))`),
    SQLModel's `foreign_key=` a keyword of `Field(...)`.
    """
    for arg in call.args:
        if (
            isinstance(arg, ast.Call)
            and (dotted(arg.func) or "").rsplit(".", 1)[-1] == "ForeignKey"
            and arg.args
        ):
            key = _written(arg.args[0])
            return (key, arg) if key else None
    for kw in call.keywords:
        if kw.arg == "foreign_key":
            key = _written(kw.value)
            return (key, call) if key else None
    return None


def _written(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return dotted(node) or ""


def _owned(stmt: ast.stmt, column: ast.Call, key: ast.Call) -> bool:
    """Whether the column may not be null, or is deleted with what it names."""
    ondelete = next((k.value for k in key.keywords if k.arg == "ondelete"), None)
    if isinstance(ondelete, ast.Constant) and str(ondelete.value).upper() == "CASCADE":
        return True
    nullable = next((k.value for k in column.keywords if k.arg == "nullable"), None)
    if isinstance(nullable, ast.Constant):
        return nullable.value is False
    # `Mapped[UUID]` and SQLModel's `UUID` are not null; `Column(...)` is.
    if isinstance(stmt, ast.AnnAssign):
        hint = ast.unparse(stmt.annotation)
        return "Optional" not in hint and "None" not in hint
    return False
