"""Tolerant parsing of one module into a :class:`ModuleSummary`."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any, ClassVar

from .astbits import (
    BLOCK_STATEMENTS,
    body_calls,
    callee,
    calls_in,
    dotted,
    expr_of,
    kw,
    params_of,
    refs_of,
)
from .callsites import call_site, param_defaults
from .loops import Binding, Literals, per_pass
from .scan import defined_names, scan_summary
from .shared import parse_bytes, parse_data
from .summary import (
    Alias,
    CallSite,
    ClassInfo,
    Expr,
    Field,
    FuncInfo,
    Import,
    Include,
    ModuleSummary,
    RouteDef,
    RouterDef,
)

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def router_kind(node: ast.AST | None) -> str | None:
    """``app`` for ``FastAPI(...)``, ``router`` for ``APIRouter(...)`` or a subclass."""
    name = callee(node) if node is not None else ""
    if name in ("FastAPI", "Starlette"):
        return "app"
    if name == "APIRouter" or (name.endswith("Router") and len(name) > 6):
        return "router"
    return None


def depends_targets(node: ast.expr | None) -> tuple[str, ...]:
    """The targets of ``Depends(x)``/``Security(x)`` in a ``dependencies=`` value.

    ``Depends(require_role("admin"))`` gives ``require_role()``.
    """
    if node is None:
        return ()
    found: list[str] = []
    for call in calls_in(node):
        if callee(call) in ("Depends", "Security") and call.args:
            ref = dotted(call.args[0])
            if ref:
                found.append(ref)
    # `dependencies=[DependAuth]`: a module-level `DependAuth = Depends(...)`.
    for item in getattr(node, "elts", ()):
        if isinstance(item, ast.Name | ast.Attribute) and (ref := dotted(item)):
            found.append(ref)
    return tuple(found)


def _other_decorators(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """A route function's decorators that declare no route, as written."""
    return tuple(
        ast.unparse(d)
        for d in fn.decorator_list
        if not (
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr.lower() in HTTP_METHODS | {"api_route"}
        )
    )


def _status(call: ast.Call) -> int | None:
    node = kw(call, "status_code")
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    d = dotted(node) if node is not None else None
    if d:
        m = re.search(r"HTTP_(\d{3})", d)
        if m:
            return int(m.group(1))
    return None


_BLOCKS = ("body", "handlers", "orelse", "finalbody", "cases")


