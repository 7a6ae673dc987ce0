"""What a guard dependency reads from a request, followed through the project.

A route is guarded by a dependency (``get_key_type``, ``WorkspaceUserRole``,
``Depends(Authenticated())``) that reads the caller's credential itself or
through the dependencies it runs in turn: a security scheme object
(``APIKeyHeader(name="X-API-KEY")``, ``HTTPBearer()``), a fastapi-users
transport (``CookieTransport``), or a plain ``Header()``/``Cookie()``
parameter. Following those references, read-only, tells what a caller must
present, which status the project's own code refuses it with and the
``WWW-Authenticate`` challenge it writes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from . import depcode, factory, schemes
from .guardparams import declared_params
from .index import ProjectIndex
from .summary import ModuleSummary

if TYPE_CHECKING:
    from .guards import Dep

# Deep enough for alias -> factory -> closure -> alias -> current_user ->
# FastAPIUsers -> backend -> transport; the walk stops at library code anyway.
MAX_HOPS = 10
_DEPENDS = frozenset({"Depends", "Security"})
_PARAM_SOURCES = {"Header": "header", "Cookie": "cookie"}


@dataclass(frozen=True, slots=True)
class Reading:
    """What a dependency reads and how the project's code refuses a caller.

    ``reads`` are ``bearer``, ``basic``, ``cookie:<name>``, ``header:<name>``
    or ``query:<name>`` (a name may be empty when it is not written), in the
    order found; ``challenge`` is the ``WWW-Authenticate`` value the code it
    reaches writes (one value, else ""); ``refuses`` the 401 or 403 it raises;
    ``automatic`` whether a FastAPI security class it reads refuses a missing
    credential itself with 403 (before FastAPI 0.122.0; 401 from it).
    """

    reads: tuple[str, ...] = ()
    challenge: str = ""
    refuses: tuple[int, ...] = ()
    returns: str = ""
    automatic: bool = False
    # An OAuth2 bearer class refuses a missing token itself, with 401 in
    # every FastAPI version, before the project's code runs.
    oauth2: bool = False
    # What the guard's own code raises first for a caller with no credential,
    # where the path it takes then is known (0 where not).
    missing: int = 0
    # The request parameters the guard declares (see `guardparams`).
    params: tuple[str, ...] = ()


@dataclass(slots=True)
class Trees:
    """What walks have parsed: whole modules, and definitions read alone.

    Kept while the walks run, so that a node's identity names it.
    """

    modules: dict[str, ast.Module | None] = field(default_factory=dict)
    nodes: dict[tuple[str, str], ast.AST | None] = field(default_factory=dict)


@dataclass(slots=True)
class _Walk:
    index: ProjectIndex
    parsed: Trees = field(default_factory=Trees)
    seen: set[int] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)
    reads: list[str] = field(default_factory=list)
    refuses: set[int] = field(default_factory=set)
    automatic: bool = False
    oauth2: bool = False
    missing: int = 0
    params: tuple[str, ...] | None = None

    def tree(self, module: str) -> ast.Module | None:
        modules = self.parsed.modules
        if module not in modules:
            modules[module] = self.index.tree(module)
        return modules[module]

    def read(self, item: str | None) -> None:
        if item is not None and item not in self.reads:
            self.reads.append(item)


class Readings:
    """What each dependency of a project reads, each read once.

    The parsed modules are shared by every dependency followed: guards
    of one project lead to the same few modules.
    """

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self.parsed = Trees()
        self._found: dict[tuple[str, str], Reading] = {}

    def of(self, dep: Dep) -> Reading:
        """What a route's dependency reads (nothing for a session or settings)."""
        return self.of_name(dep.module, dep.name)

    def of_name(self, module: str, name: str) -> Reading:
        """What the dependency ``name``, defined in ``module``, reads."""
        key = (module, name)
        if key not in self._found:
            self._found[key] = read_dependency(
                self.index, module, name, parsed=self.parsed
            )
        return self._found[key]

    def tree(self, module: str) -> ast.Module | None:
        """A project module's syntax tree, parsed once."""
        return _Walk(self.index, self.parsed).tree(module)


