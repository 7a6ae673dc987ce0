"""Per-module summaries that parsing yields (their JSON form: :mod:`.codec`)."""

from __future__ import annotations

from dataclasses import dataclass

# A string-valued expression as parts: ("s", literal), ("r", dotted reference) or
# ("?", source) when it cannot be evaluated statically.
Expr = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Import:
    """A name bound by an import: ``local`` stands for the absolute ``target``."""

    local: str
    target: str


@dataclass(frozen=True, slots=True)
class RouterDef:
    """``name = FastAPI(...)`` or ``name = APIRouter(prefix=...)`` in a scope.

    ``dependencies`` are the targets of its ``dependencies=[Depends(x)]``: every
    route of the router runs them.
    """

    scope: str
    name: str
    kind: str
    prefix: Expr
    line: int
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Include:
    """``parent.include_router(child, prefix=...)`` or ``parent.mount(path, child)``.

    ``dependencies`` are the ``Depends`` targets the include adds to every
    route of the child.
    """

    scope: str
    parent: str
    child: tuple[str, ...]
    prefix: Expr
    line: int
    mount: bool
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alias:
    """A name bound to an expression; ``refs`` are the names it is built from."""

    scope: str
    name: str
    refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Param:
    """A route function parameter: annotation and ``Depends`` target as references."""

    name: str
    annotation: str
    depends: str


@dataclass(frozen=True, slots=True)
class RouteDef:
    """A route decorator ``@owner.method(path, status_code=...)`` on a function.

    ``dependencies`` are the ``Depends`` targets of the decorator's
    ``dependencies=[...]``.
    """

    scope: str
    owner: str
    method: str
    path: Expr
    function: str
    line: int
    status_code: int | None
    is_async: bool
    params: tuple[Param, ...]
    dependencies: tuple[str, ...]
    calls: tuple[str, ...] = ()
    # ``"list"`` when the route answers a bare JSON list (its
    # ``response_model`` or return annotation), else "".
    returns: str = ""
    # The class it answers with (``TagRead`` of ``list[schemas.TagRead]``),
    # else "".
    response: str = ""
    # How it declares what it answers: ``response_model`` (the decorator's
    # keyword), ``annotation`` (the function's return annotation), or "".
    declares: str = ""
    # The function's other decorators, as written (``requires(["authenticated"])``):
    # a decorator can guard a route as a dependency does.
    decorators: tuple[str, ...] = ()
    # The functions the decorator's ``openapi_extra=`` calls: the route
    # documents by hand parameters FastAPI cannot see (a dependency reading
    # the raw query).
    documented: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Field:
    """A class-level field with its default (as an expression when it is a string)."""

    name: str
    default: Expr


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """A top-level class: bases, table name and fields with string defaults."""

    name: str
    bases: tuple[str, ...]
    line: int
    tablename: str | None
    is_table: bool
    fields: tuple[Field, ...]
    # Its body computes `__tablename__` (`@declared_attr def __tablename__`):
    # the classes deriving from it with columns are tables.
    names_tables: bool = False


@dataclass(frozen=True, slots=True)
class FuncInfo:
    """A top-level function: name, whether async, and the app or router it returns."""

    name: str
    line: int
    is_async: bool
    returns: tuple[str, ...]
    params: tuple[str, ...]
    # The parameters (keyword-only ones too) whose default is a string
    # expression (`prefix: str = "/api"`).
    defaults: tuple[Field, ...] = ()


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call ``func(a, b)`` passing names: how apps reach ``register(app)`` helpers."""

    scope: str
    func: str
    args: tuple[str, ...]
    # The string expressions it passes, by position ("0") or keyword.
    literals: tuple[Field, ...] = ()


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    """What one module says about routing, tables, settings and imports."""

    imports: tuple[Import, ...]
    routers: tuple[RouterDef, ...]
    includes: tuple[Include, ...]
    aliases: tuple[Alias, ...]
    routes: tuple[RouteDef, ...]
    classes: tuple[ClassInfo, ...]
    functions: tuple[FuncInfo, ...]
    constants: tuple[Field, ...]
    calls: tuple[CallSite, ...]
    defined: tuple[str, ...]
    error: str | None
    parsed: bool