class _Collector:
    """Walks a module's statements, tracking the enclosing function as the scope.

    Only statements are walked, not every expression node: a generic visitor
    spent most of the parse time in nodes that never hold a fact. Expressions
    are searched for ``include_router``/``mount`` calls only in modules whose
    bytes name them.
    """

    def __init__(self, module: str, is_package: bool, *, includes: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.look_for_includes = includes
        self.scope = ""
        self.imports: list[Import] = []
        self.routers: list[RouterDef] = []
        self.includes: list[Include] = []
        self.aliases: list[Alias] = []
        self.routes: list[RouteDef] = []
        self.classes: list[ClassInfo] = []
        self.functions: list[FuncInfo] = []
        self.constants: list[Field] = []
        self.calls: list[CallSite] = []
        self.literals = Literals()
        # What each pass of the enclosing loop binds, where its items are known.
        self.passes: list[Binding] | None = None

    def walk(self, body: list[ast.stmt]) -> None:
        """Collect the facts of a block of statements, nested blocks included."""
        for stmt in body:
            handler = self._HANDLERS.get(type(stmt).__name__)
            if handler is not None:
                handler(self, stmt)
            elif self.look_for_includes and not hasattr(stmt, "body"):
                self._find_includes(stmt)
            if isinstance(stmt, ast.For | ast.AsyncFor) and self.look_for_includes:
                outer = self.passes
                self.passes = self.literals.passes(self.scope, stmt)
                self._nested(stmt)
                self.passes = outer
            else:
                self._nested(stmt)

    def _nested(self, stmt: ast.stmt) -> None:
        if type(stmt) not in BLOCK_STATEMENTS or isinstance(
            stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            return
        for name in _BLOCKS:
            block = getattr(stmt, name, None)
            if not block:
                continue
            for child in block:
                if isinstance(child, ast.stmt):
                    self.walk([child])
                else:  # an except handler or a match case
                    self.walk(child.body)

    def _find_includes(self, node: ast.AST) -> None:
        for sub in calls_in(node):
            self.visit_Call(sub)

    # imports ---------------------------------------------------------------
    def _base(self, level: int, mod: str | None) -> str:
        if level == 0:
            return mod or ""
        parts = self.module.split(".")
        if not self.is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
        return ".".join([*parts, mod] if mod else parts)

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            if a.asname:
                self.imports.append(Import(a.asname, a.name))
            else:
                self.imports.append(Import(a.name.split(".")[0], a.name.split(".")[0]))
                if "." in a.name:
                    self.imports.append(Import("", a.name))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._base(node.level, node.module)
        for a in node.names:
            local = a.asname or a.name
            self.imports.append(
                Import("*" if a.name == "*" else local, f"{base}.{a.name}")
            )

    # definitions ------------------------------------------------------------
    def _func(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        is_async = isinstance(node, ast.AsyncFunctionDef)
        for dec in node.decorator_list:
            self._route(dec, node, is_async)
        if self.scope == "":
            returns: list[str] = []
            for sub in _statements(node.body):
                if isinstance(sub, ast.Return) and sub.value is not None:
                    returns.extend(refs_of(sub.value))
            params = tuple(a.arg for a in [*node.args.posonlyargs, *node.args.args])
            self.functions.append(
                FuncInfo(
                    node.name,
                    node.lineno,
                    is_async,
                    tuple(returns),
                    params,
                    param_defaults(node.args),
                )
            )
        outer, self.scope = (
            self.scope,
            (f"{self.scope}.{node.name}" if self.scope else node.name),
        )
        self.walk(node.body)
        self.scope = outer

    visit_FunctionDef = _func
    visit_AsyncFunctionDef = _func

    def _route(
        self,
        dec: ast.expr,
        fn: ast.FunctionDef | ast.AsyncFunctionDef,
        is_async: bool,
        *,
        method_of: bool = False,
    ) -> None:
        if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
            return
        method = dec.func.attr.lower()
        if method == "api_route":
            methods = kw(dec, "methods")
            names = [
                e.value
                for e in getattr(methods, "elts", [])
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
            method = names[0].lower() if names else "get"
        elif method not in HTTP_METHODS:
            return
        owner = dotted(dec.func.value)
        if owner is None:
            return
        path = expr_of(dec.args[0]) if dec.args else expr_of(kw(dec, "path"))
        deps = depends_targets(kw(dec, "dependencies"))
        answer = kw(dec, "response_model") or fn.returns
        self.routes.append(
            RouteDef(
                self.scope,
                owner,
                method.upper(),
                path,
                fn.name,
                fn.lineno,
                _status(dec),
                is_async,
                # A method's `self` is no parameter of the request.
                params_of(fn)[1:] if method_of else params_of(fn),
                deps,
                body_calls(fn),
                _returns(answer),
                _response_class(answer),
                "response_model"
                if kw(dec, "response_model") is not None
                else "annotation"
                if fn.returns is not None
                else "",
                _other_decorators(fn),
                _documented(kw(dec, "openapi_extra")),
            )
        )

    def _class_routes(self, node: ast.ClassDef) -> None:
        """A class-based view's methods decorated as routes of a module's router.

        ``@router.get(...)`` on a method of a ``@controller(router)`` class
        serves on that router, as on a function.
        """
        for stmt in node.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                is_async = isinstance(stmt, ast.AsyncFunctionDef)
                for dec in stmt.decorator_list:
                    self._route(dec, stmt, is_async, method_of=True)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.scope:
            return
        self._class_routes(node)
        bases = tuple(d for d in (dotted(b) for b in node.bases) if d)
        is_table = any(
            k.arg == "table"
            and isinstance(k.value, ast.Constant)
            and k.value.value is True
            for k in node.keywords
        )
        tablename = _library_table(node)
        is_table = is_table or tablename is not None
        fields: list[Field] = []
        # A settings class declares its fields by annotation alone, often with
        # no default (`SECRET_KEY: SecretStr`): each one is a name plans reuse.
        settings = any(b.rsplit(".", 1)[-1].endswith("Settings") for b in bases)
        for stmt in node.body:
            target, value = _assign_parts(stmt)
            if target is None:
                continue
            if target == "__tablename__":
                # Written but not a plain string: unknown, whatever a base says.
                tablename = (
                    value.value
                    if isinstance(value, ast.Constant) and isinstance(value.value, str)
                    else None
                )
                is_table = True
            elif value is not None:
                fields.append(Field(target, _field_default(value)))
            elif _mapped(stmt):
                # ``name: Mapped[str]`` alone is a SQLAlchemy 2 column.
                fields.append(Field(target, (("?", "column"),)))
            elif settings:
                fields.append(Field(target, (("?", "setting"),)))
        names = any(
            isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
            and stmt.name == "__tablename__"
            for stmt in node.body
        )
        self.classes.append(
            ClassInfo(
                node.name, bases, node.lineno, tablename, is_table, tuple(fields), names
            )
        )

    def visit_For(self, node: ast.For) -> None:
        if isinstance(node.target, ast.Name):
            self.aliases.append(Alias(self.scope, node.target.id, refs_of(node.iter)))
        elif isinstance(node.target, ast.Tuple):
            for elt in node.target.elts:
                if isinstance(elt, ast.Name):
                    self.aliases.append(Alias(self.scope, elt.id, refs_of(node.iter)))

    def _bind(self, name: str, value: ast.expr) -> None:
        if self.look_for_includes:
            self.literals.bind(self.scope, name, value)
        kind = router_kind(value)
        if kind is not None and isinstance(value, ast.Call):
            self.routers.append(
                RouterDef(
                    self.scope,
                    name,
                    kind,
                    expr_of(kw(value, "prefix")),
                    value.lineno,
                    depends_targets(kw(value, "dependencies")),
                )
            )
            return
        self.aliases.append(Alias(self.scope, name, refs_of(value)))
        if self.scope == "" and isinstance(
            value, (ast.Constant, ast.JoinedStr, ast.BinOp)
        ):
            self.constants.append(Field(name, expr_of(value)))

    def visit_Assign(self, node: ast.Assign) -> None:
        for t in node.targets:
            if isinstance(t, ast.Name):
                self._bind(t.id, node.value)
        self._call_site(node.value)
        if self.look_for_includes:
            self._find_includes(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name) and node.value is not None:
            self._bind(node.target.id, node.value)
        if node.value is not None:
            self._call_site(node.value)
        if self.look_for_includes and node.value is not None:
            self._find_includes(node.value)

    def visit_Expr(self, node: ast.Expr) -> None:
        self._call_site(node.value)
        if self.look_for_includes:
            self._find_includes(node.value)

    def _call_site(self, call: ast.expr) -> None:
        site = call_site(self.scope, call)
        if site is not None:
            self.calls.append(site)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("include_router", "mount"):
            parent = dotted(func.value)
            if parent is not None:
                for call in per_pass(node, self.passes):
                    self._include(call, parent, func.attr == "mount")

    def _include(self, node: ast.Call, parent: str, mount: bool) -> None:
        if mount:
            path = node.args[0] if node.args else kw(node, "path")
            child = node.args[1] if len(node.args) > 1 else kw(node, "app")
            prefix = expr_of(path)
        else:
            child = node.args[0] if node.args else kw(node, "router")
            prefix = expr_of(kw(node, "prefix"))
        if child is None:
            return
        deps = () if mount else depends_targets(kw(node, "dependencies"))
        self.includes.append(
            Include(
                self.scope, parent, refs_of(child), prefix, node.lineno, mount, deps
            )
        )

    _HANDLERS: ClassVar[dict[str, Callable[[_Collector, Any], None]]] = {
        "Import": visit_Import,
        "ImportFrom": visit_ImportFrom,
        "FunctionDef": _func,
        "AsyncFunctionDef": _func,
        "ClassDef": visit_ClassDef,
        "For": visit_For,
        "AsyncFor": visit_For,
        "Assign": visit_Assign,
        "AnnAssign": visit_AnnAssign,
        "Expr": visit_Expr,
    }


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a function body and its nested blocks (not nested functions)."""
    out: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        out.append(stmt)
        if type(stmt) not in BLOCK_STATEMENTS or isinstance(
            stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            continue
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(stmt, name, None)
            if isinstance(block, list):
                for child in reversed(block):
                    if isinstance(child, ast.stmt):
                        stack.append(child)
                    elif hasattr(child, "body"):
                        stack.extend(reversed(child.body))
    return out


# Bases from libraries that name the table for the class deriving from them
# (fastapi-users' SQLAlchemy adapter); its `__tablename__`, when written,
# still wins.
_LIBRARY_TABLES = {
    "SQLAlchemyBaseUserTable": "user",
    "SQLAlchemyBaseUserTableUUID": "user",
    "SQLAlchemyBaseOAuthAccountTable": "oauth_account",
    "SQLAlchemyBaseOAuthAccountTableUUID": "oauth_account",
    "SQLAlchemyBaseAccessTokenTable": "accesstoken",
    "SQLAlchemyBaseAccessTokenTableUUID": "accesstoken",
}


def _library_table(node: ast.ClassDef) -> str | None:
    """The table a library base names (``SQLAlchemyBaseUserTable[int]``: `user`)."""
    for base in node.bases:
        if isinstance(base, ast.Subscript):
            base = base.value
        name = dotted(base)
        found = _LIBRARY_TABLES.get(name.rsplit(".", 1)[-1]) if name else None
        if found is not None:
            return found
    return None


def _assign_parts(stmt: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        t = stmt.targets[0]
        return (t.id if isinstance(t, ast.Name) else None), stmt.value
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, stmt.value
    return None, None


_LISTS = frozenset({"list", "List", "typing.List", "Sequence", "abc.Sequence"})


def _returns(node: ast.expr | None) -> str:
    """``"list"`` for ``list[Item]`` (or ``List``, ``Sequence``), else ""."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        head = node.value.split("[", 1)[0].strip()
        return "list" if "[" in node.value and head in _LISTS else ""
    if isinstance(node, ast.Subscript):
        return "list" if dotted(node.value) in _LISTS else ""
    return ""


def _response_class(node: ast.expr | None) -> str:
    """The class a route answers with, inside a list, or "" for any other shape."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return ""
    if isinstance(node, ast.Subscript) and dotted(node.value) in _LISTS:
        node = node.slice
    name = dotted(node) if isinstance(node, ast.Name | ast.Attribute) else None
    return name.rpartition(".")[2] if name else ""


def _mapped(stmt: ast.stmt) -> bool:
    """Whether a statement is annotated ``Mapped[...]`` (or ``orm.Mapped[...]``)."""
    if not isinstance(stmt, ast.AnnAssign):
        return False
    ann = stmt.annotation
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
        return ann.value.startswith(("Mapped[", "orm.Mapped["))
    return isinstance(ann, ast.Subscript) and dotted(ann.value) in (
        "Mapped",
        "orm.Mapped",
        "sqlalchemy.orm.Mapped",
    )


def _field_default(value: ast.expr) -> Expr:
    # Field("x", ...) / Field(default="x"): the default is what a prefix would read.
    if isinstance(value, ast.Call):
        node = value.args[0] if value.args else kw(value, "default")
        return expr_of(node) if node is not None else (("?", "call"),)
    return expr_of(value)


def parse_source(
    data: bytes, module: str, *, is_package: bool, digest: str | None = None
) -> ModuleSummary:
    """Parse a module, else scan its bytes and keep the reason it was not parsed.

    With the bytes' ``digest``, a tree another pass already built is reused.
    """
    parsed = parse_bytes(data, digest) if digest is not None else parse_data(data)
    error: str | None = None
    tree: ast.Module | None = None
    if isinstance(parsed, ast.Module):
        tree = parsed
    elif isinstance(parsed, SyntaxError | ValueError):
        error = _reason(parsed)
    else:
        error = type(parsed).__name__
    if tree is None:
        return scan_summary(data, module, is_package=is_package, error=error)
    c = _Collector(
        module, is_package, includes=b"include_router" in data or b"mount" in data
    )
    c.walk(tree.body)
    imports = tuple(c.imports)
    return ModuleSummary(
        imports,
        tuple(c.routers),
        tuple(c.includes),
        tuple(c.aliases),
        tuple(c.routes),
        tuple(c.classes),
        tuple(c.functions),
        tuple(c.constants),
        tuple(c.calls),
        defined_names(tree),
        None,
        True,
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        return f"{exc.msg} (line {exc.lineno})"
    return str(exc)


def _documented(extra: ast.expr | None) -> tuple[str, ...]:
    """The functions an ``openapi_extra=`` value is built by, as written."""
    if extra is None:
        return ()
    found = (dotted(n.func) for n in ast.walk(extra) if isinstance(n, ast.Call))
    return tuple(dict.fromkeys(f for f in found if f))