def read_dependency(
    index: ProjectIndex,
    module: str,
    name: str,
    *,
    parsed: Trees | None = None,
) -> Reading:
    """Follow the dependency ``name`` of ``module`` to what it reads."""
    walk = _Walk(index, Trees() if parsed is None else parsed)
    found = _definition(walk, module, name, 0)
    returns = ""
    if found is not None:
        node = depcode.dependency_callable(found[1])
        if node is not None and node.returns is not None:
            returns = ast.unparse(node.returns)
    _follow(walk, module, name, 0)
    return Reading(
        tuple(walk.reads),
        _challenge(walk),
        tuple(sorted(walk.refuses & {401, 403})),
        returns,
        walk.automatic,
        walk.oauth2,
        walk.missing,
        walk.params or (),
    )


def _definition(
    walk: _Walk, module: str, ref: str, hops: int, want: str = ""
) -> tuple[str, ast.AST] | None:
    """Where a reference written in ``module`` is defined, through imports.

    With ``want`` (``alias``, ``function``) the caller takes only that kind of
    definition: a module its summary shows binds no such one is not parsed.
    """
    if hops > MAX_HOPS or module not in walk.index.by_module:
        return None
    head, _, rest = ref.partition(".")
    summary = walk.index.by_module[module]
    imp = next((i for i in summary.imports if i.local == head), None)
    if not rest and imp is None and not _may_bind(summary, head, want):
        return None
    node = _top_node(walk, module, head) if not rest else None
    if node is not None:
        return module, node
    if imp is None:
        # `Depends(AuthControl.is_authed)`: a method of a class of the module.
        cls = _top_node(walk, module, head) if rest and "." not in rest else None
        method = depcode.method_of(cls, rest) if cls is not None else None
        return (module, method) if method is not None else None
    full = imp.target + (f".{rest}" if rest else "")
    split = walk.index.split_module(full)
    if split is None or not split[1]:
        return None
    owner, names = split
    return _definition(walk, owner, ".".join(names), hops + 1, want)


def _top_node(walk: _Walk, module: str, head: str) -> ast.AST | None:
    """What :func:`_top` finds of ``head`` in a module, parsing as little as can be.

    Kept for the walk: a node's identity names it.
    """
    key = (module, head)
    nodes = walk.parsed.nodes
    if key not in nodes:
        node: ast.AST | None = None
        if _may_define(walk, module, head):
            node = _read_alone(walk.index, module, head)
            if node is None:
                tree = walk.tree(module)
                node = depcode.top(tree, head) if tree is not None else None
        nodes[key] = node
    return nodes[key]


def _read_alone(index: ProjectIndex, module: str, head: str) -> ast.AST | None:
    """The top-level function or class ``head``, parsed alone where that is exact.

    Where the module parses whole and binds ``head`` by no assignment, the
    first of its functions and classes so named is what :func:`_top` finds.
    It is parsed from the line of the definition before it, so that its
    decorators come along. None where it cannot be read alone.
    """
    summary = index.by_module[module]
    path = index.path_of.get(module, "")
    bound = {a.name for a in summary.aliases if a.scope == ""}
    bound |= {r.name for r in summary.routers if r.scope == ""}
    if not summary.parsed or head in bound:
        return None
    starts = [(f.line, f.name) for f in summary.functions]
    starts += [(c.line, c.name) for c in summary.classes]
    line = min((n for n, name in starts if name == head), default=0)
    if not line:
        return None
    before = max((n for n, _ in starts if n < line), default=1)
    block = index.block(path, before, line)
    return next(
        (
            n
            for n in (block.body if block is not None else ())
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and n.name == head
            and n.lineno == line
        ),
        None,
    )


def _may_define(walk: _Walk, module: str, head: str) -> bool:
    """Whether a module may define ``head`` at its top level, before parsing it.

    A parsed module's summary lists exactly what it defines; of one read by
    a scan only the bytes tell (an identifier's bytes are in its source,
    unless written in other Unicode characters that normalise to it).
    """
    summary = walk.index.by_module[module]
    if summary.parsed:
        return head in summary.defined
    data = walk.index.source(walk.index.path_of.get(module, ""))
    return head.encode() in data or not data.isascii()


def _may_bind(summary: ModuleSummary, head: str, want: str) -> bool:
    """Whether a module may bind ``head`` at its top level to a ``want`` node.

    Every top-level assignment of a name to a value that is not a router
    is a summary's alias, and every top-level function is one of its
    functions; a module only scanned may bind anything.
    """
    if not want or not summary.parsed:
        return True
    if want == "alias":
        return any(a.scope == "" and a.name == head for a in summary.aliases)
    return any(f.name == head for f in summary.functions)


