"""Read one Python module's syntax tree for FastAPI facts; never imports it."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from planner.inspect.model.astbits import BLOCK_STATEMENTS

SECURITY_SCHEMES = frozenset({
    "OAuth2PasswordBearer", "OAuth2AuthorizationCodeBearer", "OAuth2",
    "OpenIdConnect", "APIKeyHeader", "APIKeyQuery", "APIKeyCookie",
    "HTTPBearer", "HTTPBasic", "HTTPDigest",
})  # fmt: skip
HTTP_VERBS = frozenset({
    "get", "post", "put", "patch", "delete", "head", "options", "api_route",
})  # fmt: skip
_ORM_COLUMNS = frozenset({"Column", "mapped_column", "relationship"})
_PAGE_CLASS = re.compile(r"(\w*Page|Paginated\w*|\w*Pagination\w*)")


@dataclass(frozen=True, slots=True)
class ImportRef:
    """Where a local name comes from: `from <level dots><module> import <attr>`."""

    module: str
    level: int
    attr: str | None


@dataclass(frozen=True, slots=True)
class Include:
    """An `include_router` call."""

    target: str
    router: str
    root: str | None
    prefix: str | None
    prefix_source: str | None
    line: int


@dataclass(frozen=True, slots=True)
class RouterDef:
    """An `APIRouter(...)` assignment."""

    variable: str
    line: int
    prefix: str | None


@dataclass(frozen=True, slots=True)
class FuncDef:
    """A module-level function."""

    name: str
    line: int
    is_async: bool
    returns: str
    decorators: tuple[str, ...]
    # The name pytest knows a fixture by where its decorator gives one
    # (`@pytest.fixture(name="client")` on `def fixture_client`), else "".
    fixture: str = ""


@dataclass(frozen=True, slots=True)
class AliasDef:
    """A module-level `X = Annotated[T, Depends(f)]`."""

    name: str
    line: int
    type_text: str
    depends: str | None


@dataclass(frozen=True, slots=True)
class SettingsDef:
    """A `BaseSettings` subclass and its string-valued fields."""

    name: str
    line: int
    values: tuple[tuple[str, str], ...]


@dataclass(slots=True)
class ModuleScan:
    """What one module defines and uses."""

    path: str
    imports: dict[str, ImportRef] = field(default_factory=dict)
    apps: list[tuple[str, int]] = field(default_factory=list)
    route_owners: list[str] = field(default_factory=list)
    routers: list[RouterDef] = field(default_factory=list)
    class_based: bool = False
    includes: list[Include] = field(default_factory=list)
    functions: list[FuncDef] = field(default_factory=list)
    aliases: list[AliasDef] = field(default_factory=list)
    schemes: list[tuple[str, str, int]] = field(default_factory=list)
    table_classes: list[str] = field(default_factory=list)
    sqlmodel_tables: bool = False
    base_kind: str | None = None
    settings: list[SettingsDef] = field(default_factory=list)
    engine_async: bool = False
    engine_sync: bool = False
    pagination_helpers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def app_routes(self) -> int:
        """How many path operations are declared directly on a FastAPI app."""
        apps = {name for name, _ in self.apps}
        return sum(owner in apps for owner in self.route_owners)


def mentions(text: bytes, name: str) -> bool:
    """Whether source bytes use `name` (an identifier) as a whole word.

    As a regular expression with word boundaries would, without compiling
    a pattern per name.
    """
    word = name.encode()
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if not _word_byte(text[start - 1 : start]) and not _word_byte(
            text[end : end + 1]
        ):
            return True
        start = text.find(word, start + 1)
    return False


def _word_byte(char: bytes) -> bool:
    return char.isalnum() or char == b"_"


def dotted(node: ast.expr) -> str | None:
    """Return `a.b.c` for a name or attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _tail(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == name:
            return item.value
    return None


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _on_import(scan: ModuleScan, node: ast.AST) -> None:
    if isinstance(node, ast.ImportFrom):
        for alias in node.names:
            ref = ImportRef(node.module or "", node.level, alias.name)
            scan.imports[alias.asname or alias.name] = ref
    elif isinstance(node, ast.Import):
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            module = alias.name if alias.asname else local
            scan.imports[local] = ImportRef(module, 0, None)


def _on_assigned_call(scan: ModuleScan, target: str, call: ast.Call) -> None:
    kind = _tail(call.func)
    if kind == "FastAPI":
        scan.apps.append((target, call.lineno))
    elif kind == "APIRouter":
        prefix = _string(_keyword(call, "prefix"))
        scan.routers.append(RouterDef(target, call.lineno, prefix))
        scan.class_based |= target.startswith("self.")
    elif kind in SECURITY_SCHEMES:
        scan.schemes.append((kind, target, call.lineno))


def _on_assign(scan: ModuleScan, node: ast.AST) -> None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target, value = node.targets[0], node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        target, value = node.target, node.value
    else:
        return
    name = dotted(target)
    if name is not None and isinstance(value, ast.Call):
        _on_assigned_call(scan, name, value)


def _on_call(scan: ModuleScan, node: ast.Call) -> None:
    kind = _tail(node.func)
    if kind == "include_router" and isinstance(node.func, ast.Attribute):
        _on_include(scan, node, node.func)
    elif kind in {"create_async_engine", "async_sessionmaker"}:
        scan.engine_async = True
    elif kind in {"create_engine", "sessionmaker"}:
        # `create_engine(url, strategy=ASYNCIO_STRATEGY)` (sqlalchemy_aio)
        # makes an engine awaited like an async one.
        strategy = next((k.value for k in node.keywords if k.arg == "strategy"), None)
        written = (
            str(strategy.value)
            if isinstance(strategy, ast.Constant)
            else dotted(strategy) or ""
            if strategy is not None
            else ""
        )
        if "asyncio" in written.lower():
            scan.engine_async = True
        else:
            scan.engine_sync = True
    elif kind == "declarative_base":
        scan.base_kind = "declarative_base"
    elif kind == "add_api_route" and _root_name(node.func) == "self":
        scan.class_based = True


def _on_include(scan: ModuleScan, node: ast.Call, func: ast.Attribute) -> None:
    router = node.args[0] if node.args else _keyword(node, "router")
    if router is None:
        return
    prefix = _keyword(node, "prefix")
    scan.includes.append(
        Include(
            target=ast.unparse(func.value),
            router=ast.unparse(router),
            root=_root_name(router),
            prefix=_string(prefix),
            prefix_source=None if prefix is None else ast.unparse(prefix),
            line=node.lineno,
        )
    )


def _is_table_class(node: ast.ClassDef, bases: set[str]) -> bool:
    if node.name.endswith(("Base", "Mixin")) or "DeclarativeBase" in bases:
        return False
    names: set[str | None] = set()
    orm = False
    for item in node.body:
        if isinstance(item, ast.AnnAssign):
            targets: list[ast.expr] = [item.target]
            value = item.value
            orm |= _tail(_subscript(item.annotation)) == "Mapped"
        elif isinstance(item, ast.Assign):
            targets, value = item.targets, item.value
        else:
            continue
        names.update(dotted(target) for target in targets)
        orm |= isinstance(value, ast.Call) and _tail(value.func) in _ORM_COLUMNS
    return "__abstract__" not in names and (orm or "__tablename__" in names)


def _subscript(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Subscript) else node


def _settings_values(node: ast.ClassDef) -> tuple[tuple[str, str], ...]:
    values: list[tuple[str, str]] = []
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            text = _string(item.value)
            if text is not None:
                values.append((item.target.id, text))
        elif isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
            text = _string(item.value)
            if text is not None:
                values.append((item.targets[0].id, text))
    return tuple(values)


def _has_routes(node: ast.ClassDef) -> bool:
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in item.decorator_list:
                func = deco.func if isinstance(deco, ast.Call) else deco
                if _tail(func) in HTTP_VERBS:
                    return True
    return False


def _on_class(scan: ModuleScan, node: ast.AST) -> None:
    if not isinstance(node, ast.ClassDef):
        return
    bases = {_tail(base) for base in node.bases}
    decorators = {
        _tail(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list
    }
    if "BaseSettings" in bases:
        scan.settings.append(
            SettingsDef(node.name, node.lineno, _settings_values(node))
        )
    if bases & {"DeclarativeBase", "DeclarativeBaseNoMeta"}:
        scan.base_kind = "DeclarativeBase"
    if "as_declarative" in decorators:
        scan.base_kind = "as_declarative"
    if "cbv" in decorators or _has_routes(node):
        scan.class_based = True
    is_sqlmodel = any(
        k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in node.keywords
    )
    if is_sqlmodel or _is_table_class(node, bases):
        scan.table_classes.append(node.name)
        scan.sqlmodel_tables |= is_sqlmodel
    public = not node.name.startswith("_")
    if public and _PAGE_CLASS.fullmatch(node.name) and _pages_items(node):
        scan.pagination_helpers.append((node.name, node.lineno))


# Libraries a helper of the project's own endpoints pages with: a request's
# query parameters or a database query.
_PAGING_LIBRARIES = frozenset(
    {
        "beanie",
        "databases",
        "fastapi",
        "motor",
        "odmantic",
        "peewee",
        "piccolo",
        "pymongo",
        "sqlalchemy",
        "sqlmodel",
        "starlette",
        "tortoise",
    }
)


def _pages_own(scan: ModuleScan) -> bool:
    """Whether a module's `paginate` pages the project's endpoints or queries.

    One that walks a third-party API's pages (a client module importing
    `httpx` and none of these) is no pagination helper of the project's own.
    """
    return bool(scan.route_owners) or any(
        ref.level == 0 and ref.module.split(".")[0] in _PAGING_LIBRARIES
        for ref in scan.imports.values()
    )


# Fields a page of results carries beside its items.
_PAGE_FIELDS = frozenset(
    {"total", "count", "total_count", "next", "next_cursor", "cursor", "has_more"}
    | {"page", "pages", "size", "page_size", "limit", "offset"}
)
_SEQUENCES = frozenset({"list", "List", "Sequence", "tuple", "Tuple"})


def _pages_items(node: ast.ClassDef) -> bool:
    """Whether a class is a page of results: a list of items and a paging field.

    A `NotionPage` or a `TranscriptPage` of some integration is named like one
    and is not.
    """
    names: set[str] = set()
    listed = False
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            names.add(stmt.target.id)
            ann = stmt.annotation
            outer = ann.value if isinstance(ann, ast.Subscript) else ann
            listed |= _tail(outer) in _SEQUENCES
    return listed and bool(names & _PAGE_FIELDS)


def _on_function(scan: ModuleScan, node: ast.AST) -> None:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return
    for deco in node.decorator_list:
        func = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(func, ast.Attribute) and func.attr in HTTP_VERBS:
            owner = dotted(func.value)
            if owner:
                scan.route_owners.append(owner)


_HANDLERS: dict[type[ast.AST], Callable[[ModuleScan, ast.AST], None]] = {
    ast.Import: _on_import,
    ast.ImportFrom: _on_import,
    ast.Assign: _on_assign,
    ast.AnnAssign: _on_assign,
    ast.ClassDef: _on_class,
    ast.FunctionDef: _on_function,
    ast.AsyncFunctionDef: _on_function,
}


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Yield every statement in source order, nested blocks included.

    Expressions are never walked: a generic `ast.walk` visits ten times as many
    nodes, and the facts sit in statements and the calls they make.
    """
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if type(stmt) not in BLOCK_STATEMENTS:
            continue
        nested: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            nested.extend(getattr(stmt, name, ()))
        for block in (*getattr(stmt, "handlers", ()), *getattr(stmt, "cases", ())):
            nested.extend(block.body)
        stack.extend(reversed(nested))


def _calls(node: ast.expr) -> Iterator[ast.Call]:
    """Yield a call and the calls among its arguments, outermost first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Await):
            stack.append(item.value)
        elif isinstance(item, ast.Call):
            yield item
            stack.extend(reversed([*item.args, *(k.value for k in item.keywords)]))


def _alias(node: ast.stmt) -> AliasDef | None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target, value = node.targets[0], node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        target, value = node.target, node.value
    else:
        return None
    if not isinstance(target, ast.Name) or not isinstance(value, ast.Subscript):
        return None
    if _tail(value.value) != "Annotated" or not isinstance(value.slice, ast.Tuple):
        return None
    first, *rest = value.slice.elts
    depends: str | None = None
    for item in rest:
        if isinstance(item, ast.Call) and _tail(item.func) in {"Depends", "Security"}:
            depends = dotted(item.args[0]) if item.args else None
    return AliasDef(target.id, node.lineno, ast.unparse(first), depends)


def _names(node: ast.expr | None) -> str:
    if node is None:
        return ""
    found = [item.id for item in ast.walk(node) if isinstance(item, ast.Name)]
    found += [item.attr for item in ast.walk(node) if isinstance(item, ast.Attribute)]
    return " ".join(found)


def _function(node: ast.stmt) -> FuncDef | None:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    decorators = (d.func if isinstance(d, ast.Call) else d for d in node.decorator_list)
    named = (
        k.value.value
        for d in node.decorator_list
        if isinstance(d, ast.Call) and "fixture" in (dotted(d.func) or "")
        for k in d.keywords
        if k.arg == "name"
        and isinstance(k.value, ast.Constant)
        and isinstance(k.value.value, str)
    )
    return FuncDef(
        name=node.name,
        line=node.lineno,
        is_async=isinstance(node, ast.AsyncFunctionDef),
        returns=_names(node.returns),
        decorators=tuple(dotted(d) or "" for d in decorators),
        fixture=next(named, ""),
    )


def scan_module(path: str, tree: ast.Module) -> ModuleScan:
    """Collect the facts one parsed module states about itself."""
    scan = ModuleScan(path)
    for stmt in _statements(tree.body):
        handler = _HANDLERS.get(type(stmt))
        if handler is not None:
            handler(scan, stmt)
        value = getattr(stmt, "value", None)
        if isinstance(value, ast.expr):
            for call in _calls(value):
                _on_call(scan, call)
    for stmt in tree.body:
        alias = _alias(stmt)
        if alias is not None:
            scan.aliases.append(alias)
        function = _function(stmt)
        if function is not None:
            scan.functions.append(function)
            known = any(name == "paginate" for name, _ in scan.pagination_helpers)
            # `@overload`s of one helper are one helper, at its first line.
            if function.name == "paginate" and not known and _pages_own(scan):
                scan.pagination_helpers.append((function.name, function.line))
    return scan
