"""A route handler read statically: its dependencies, parameters and statuses."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from planner.inspect.model import ProjectModel, Route

from .code import Function, SourceCache, dotted, status_of, statuses_in

__all__ = ["Handler", "read_handler"]

_DEPENDS = ("Depends", "Security")
# `Annotated` metadata that declares a parameter rather than a dependency.
_MARKERS = ("Query", "Path", "Body", "Header", "Cookie", "Form", "File", "Field")
_AUTH = re.compile(
    r"(?i)(auth|user|token|bearer|oauth|jwt|api_?key|credential|login|principal|"
    r"permission|scope|role|admin|secur|verify|guard|protect|session_?id)"
)


@dataclass(frozen=True, slots=True)
class Handler:
    """What verify needs of one route's function."""

    route: Route
    dependencies: frozenset[str]
    documented: frozenset[int]
    raised: frozenset[int]
    params: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    param_dependencies: tuple[str, ...]

    @property
    def where(self) -> str:
        """`file:line` of the route."""
        return f"{self.route.file}:{self.route.line}"

    @property
    def auth_dependencies(self) -> tuple[str, ...]:
        """The dependencies that look like authentication, sorted."""
        return tuple(sorted(d for d in self.dependencies if _AUTH.search(d)))

    def bounds(self, name: str) -> dict[str, float] | None:
        """The `Query(ge=, le=, ...)` bounds of parameter `name`; None if absent."""
        for param, bounds in self.params:
            if param == name:
                return dict(bounds)
        return None


def read_handler(
    route: Route, code: SourceCache, model: ProjectModel
) -> Handler | None:
    """Read a route's function, or None when its file does not parse."""
    func = code.function(route.file, route.function, route.line)
    if func is None:
        return None
    deps = _param_dependencies(func, route.file, code)
    deps |= _decorator_dependencies(func)
    deps |= _router_dependencies(route, code, model)
    raised = (
        statuses_in(func)
        | _called_statuses(route, code)
        | _dependency_statuses(deps, route.file, code)
    )
    return Handler(
        route=route,
        dependencies=frozenset(deps),
        documented=_documented(func, route.file, code),
        raised=raised,
        params=_params(func),
        param_dependencies=tuple(sorted(_param_dependencies(func, "", code))),
    )


def _depends_names(node: ast.AST | None) -> set[str]:
    """The targets of every `Depends(x)`/`Security(x)` call within `node`."""
    out: set[str] = set()
    for sub in ast.walk(node) if node is not None else ():
        if isinstance(sub, ast.Call) and dotted(sub.func).endswith(_DEPENDS):
            if dotted(sub.func).endswith("Security"):
                out.add("Security")
            out.update(dotted(a) for a in sub.args[:1] if dotted(a))
            out.update(dotted(k.value) for k in sub.keywords if k.arg == "dependency")
    return out


def _arguments(func: Function) -> list[ast.arg]:
    a = func.args
    return [*a.posonlyargs, *a.args, *a.kwonlyargs]


def _defaults(func: Function) -> dict[str, ast.expr]:
    a = func.args
    positional = [*a.posonlyargs, *a.args]
    out = (
        {
            arg.arg: default
            for arg, default in zip(
                positional[-len(a.defaults) :], a.defaults, strict=False
            )
        }
        if a.defaults
        else {}
    )
    for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        if kw_default is not None:
            out[arg.arg] = kw_default
    return out


def _param_dependencies(func: Function, file: str, code: SourceCache) -> set[str]:
    """Dependencies of the parameters; with `file`, through `Annotated` aliases too."""
    defaults = _defaults(func)
    out: set[str] = set()
    for arg in _arguments(func):
        out |= _depends_names(arg.annotation) | _depends_names(defaults.get(arg.arg))
        if file and arg.annotation is not None:
            out |= _alias_dependencies(arg.annotation, file, code)
    return out


def _alias_dependencies(annotation: ast.expr, file: str, code: SourceCache) -> set[str]:
    """`user: CurrentUser`, where `CurrentUser = Annotated[User, Depends(...)]`."""
    out: set[str] = set()
    imports = code.imports(file)
    for sub in ast.walk(annotation):
        if not isinstance(sub, ast.Name):
            continue
        value = code.assigned(file, sub.id)
        if value is None and sub.id in imports:
            source, name = imports[sub.id]
            value = code.assigned(source, name) if name else None
        names = _depends_names(value) | _factories(value)
        if names:
            out |= names | {sub.id}
    return out


def _factories(node: ast.expr | None) -> set[str]:
    """`Annotated[Role, RoleACL(...)]`: a call in the metadata returns a dependency."""
    if not (
        isinstance(node, ast.Subscript)
        and dotted(node.value).endswith("Annotated")
        and isinstance(node.slice, ast.Tuple)
    ):
        return set()
    return {
        dotted(meta.func)
        for meta in node.slice.elts[1:]
        if isinstance(meta, ast.Call)
        and dotted(meta.func)
        and not dotted(meta.func).endswith(_MARKERS + _DEPENDS)
    }


