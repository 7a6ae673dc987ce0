"""The table a base's computed `__tablename__` gives a class, where it can be read.

A base that names its tables (`@declared_attr def __tablename__(cls)`)
usually derives the name from the class's: `cls.__name__.lower()`, a
snake-case helper of the project's, a plural `s`. Those few string steps are
followed here on the class's own name, without running any of the project's
code; any other step (a library's inflector, a setting, a branch on the
class) leaves the name unknown rather than guessed.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .astbits import dotted
from .shared import memo, parse_block

if TYPE_CHECKING:
    from .index import ProjectIndex

_DEPTH = 4
# A name longer than any class name: a loop that grows it is no transform.
_MAX = 200
_STR_METHODS: dict[str, Callable[..., object]] = {
    name: getattr(str, name)
    for name in (
        "lower",
        "upper",
        "casefold",
        "capitalize",
        "title",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "split",
        "join",
        "removeprefix",
        "removesuffix",
        "startswith",
        "endswith",
        "isupper",
        "islower",
        "isdigit",
        "isalpha",
    )
}
_RE_CALLS: dict[str, Callable[..., object]] = {
    "sub": re.sub,
    "split": re.split,
    "findall": re.findall,
}


class _UnreadError(Exception):
    """A step planner does not follow: the name is unknown."""


class Definitions(Protocol):
    """What a transform's names stand for, in the module that writes them."""

    def is_re(self, module: str, name: str) -> bool:
        """Whether `name` is the standard library's `re` in `module`."""
        ...

    def top_level(self, module: str, name: str) -> tuple[str, ast.stmt] | None:
        """The module and statement that define a top-level name."""
        ...


def computed_tablename(
    defs: Definitions, module: str, func: ast.FunctionDef, class_name: str
) -> str | None:
    """What `func`, a base's `__tablename__` in `module`, returns for `class_name`.

    None where a step of it is not a plain string transform of the name.
    """
    try:
        found = _Reader(defs, module, 0).call(func, [_ClassName(class_name)])
    except (_UnreadError, re.error, TypeError, ValueError, IndexError):
        return None
    return found if isinstance(found, str) and found else None


class _ClassName:
    """The class the name is computed for: only its `__name__` is read."""

    def __init__(self, name: str) -> None:
        self.name = name


