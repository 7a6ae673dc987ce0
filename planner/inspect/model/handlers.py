"""Where a route handler's work goes: the project modules its body calls into."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from typing import TypeVar
from weakref import WeakKeyDictionary

from .definers import definer
from .index import ProjectIndex
from .pagenames import paging_names
from .summary import RouteDef

# One table per index, gone with it (an id() key could name a later index).
_STEMS: WeakKeyDictionary[ProjectIndex, dict[str, list[str]]] = WeakKeyDictionary()


def _by_stem(index: ProjectIndex) -> dict[str, list[str]]:
    """Non-test module paths by their last name (one table per index)."""
    from .roles import is_test_path

    table = _STEMS.get(index)
    if table is None:
        table = _STEMS[index] = {}
        for mod, path in sorted(index.path_of.items()):
            if not is_test_path(path):
                table.setdefault(mod.rsplit(".", 1)[-1], []).append(path)
    return table


def _via_import(index: ProjectIndex, targets: dict[str, str], parts: list[str]) -> str:
    target = targets.get(parts[0])
    if target is None:
        return ""
    split = index.split_module(".".join([target, *parts[1:]]))
    return index.path_of[split[0]] if split is not None else ""


def _via_attribute(index: ProjectIndex, parts: list[str]) -> str:
    """``server.agent_manager.list(...)``: an attribute named like one module.

    Where several modules share the name (``routes/``, ``schemas/`` and
    ``repositories/browser_sessions.py``), the one defining the called
    function.
    """
    stems = _by_stem(index)
    for attr in reversed(parts[1:-1]):
        found = stems.get(attr, [])
        if len(found) > 1:
            found = [p for p in found if _defines(index, p, parts[-1])]
        if len(found) == 1:
            return found[0]
    return ""


# Every route asks of the same few modules and definitions: one answer per
# index, question and definition, gone with the index.
_ANSWERS: WeakKeyDictionary[ProjectIndex, dict[tuple[str, str, str], object]] = (
    WeakKeyDictionary()
)
T = TypeVar("T")


def _once(index: ProjectIndex, key: tuple[str, str, str], make: Callable[[], T]) -> T:
    table = _ANSWERS.setdefault(index, {})
    if key not in table:
        table[key] = make()
    found: T = table[key]  # type: ignore[assignment]
    return found


def _defines(index: ProjectIndex, path: str, name: str) -> bool:
    """Whether the module at ``path`` defines a function or method ``name``."""
    return _once(
        index,
        ("defines", path, name),
        lambda: f"def {name}(".encode() in index.source(path),
    )


def _imported(index: ProjectIndex, module: str) -> dict[str, str]:
    """What each name a module imports stands for (``local`` -> ``target``)."""
    return _once(
        index,
        ("imports", module, ""),
        lambda: {
            i.local: i.target
            for i in index.by_module[module].imports
            if i.local not in ("", "*")
        },
    )


def called_files(index: ProjectIndex, module: str, rd: RouteDef) -> tuple[str, ...]:
    """Project files (not the route's own) whose functions the handler calls."""
    return tuple(path for path, _ in called_functions(index, module, rd))


def called_functions(
    index: ProjectIndex, module: str, rd: RouteDef
) -> tuple[tuple[str, str], ...]:
    """Each project file the handler calls into, with the first function it calls.

    ``runs.list_user_runs(...)`` gives the service's file and
    ``list_user_runs``: plans name the function the handler really calls. A
    method of an object or class is named with it (``crud_users.get_multi``).
    """
    first: dict[str, str] = {}
    for path, label, _ in _calls(index, module, rd):
        first.setdefault(path, label)
    return tuple(first.items())


def inherited_functions(
    index: ProjectIndex, module: str, rd: RouteDef
) -> tuple[tuple[str, str], ...]:
    """The called methods written in another module than their object's.

    ``crud_users.get_multi()`` on ``crud_users = CRUDUser(User)``, a generic
    base's instance: the method, and the change to it, is the base's
    (``crud/crud_base.py``), shared by every resource built on it.
    """
    return tuple(
        (label, base) for path, label, base in _calls(index, module, rd) if base
    )


def _calls(
    index: ProjectIndex, module: str, rd: RouteDef
) -> tuple[tuple[str, str, str], ...]:
    """(file, function, base's file or "") of each project function a handler calls.

    In the order of the calls, each function once.
    """
    from .roles import is_test_path

    def make() -> tuple[tuple[str, str, str], ...]:
        own = index.path_of[module]
        targets = _imported(index, module)
        typed = {p.name: p.annotation for p in rd.params if p.annotation}
        out: dict[str, tuple[str, str]] = {}
        for callee in rd.calls:
            parts = callee.split(".")
            # ``crud_users.get_multi()``, ``rpc._rpc_delete()``: a method of an
            # object or class, written where its class (or a base) is.
            path, base = _via_object(index, module, targets, typed, parts)
            label = ".".join(parts) if path else parts[-1]
            if not path:
                path = _via_import(index, targets, parts)
            # ``app.DATABASE.sessions.list_x()``: the imported object's module
            # holds a container; the attribute names the module doing the work.
            if not path or (len(parts) > 2 and not _defines(index, path, parts[-1])):
                path = _via_attribute(index, parts) or path
            if path == own and base:
                path, base = base, ""  # an object of the route's own module
            if path and path != own and not is_test_path(path):
                out.setdefault(label, (path, "" if base == path else base))
        return tuple((p, label, base) for label, (p, base) in out.items())

    return _once(index, ("calls", module, f"{rd.function}:{rd.line}"), make)


def _top_names(index: ProjectIndex, module: str) -> frozenset[str]:
    """The names a module binds at its top level (one set per module)."""
    return _once(
        index,
        ("top-names", module, ""),
        lambda: frozenset(index.by_module[module].defined),
    )


def _via_object(
    index: ProjectIndex,
    module: str,
    targets: dict[str, str],
    typed: dict[str, str],
    parts: list[str],
) -> tuple[str, str]:
    """Where a method called on an object or class is reached, and written.

    The object is imported (``from app.crud.crud_users import crud_users``:
    reached in ``crud_users.py``, written in the base's module), a handler
    parameter typed with a project class (``rpc: RPC``: both where the
    class is, past a package's re-export), or bound at the top of the
    route's own module. A module (``runs.list_x()``) is no object: its
    function is found by the import alone. ("", "") where none applies.
    """
    if len(parts) != 2:
        return "", ""
    head, method = parts
    if head in targets:
        split = index.split_module(targets[head])
        if split is None or len(split[1]) != 1:
            return "", ""
        where, name = index.path_of[split[0]], split[1][0]
    elif head in typed:
        where, name = defined_at(index, module, typed[head])
    elif head in _top_names(index, module):
        where, name = index.path_of.get(module, ""), head
    else:
        return "", ""  # a local variable of the handler
    if not where or not name[:1].isalpha():
        return "", ""
    written = _once(
        index,
        ("definer", where, f"{name}.{method}"),
        lambda: definer(index, where, name, method),
    )
    if not written:
        return "", ""
    reached = where if head in targets else written
    return reached, written


# Packages whose import says a module talks to a database: ORMs and drivers.
_DATABASES = frozenset(
    {"sqlalchemy", "sqlmodel", "django", "tortoise", "peewee", "pony", "ormar"}
    | {"piccolo", "databases", "asyncpg", "psycopg", "psycopg2", "aiosqlite"}
    | {"sqlite3", "pymongo", "motor", "beanie", "odmantic", "mongoengine"}
    | {"edgedb", "prisma", "supabase"}
)


def reaches_data(index: ProjectIndex, path: str) -> bool:
    """Whether a file a handler calls into holds data access.

    A module named for the role (``services/``, ``crud.py``), or one named
    for none that imports an ORM or driver, or the project's table modules:
    Django adapters (``database/adapters/__init__.py``), an RPC object's
    module querying the tables. Routers, schemas and helpers of another role
    are not, whatever they import.
    """
    from .roles import role_of

    role = role_of(path)
    if role != "module":
        return role == "service"

    def make() -> bool:
        summary = index.by_module.get(index.module_of.get(path, ""))
        for imp in summary.imports if summary is not None else ():
            if imp.target.partition(".")[0] in _DATABASES:
                return True
            split = index.split_module(imp.target)
            if split is not None and role_of(index.path_of[split[0]]) == "model":
                return True
        return False

    return _once(index, ("reaches-data", path, ""), make)


def request_body(index: ProjectIndex, module: str, rd: RouteDef) -> str:
    """The project class a route takes as its JSON body (``ListRunsRequest``), or "".

    A parameter that is no dependency, annotated with a class the project
    defines and that is not an enumeration (a path or query value).
    """
    for p in rd.params:
        if p.depends or not p.annotation[:1].isupper():
            continue
        path, name = defined_at(index, module, p.annotation)
        if path and path in index.module_of and _is_body_class(index, path, name):
            return name
    return ""


_CLASS_HEAD = re.compile(rb"(?m)^class[ \t]+(\w+)\b[^\n]*")


def _is_body_class(index: ProjectIndex, path: str, name: str) -> bool:
    """Whether ``path`` defines the class ``name`` and it is no enumeration."""
    if name.isascii():
        # The head of each class, found in one pass over the file.
        heads = _once(
            index, ("class-heads", path, ""), lambda: _class_heads(index, path)
        )
        head = heads.get(name.encode())
    else:
        found = re.search(
            rb"(?m)^class[ \t]+" + re.escape(name.encode()) + rb"\b[^\n]*",
            index.source(path),
        )
        head = found.group(0) if found is not None else None
    return head is not None and b"Enum" not in head


def _class_heads(index: ProjectIndex, path: str) -> dict[bytes, bytes]:
    """The first ``class Name...`` line of each top-level class name of a file."""
    heads: dict[bytes, bytes] = {}
    for m in _CLASS_HEAD.finditer(index.source(path)):
        heads.setdefault(m.group(1), m.group(0))
    return heads


# A place to start, as a parameter or field is named for it: the cheap test
# before a block is parsed to read its names (``pagenames``).
_START = re.compile(
    rb"(?i)\b(?:offset|skip|start|page\w*|cursor|after|before|\w*after|\w*token)"
    rb"\s*:"
)


def paging_files(index: ProjectIndex, module: str, rd: RouteDef) -> tuple[str, ...]:
    """Project files holding the paging parameters a route takes through a dependency.

    ``filters: Filters = Depends(parse_filters(Payment))``: when the
    dependency's module (or its annotation's) declares a limit and an
    offset, page or cursor, the route is paged already and a plan extends
    that machinery instead of declaring a second set of parameters.
    """
    out: dict[str, None] = {}
    for p in rd.params:
        if not p.depends:
            continue
        for ref in (p.depends, p.annotation):
            path, name = defined_at(index, module, ref.removesuffix("()"))
            if path and _pages(index, path, name):
                out.setdefault(path, None)
    return tuple(out)


def documenting_files(
    index: ProjectIndex, module: str, rd: RouteDef
) -> tuple[str, ...]:
    """Project files whose functions document a paged route's query by hand.

    ``openapi_extra=generate_filter_params_openapi(Payment)`` beside
    ``Depends(parse_filters(Payment))``: the dependency reads the raw query,
    which FastAPI cannot document, so the project's function does; a change
    to the paging parameters changes it too. Only for routes paged through
    a dependency (:func:`paging_files`).
    """
    if not rd.documented or not paging_files(index, module, rd):
        return ()
    own = index.path_of.get(module, "")
    found = (defined_at(index, module, ref)[0] for ref in rd.documented)
    return tuple(dict.fromkeys(p for p in found if p and p != own))


def _pages(index: ProjectIndex, path: str, name: str) -> bool:
    """Whether the top-level function or class ``name`` of ``path`` takes paging.

    Through its fields, its ``__init__`` or ``__call__``, or a function it
    defines (``page_params(model)`` returning the dependency that takes
    ``limit`` and ``offset``); a service class whose methods take paging
    values is not itself a dependency that reads them.
    """

    def make() -> bool:
        data = index.source(path)
        if not _START.search(data):
            return False
        for block in (_block(data, "func", name), _block(data, "class", name)):
            if not _START.search(block):
                continue
            try:
                tree = ast.parse(block)
            except (SyntaxError, ValueError):
                continue
            if any(paging_names(node) is not None for node in _declaring(tree)):
                return True
        return False

    return _once(index, ("pages", path, name), make)


def _declaring(
    tree: ast.Module,
) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]:
    """The nodes of a block whose parameters or fields a dependency reads."""
    for top in tree.body:
        if isinstance(top, ast.ClassDef):
            yield top
            for stmt in top.body:
                if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    stmt.name in ("__init__", "__call__")
                ):
                    yield stmt
        elif isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from (
                n
                for n in ast.walk(top)
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            )