def _decorator_dependencies(func: Function) -> set[str]:
    out: set[str] = set()
    for deco in func.decorator_list:
        if isinstance(deco, ast.Call):
            for kw in deco.keywords:
                if kw.arg == "dependencies":
                    out |= _depends_names(kw.value)
    return out


def _router_dependencies(
    route: Route, code: SourceCache, model: ProjectModel
) -> set[str]:
    """`APIRouter(dependencies=...)` in the route's file, and `include_router(...)`."""
    out: set[str] = set()
    tree = code.tree(route.file)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Call) and dotted(node.func).endswith("APIRouter"):
            for kw in node.keywords:
                if kw.arg == "dependencies":
                    out |= _depends_names(kw.value)
    for router in model.routers:
        if router.file == route.file or (
            router.served_prefix and route.path.startswith(router.served_prefix + "/")
        ):
            out |= _include_dependencies(router.file, router.name, code, model)
    return out


def _include_dependencies(
    file: str, name: str, code: SourceCache, model: ProjectModel
) -> set[str]:
    """Dependencies given where router `name` of `file` is included."""
    out: set[str] = set()
    for path in sorted(model.paths):
        if not path.endswith(".py") or "include_router" not in code.text(path):
            continue
        imports = code.imports(path)
        tree = code.tree(path)
        for node in ast.walk(tree) if tree else ():
            if not (
                isinstance(node, ast.Call)
                and dotted(node.func).endswith("include_router")
                and node.args
            ):
                continue
            if _names_router(dotted(node.args[0]), imports, path, file, name):
                for kw in node.keywords:
                    if kw.arg == "dependencies":
                        out |= _depends_names(kw.value)
    return out


def _names_router(
    ref: str, imports: dict[str, tuple[str, str]], here: str, file: str, name: str
) -> bool:
    head, _, rest = ref.partition(".")
    if here == file and ref == name:
        return True
    source, symbol = imports.get(head, ("", ""))
    return source == file and (symbol == name or (not symbol and rest == name))


def _documented(func: Function, file: str, code: SourceCache) -> frozenset[int]:
    """The status codes of `responses=` on the route's decorators."""
    out: set[int] = set()
    for deco in func.decorator_list:
        for kw in deco.keywords if isinstance(deco, ast.Call) else ():
            if kw.arg == "responses":
                out |= _response_keys(kw.value, file, code, depth=0)
    return frozenset(out)


def _response_keys(
    node: ast.expr | None, file: str, code: SourceCache, *, depth: int
) -> set[int]:
    if node is None or depth > 3:
        return set()
    if isinstance(node, ast.Name):
        return _response_keys(code.assigned(file, node.id), file, code, depth=depth + 1)
    if isinstance(node, ast.BinOp):
        return _response_keys(node.left, file, code, depth=depth + 1) | _response_keys(
            node.right, file, code, depth=depth + 1
        )
    out: set[int] = set()
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            code_ = status_of(key) if key is not None else None
            if code_:
                out.add(code_)
            elif key is None:
                out |= _response_keys(value, file, code, depth=depth + 1)
    return out


def _called_statuses(route: Route, code: SourceCache) -> frozenset[int]:
    """Statuses raised in the project functions the handler calls."""
    out: set[int] = set()
    for callee in route.calls:
        func = _resolve_function(callee, route.file, code)
        if func is not None:
            out |= statuses_in(func)
    return frozenset(out)


def _dependency_statuses(
    dependencies: set[str], file: str, code: SourceCache
) -> frozenset[int]:
    """Statuses raised by the dependencies (`get_item_or_404` answers 404)."""
    out: set[int] = set()
    for name in dependencies:
        func = _resolve_function(name.removesuffix("()"), file, code)
        if func is not None:
            out |= statuses_in(func)
    return frozenset(out)


def _resolve_function(ref: str, file: str, code: SourceCache) -> Function | None:
    """The project function a dotted name in `file` stands for, if statically known."""
    head, _, rest = ref.partition(".")
    if not rest:
        own = code.function(file, head)
        if own is not None:
            return own
    source, symbol = code.imports(file).get(head, ("", ""))
    name = symbol if symbol and not rest else rest.rsplit(".", 1)[-1]
    return code.function(source, name) if source and name else None


def _params(func: Function) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
    defaults = _defaults(func)
    out = []
    for arg in _arguments(func):
        bounds: dict[str, float] = {}
        for node in (arg.annotation, defaults.get(arg.arg)):
            for sub in ast.walk(node) if node is not None else ():
                if isinstance(sub, ast.Call) and dotted(sub.func).endswith(
                    ("Query", "Field", "Path")
                ):
                    bounds.update(_bound_keywords(sub))
        out.append((arg.arg, tuple(sorted(bounds.items()))))
    return tuple(out)


def _bound_keywords(call: ast.Call) -> dict[str, float]:
    out: dict[str, float] = {}
    for kw in call.keywords:
        if kw.arg in ("ge", "gt", "le", "lt") and isinstance(kw.value, ast.Constant):
            value = kw.value.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[kw.arg] = float(value)
    return out