def _follow(
    walk: _Walk, module: str, ref: str, hops: int, call: ast.Call | None = None
) -> None:
    """Read what a referenced dependency, alias or object reads.

    A function called (``RoleACL(...)``) that returns an inner function is a
    factory: what it returns for the call's arguments is followed.
    """
    found = _definition(walk, module, ref.removesuffix("()"), hops)
    if found is None or hops > MAX_HOPS:
        return
    where, node = found
    # Trees are kept for the walk, so a node's identity names it.
    if id(node) in walk.seen:
        return
    walk.seen.add(id(node))
    walk.modules.add(where)
    if isinstance(node, ast.ClassDef):
        node = depcode.dependency_callable(node) or node
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        picked = _picked(walk, where, node, call, hops)
        for ref in picked:
            # `Depends(factory())`: FastAPI runs what the factory returns.
            _follow(walk, where, ref, hops + 1)
        if picked:
            return
        if call is None or not _factory(walk, where, node, call, hops):
            _guard_itself(walk, where, node, {}, factory.nested(node))
            _function(walk, where, node, hops)
    elif isinstance(node, ast.expr):
        _value(walk, where, node, hops)


def _function(
    walk: _Walk, module: str, fn: ast.FunctionDef | ast.AsyncFunctionDef, hops: int
) -> None:
    """A dependency function: its parameters, nested dependencies and refusals."""
    for inner in ast.walk(fn):
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
            _parameters(walk, module, inner, hops)
        else:
            _node(walk, module, inner, hops)


def _node(walk: _Walk, module: str, inner: ast.AST, hops: int) -> None:
    """One node of a dependency's code: a dependency, a refusal, a raw read."""
    if isinstance(inner, ast.Call) and depcode.tail(inner.func) in _DEPENDS:
        target = inner.args[0] if inner.args else None
        if isinstance(target, ast.Call) and _scheme(
            walk, _scheme_kind(walk, module, target, hops), target
        ):
            return  # `Security(HTTPBearer())`
        if isinstance(target, ast.Call) and depcode.dotted(target.func):
            _follow(walk, module, depcode.dotted(target.func), hops + 1, target)
        for ref in depcode.refs(inner.args[:1]):
            _follow(walk, module, ref, hops + 1)
    elif isinstance(inner, ast.Raise) and inner.exc is not None:
        _raised(walk, module, inner.exc, hops)
    elif isinstance(inner, ast.Subscript | ast.Call):
        _request_read(walk, inner)
        if isinstance(inner, ast.Call) and hops <= 1:
            _helper_refusals(walk, module, inner, hops)


def _helper_refusals(walk: _Walk, module: str, call: ast.Call, hops: int) -> None:
    """What a project helper the guard calls raises (``get_project_member``).

    Only the guard's own helpers, one call deep: deeper code is the
    service's, whose refusals are not the guard's.
    """
    name = depcode.dotted(call.func)
    found = _definition(walk, module, name, hops + 1, "function") if name else None
    if found is None or not isinstance(found[1], factory.Fn):
        return
    for node in ast.walk(found[1]):
        if isinstance(node, ast.Raise) and node.exc is not None:
            _raised(walk, found[0], node.exc, hops + 1)


def _raised(walk: _Walk, module: str, exc: ast.expr, hops: int) -> None:
    """``raise HTTPException(...)``, ``raise helper()``, ``raise CONSTANT``."""
    if isinstance(exc, ast.Name | ast.Attribute):
        found = _definition(walk, module, ast.unparse(exc), hops + 1, "alias")
        if found is not None and isinstance(found[1], ast.Call):
            walk.modules.add(found[0])
            _refusal(walk, found[0], found[1], hops + 1)
    elif isinstance(exc, ast.Call):
        _refusal(walk, module, exc, hops)


def _factory(
    walk: _Walk, module: str, fn: factory.Fn, call: ast.Call, hops: int
) -> bool:
    """Follow what a factory returns for ``call``; False when it is no factory."""
    env = factory.assigned(fn.body, factory.bind(fn, call))
    targets = factory.returned(fn, env)
    inner = factory.nested(fn)
    for target in targets:
        _guard_itself(walk, module, target, env, inner)
        _live(walk, module, target, env, inner, hops)
    return bool(targets)