def defined_at(index: ProjectIndex, module: str, ref: str) -> tuple[str, str]:
    """The file and top-level name a plain or imported reference points to.

    Read from the import alone: the module named need not have been parsed.
    """
    head, _, rest = ref.partition(".")
    if not head or rest:
        return "", ""
    target = next(
        (i.target for i in index.by_module[module].imports if i.local == head), ""
    )
    if not target:
        return index.path_of.get(module, ""), head
    split = index.split_module(target)
    if split is None or len(split[1]) != 1:
        return "", ""
    return index.path_of.get(split[0], ""), split[1][0]


def _block(data: bytes, kind: str, name: str) -> bytes:
    """The source of a top-level function or class, up to the next top-level line."""
    head = {"func": rb"(?:async[ \t]+)?def", "class": rb"class"}.get(kind)
    if head is None or not name:
        return b""
    start = re.search(
        rb"(?m)^" + head + rb"[ \t]+" + re.escape(name.encode()) + rb"\b", data
    )
    if start is None:
        return b""
    end = re.compile(rb"(?m)^[^\s#)\]]").search(data, start.end())
    return data[start.start() : end.start() if end else len(data)]


_FIELD = re.compile(rb"(?m)^[ \t]+(\w+)[ \t]*:[ \t]*([^=\n#]+)")


def class_fields(
    index: ProjectIndex, path: str, name: str
) -> tuple[tuple[str, str], ...]:
    """The annotated fields of a top-level class, each with its type as written.

    Read from the class's source, so a class of a file planner did not parse
    (a schema module) is read too; fields of its methods are skipped by their
    deeper indentation.
    """

    def make() -> tuple[tuple[str, str], ...]:
        block = _block(index.source(path), "class", name)
        body = block.split(b"\n")[1:]
        indent = next(
            (
                len(b) - len(b.lstrip())
                for b in body
                if b.strip() and b.strip()[:1] != b"#"
            ),
            0,
        )
        out: list[tuple[str, str]] = []
        quoted = False
        for line in body:
            # A docstring's lines (``Args: ...``) are no fields.
            quoted ^= line.count(b'"""') % 2 == 1
            m = None if quoted else _FIELD.match(line)
            if m and len(line) - len(line.lstrip()) == indent:
                field = m.group(1).decode()
                if not field.startswith("_") and field != "model_config":
                    out.append((field, m.group(2).decode().strip()))
        return tuple(out)

    return _once(index, ("fields", path, name), make)