class _Reader:
    """Follows the statements of one function of one module."""

    def __init__(self, defs: Definitions, module: str, depth: int) -> None:
        self.defs, self.module, self.depth = defs, module, depth

    def call(self, func: ast.FunctionDef, args: list[object]) -> object:
        params = [a.arg for a in (*func.args.posonlyargs, *func.args.args)]
        if len(params) != len(args) or func.args.vararg or func.args.kwonlyargs:
            raise _UnreadError
        env: dict[str, object] = dict(zip(params, args, strict=True))
        for stmt in func.body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # the docstring
            if isinstance(stmt, ast.Return) and stmt.value is not None:
                return self.value(stmt.value, env)
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                env[stmt.targets[0].id] = self.value(stmt.value, env)
                continue
            raise _UnreadError
        raise _UnreadError

    def value(self, node: ast.expr, env: dict[str, object]) -> object:  # noqa: C901 -- one case per kind of expression
        if isinstance(node, ast.Constant) and isinstance(
            node.value, str | int | bool | None
        ):
            return node.value
        if isinstance(node, ast.Name) and node.id in env:
            return env[node.id]
        if isinstance(node, ast.Attribute) and node.attr in (
            "__name__",
            "__qualname__",
        ):
            owner = self.value(node.value, env)
            if isinstance(owner, _ClassName):
                return owner.name
            raise _UnreadError
        if isinstance(node, ast.Call):
            return self._call(node, env)
        if isinstance(node, ast.List | ast.Tuple):
            return [self.value(e, env) for e in node.elts]
        if isinstance(node, ast.ListComp | ast.GeneratorExp):
            return self._comprehension(node, env)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(node.left, env), self.value(node.right, env)
            if isinstance(left, str) and isinstance(right, str):
                return _checked(left + right)
            raise _UnreadError
        if isinstance(node, ast.JoinedStr):
            return _checked("".join(self._formatted(v, env) for v in node.values))
        if isinstance(node, ast.IfExp):
            chosen = node.body if self.value(node.test, env) else node.orelse
            return self.value(chosen, env)
        if isinstance(node, ast.BoolOp):
            values = (self.value(v, env) for v in node.values)
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.value(node.operand, env)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return _compare(
                node.ops[0],
                self.value(node.left, env),
                self.value(node.comparators[0], env),
            )
        if isinstance(node, ast.Subscript):
            return self._subscript(node, env)
        raise _UnreadError

    def _formatted(self, part: ast.expr, env: dict[str, object]) -> str:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            return part.value
        if (
            isinstance(part, ast.FormattedValue)
            and part.conversion == -1
            and part.format_spec is None
        ):
            found = self.value(part.value, env)
            if isinstance(found, str):
                return found
        raise _UnreadError

    def _subscript(self, node: ast.Subscript, env: dict[str, object]) -> object:
        seq = self.value(node.value, env)
        if not isinstance(seq, str | list):
            raise _UnreadError
        if isinstance(node.slice, ast.Slice):
            if node.slice.step is not None:
                raise _UnreadError
            lower = self.value(node.slice.lower, env) if node.slice.lower else None
            upper = self.value(node.slice.upper, env) if node.slice.upper else None
            if not isinstance(lower, int | None) or not isinstance(upper, int | None):
                raise _UnreadError
            return seq[lower:upper]
        at = self.value(node.slice, env)
        if not isinstance(at, int):
            raise _UnreadError
        return seq[at]

    def _comprehension(
        self, node: ast.ListComp | ast.GeneratorExp, env: dict[str, object]
    ) -> list[object]:
        if len(node.generators) != 1 or node.generators[0].is_async:
            raise _UnreadError
        gen = node.generators[0]
        items = self._iterable(gen.iter, env)
        out: list[object] = []
        for item in items:
            inner = {**env, **_bind(gen.target, item)}
            if all(self.value(cond, inner) for cond in gen.ifs):
                out.append(self.value(node.elt, inner))
        return out

    def _iterable(self, node: ast.expr, env: dict[str, object]) -> list[object]:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "enumerate"
            and node.func.id not in env
            and len(node.args) == 1
            and not node.keywords
        ):
            return list(enumerate(self._iterable(node.args[0], env)))
        found = self.value(node, env)
        if not isinstance(found, str | list):
            raise _UnreadError
        return list(found)

    def _call(self, node: ast.Call, env: dict[str, object]) -> object:
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            raise _UnreadError
        if isinstance(node.func, ast.Attribute):
            name = dotted(node.func.value)
            fn = _RE_CALLS.get(node.func.attr)
            args = [self.value(a, env) for a in node.args]
            if name is not None and name not in env and not node.keywords:
                if self._imports_re(name):
                    if fn is None:
                        raise _UnreadError
                    return _checked(fn(*args))
                pattern = self._compiled(name) if "." not in name else None
                if pattern is not None:
                    if fn is None:
                        raise _UnreadError
                    return _checked(fn(pattern, *args))
            method = _STR_METHODS.get(node.func.attr)
            owner = self.value(node.func.value, env)
            if method is None or not isinstance(owner, str) or node.keywords:
                raise _UnreadError
            return _checked(method(owner, *args))
        if isinstance(node.func, ast.Name) and not node.keywords:
            return self._helper(node.func.id, [self.value(a, env) for a in node.args])
        raise _UnreadError

    def _imports_re(self, name: str) -> bool:
        """Whether `name` is the standard library's `re` in this module."""
        return self.defs.is_re(self.module, name)

    def _compiled(self, name: str) -> str | None:
        """The pattern of a module-level ``re.compile("...")`` named `name`."""
        found = self.defs.top_level(self.module, name)
        stmt = found[1] if found is not None else None
        if found is None or not isinstance(stmt, ast.Assign | ast.AnnAssign):
            return None
        where, value = found[0], stmt.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "compile"
            and len(value.args) == 1
            and not value.keywords
            and isinstance(value.args[0], ast.Constant)
            and isinstance(value.args[0].value, str)
            and self.defs.is_re(where, dotted(value.func.value) or "")
        ):
            return value.args[0].value
        raise _UnreadError

    def _helper(self, name: str, args: list[object]) -> object:
        """A call of one of the project's own functions, followed into its body."""
        found = self.defs.top_level(self.module, name)
        if self.depth >= _DEPTH or found is None:
            raise _UnreadError
        where, node = found
        if not isinstance(node, ast.FunctionDef):
            raise _UnreadError
        return _Reader(self.defs, where, self.depth + 1).call(node, args)