def _live(
    walk: _Walk,
    module: str,
    fn: factory.Fn,
    env: factory.Env,
    inner: dict[str, factory.Fn],
    hops: int,
) -> None:
    """An inner function of a factory: only what its arguments let run."""
    if id(fn) in walk.seen or hops > MAX_HOPS:
        return
    walk.seen.add(id(fn))
    _parameters(walk, module, fn, hops, env, inner)
    for node in factory.live_nodes(fn, env):
        target = factory.called(node, inner)
        if target is not None and isinstance(node, ast.Call):
            sub = factory.call_env(target, node, env)
            _live(walk, module, target, sub, inner, hops + 1)
        else:
            _node(walk, module, node, hops)


def _picked(
    walk: _Walk, module: str, fn: factory.Fn, call: ast.Call | None, hops: int
) -> list[str]:
    """The module's functions a factory returns for a call, else none.

    Only where every name it returns is a function or class of the project:
    a function returning a value is a dependency itself.
    """
    names = factory.chosen(fn, call)
    for name in names:
        found = _definition(walk, module, name, hops + 1)
        if found is None or not isinstance(
            found[1], ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ):
            return []
    return names


def _guard_itself(
    walk: _Walk,
    module: str,
    fn: factory.Fn,
    env: factory.Env,
    inner: dict[str, factory.Fn],
) -> None:
    """What the function FastAPI runs as the guard declares and first refuses.

    Read once, of the first function the walk reaches: the guard's own.
    """
    if walk.params is not None:
        return
    walk.params = declared_params(fn, env, lambda a: _runs(walk, module, a))
    missing = factory.missing_env(fn, env)
    status = factory.refusal_without_credential(
        fn, missing, inner, lambda exc: _status_of(walk, module, exc)
    )
    walk.missing = status if status in (401, 403) else 0


def _runs(walk: _Walk, module: str, annotation: ast.expr) -> bool:
    """Whether an annotation is a project alias that runs a dependency."""
    if not isinstance(annotation, ast.Name | ast.Attribute):
        return False
    found = _definition(walk, module, ast.unparse(annotation), 1, "alias")
    return found is not None and isinstance(found[1], ast.Subscript)


def _status_of(walk: _Walk, module: str, exc: ast.expr) -> int | None:
    """The one 401 or 403 an exception raised in ``module`` answers, if known."""
    probe = _Walk(walk.index, walk.parsed)
    _raised(probe, module, exc, 1)
    found = probe.refuses & {401, 403}
    return found.pop() if len(found) == 1 and probe.refuses == found else None


def _parameters(
    walk: _Walk,
    module: str,
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    hops: int,
    env: factory.Env | None = None,
    inner: dict[str, factory.Fn] | None = None,
) -> None:
    """The credentials a function's parameters read.

    In a factory's inner function (``env`` given) a parameter no live code
    uses is left out: the branch that would accept it cannot run.
    """
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    defaults: list[ast.expr | None] = [None] * (
        len(fn.args.posonlyargs) + len(fn.args.args) - len(fn.args.defaults)
    )
    defaults += [*fn.args.defaults, *fn.args.kw_defaults]
    for arg, default in zip(args, defaults, strict=False):
        if env is not None and not factory.is_used(fn, arg.arg, env, inner or {}):
            continue
        for call in depcode.calls(arg.annotation, default):
            kind = _PARAM_SOURCES.get(depcode.tail(call.func))
            if kind is not None:
                alias = depcode.keyword_text(call, "alias")
                name = alias or arg.arg.replace("_", "-")
                walk.read(depcode.carrier(kind, name))
        if isinstance(arg.annotation, ast.Name | ast.Attribute):
            # An `Annotated` alias of the project's (`OptionalUserDep`).
            found = _definition(
                walk, module, ast.unparse(arg.annotation), hops + 1, "alias"
            )
            if found is not None and isinstance(found[1], ast.Subscript):
                _follow(walk, module, ast.unparse(arg.annotation), hops + 1)