def statement_at(index: ProjectIndex, path: str, line: int) -> ast.stmt | None:
    """The top-level statement starting at `line` of a file, parsed alone.

    Only its own block is parsed, once per run, so that the model still
    parses each file whole once.
    """
    data = index.source(path)
    # One digest per file, however many statements are read from it.
    digest = memo("digest", path, lambda: hashlib.sha256(data).hexdigest())
    tree = memo("class", f"{digest}:{line}", lambda: parse_block(data, digest, line))
    return tree.body[0] if tree is not None and tree.body else None


def bound_value(
    index: ProjectIndex, module: str, name: str
) -> tuple[str, ast.expr] | None:
    """The module and value a top-level name is bound to (``X = value``)."""
    found = top_level(index, module, name)
    if found is None:
        return None
    stmt = found[1]
    if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
        return found[0], stmt.value
    return None


def top_level(
    index: ProjectIndex, module: str, name: str
) -> tuple[str, ast.stmt] | None:
    """The module and statement that define a top-level name (`def` or `=`).

    Followed through imports (`from pkg.naming import snake`). Read from the
    module's text: a helper module holding no route or table is not parsed
    with the project.
    """
    for _ in range(_DEPTH):
        summary = index.by_module.get(module)
        imports = summary.imports if summary is not None else ()
        target = next((i.target for i in imports if i.local == name), None)
        if target is None:
            break
        split = index.split_module(target)
        if split is None or len(split[1]) != 1:
            return None
        module, name = split[0], split[1][0]
    path = index.path_of.get(module, "")
    text = index.source(path).decode("utf-8", "replace")
    word = re.escape(name)
    line = re.search(
        rf"^(?:(?:async[ \t]+)?def[ \t]+{word}\b|{word}[ \t]*(?::[^=\n]*)?=[^=])",
        text,
        re.M,
    )
    if line is None:
        return None
    stmt = statement_at(index, path, text.count("\n", 0, line.start()) + 1)
    return (module, stmt) if stmt is not None else None


def _bind(target: ast.expr, item: object) -> dict[str, object]:
    if isinstance(target, ast.Name):
        return {target.id: item}
    if isinstance(target, ast.Tuple) and isinstance(item, tuple):
        if len(target.elts) != len(item):
            raise _UnreadError
        out: dict[str, object] = {}
        for t, v in zip(target.elts, item, strict=True):
            out.update(_bind(t, v))
        return out
    raise _UnreadError


def _compare(op: ast.cmpop, left: object, right: object) -> bool:
    if isinstance(op, ast.Eq):
        return left == right
    if isinstance(op, ast.NotEq):
        return left != right
    if isinstance(left, int) and isinstance(right, int):
        if isinstance(op, ast.Gt):
            return left > right
        if isinstance(op, ast.Lt):
            return left < right
    raise _UnreadError


def _checked(found: object) -> object:
    """A step's result, within the sizes a table name has."""
    if isinstance(found, str | list) and len(found) > _MAX:
        raise _UnreadError
    if isinstance(found, list) and not all(isinstance(x, str) for x in found):
        raise _UnreadError
    return found