def _value(walk: _Walk, module: str, node: ast.expr, hops: int) -> None:
    """An assigned object: a scheme, or what it is built from."""
    if isinstance(node, ast.Call):
        if _scheme(walk, _scheme_kind(walk, module, node, hops), node):
            return
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        if depcode.dotted(call.func):  # `Annotated[Role, RoleACL(...)]`
            _follow(walk, module, depcode.dotted(call.func), hops + 1, call)
    for ref in depcode.refs([node]):
        _follow(walk, module, ref, hops + 1)


def _scheme_kind(walk: _Walk, module: str, call: ast.Call, hops: int) -> str:
    """The security class a call builds: FastAPI's, or the one a project's extends.

    ``RWAPIKeyHeader(name=...)`` of ``class RWAPIKeyHeader(APIKeyHeader)``
    reads the header as its base does.
    """
    kind = depcode.tail(call.func)
    name = depcode.dotted(call.func)
    if kind in schemes.KINDS or not name:
        return kind
    found = _definition(walk, module, name, hops + 1)
    if found is None or not isinstance(found[1], ast.ClassDef):
        return kind
    bases = (depcode.tail(b) for b in found[1].bases)
    return next((b for b in bases if b in schemes.KINDS), kind)


def _scheme(walk: _Walk, kind: str, call: ast.Call) -> bool:
    """Record a security scheme or transport object; tell whether it was one."""
    found = schemes.reading(kind, call)
    if found is None:
        return False
    read, automatic, oauth2 = found
    walk.read(read)
    walk.automatic |= automatic
    walk.oauth2 |= oauth2
    return True


def _refusal(walk: _Walk, module: str, call: ast.Call, hops: int) -> None:
    """The status a ``raise`` answers: an ``HTTPException``, or a helper's."""
    status = next(
        (k.value for k in call.keywords if k.arg == "status_code"),
        call.args[0] if call.args else None,
    )
    code = depcode.status_code(status) if status is not None else None
    if code is not None:
        walk.refuses.add(code)
    elif depcode.tail(call.func) not in {"HTTPException"}:
        found = _definition(walk, module, ast.unparse(call.func), hops + 1, "function")
        if found is not None and isinstance(
            found[1], ast.FunctionDef | ast.AsyncFunctionDef
        ):
            for inner in ast.walk(found[1]):
                if isinstance(inner, ast.Call) and depcode.tail(inner.func).endswith(
                    "Exception"
                ):
                    code = next(
                        (depcode.status_code(a) for a in depcode.status_args(inner)),
                        None,
                    )
                    if code is not None:
                        walk.refuses.add(code)


def _request_read(walk: _Walk, node: ast.Subscript | ast.Call) -> None:
    """``request.cookies.get("x")``, ``request.headers["X"]``: a raw read."""
    target = node.value if isinstance(node, ast.Subscript) else node.func
    if isinstance(node, ast.Call):
        if not (isinstance(target, ast.Attribute) and target.attr == "get"):
            return
        target = target.value
        key: ast.expr | None = node.args[0] if node.args else None
    else:
        key = node.slice
    if not isinstance(target, ast.Attribute) or not isinstance(key, ast.Constant):
        return
    kind = {"cookies": "cookie", "headers": "header"}.get(target.attr)
    if kind is not None and isinstance(key.value, str):
        walk.read(depcode.carrier(kind, key.value))


def _challenge(walk: _Walk) -> str:
    """The one ``WWW-Authenticate`` value the modules the walk reached write."""
    found: set[str] = set()
    for module in walk.modules:
        found |= _written_challenges(walk, module)
    return found.pop() if len(found) == 1 else ""


# What each module writes, asked by every dependency that reaches it.
_CHALLENGES: WeakKeyDictionary[ProjectIndex, dict[str, frozenset[str]]] = (
    WeakKeyDictionary()
)


def _written_challenges(walk: _Walk, module: str) -> frozenset[str]:
    """The ``WWW-Authenticate`` values one module writes in a dict literal."""
    table = _CHALLENGES.setdefault(walk.index, {})
    if module in table:
        return table[module]
    found: set[str] = set()
    source = walk.index.source(walk.index.path_of.get(module, ""))
    # Most modules never name the header: no tree to walk for them.
    tree = walk.tree(module) if b"www-authenticate" in source.lower() else None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(k, ast.Constant)
                    and str(k.value).lower() == "www-authenticate"
                    and isinstance(v, ast.Constant)
                    and isinstance(v.value, str)
                ):
                    found.add(v.value)
    table[module] = frozenset(found)
    return table[module]
