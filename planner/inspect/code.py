"""Find the app, its routers, where they are registered, and the layout style."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Literal

from planner.facts import (
    LayoutStyle,
    PackageVersion,
    ProjectFacts,
    Registration,
    RouterModule,
    RouterNaming,
    SourceRef,
)
from planner.inspect import deps
from planner.inspect.corpus import Corpus
from planner.inspect.naming import Patterns, route_resource
from planner.inspect.python import ImportRef, Include, ModuleScan

_APP_NAMES = frozenset({"main.py", "app.py", "application.py", "server.py", "asgi.py"})
_SETTING = re.compile(r"\{?[\w.]*?(\w+)\}?")


class ModuleIndex:
    """Resolves imports to project files by path, never by importing."""

    def __init__(self, files: Sequence[str]) -> None:
        self._files = frozenset(files)
        # Keyed by the last two path parts: `router.py` alone would list every
        # domain's router and make each lookup scan them all.
        self._by_tail: dict[str, list[str]] = {}
        for rel in files:
            self._by_tail.setdefault(_tail(rel), []).append(rel)

    def resolve(self, ref: ImportRef, near: str) -> str | None:
        """Return the file an import refers to, or None if it is not ours."""
        module = ref.module.replace(".", "/")
        if ref.level:
            parents = near.split("/")[:-1]
            if ref.level - 1 > len(parents):
                return None
            base = parents[: len(parents) - (ref.level - 1)]
            module = "/".join([*base, module] if module else base)
        candidates = [f"{module}/{ref.attr}", module] if ref.attr else [module]
        for candidate in candidates:
            found = self._find(candidate.strip("/"), near, exact=ref.level > 0)
            if found is not None:
                return found
        return None

    def _find(self, module: str, near: str, *, exact: bool) -> str | None:
        if not module:
            return None
        for suffix in (".py", "/__init__.py"):
            target = module + suffix
            if exact:
                if target in self._files:
                    return target
                continue
            matches = [
                rel
                for rel in self._by_tail.get(_tail(target), ())
                if rel == target or rel.endswith("/" + target)
            ]
            if matches:
                return min(
                    matches, key=lambda rel: (-_shared(rel, near), len(rel), rel)
                )
        return None


def _tail(path: str) -> str:
    return "/".join(path.rsplit("/", 2)[-2:])


def _shared(left: str, right: str) -> int:
    count = 0
    for a, b in zip(left.split("/"), right.split("/"), strict=False):
        if a != b:
            break
        count += 1
    return count


def _find_app(corpus: Corpus, chosen: str | None = None) -> SourceRef | None:
    """The API app found in the sources.

    `chosen` (the project model's pick, by the routes it reaches) when it is
    one of them, else the app that registers most.
    """
    found = [
        (scan, name, line)
        for _, scan in sorted(corpus.scans.items())
        for name, line in scan.apps
    ]
    if chosen is not None:
        file = chosen.partition(":")[0]
        picked = [c for c in found if c[0].path == file]
        if picked:
            found = picked
    if not found:
        return None
    scan, name, line = min(
        found,
        key=lambda c: (
            -(len(c[0].includes) + c[0].app_routes),
            c[0].path.rpartition("/")[2] not in _APP_NAMES,
            c[0].path.count("/"),
            c[0].path,
            c[2],
        ),
    )
    return SourceRef(name=name, file=scan.path, line=line)


def _package_root(app_file: str, files: frozenset[str]) -> str:
    parts = app_file.split("/")[:-1]
    while parts and "/".join([*parts[:-1], "__init__.py"]) in files and len(parts) > 1:
        parts = parts[:-1]
    return "/".join(parts) or "."


def _project_dir(app_root: str | None, config: Sequence[str]) -> str:
    dirs = {rel.rpartition("/")[0] or "." for rel in config}
    start = PurePosixPath(app_root or ".")
    for candidate in (start, *start.parents):
        text = str(candidate)
        if text in dirs:
            return text
    return "."


def _routers(corpus: Corpus) -> list[RouterModule]:
    found: list[RouterModule] = []
    for rel, scan in sorted(corpus.scans.items()):
        for item in scan.routers:
            aggregates = any(
                inc.target.rpartition(".")[2] == item.variable.rpartition(".")[2]
                for inc in scan.includes
            )
            found.append(
                RouterModule(
                    file=rel,
                    variable=item.variable,
                    line=item.line,
                    prefix=item.prefix,
                    class_based=scan.class_based,
                    aggregates=aggregates,
                    resource=None if aggregates else route_resource(rel),
                )
            )
    return found


def _resolve_prefix(include: Include, values: Mapping[str, str]) -> str | None:
    if include.prefix is not None:
        return include.prefix
    source = include.prefix_source
    if source is None:
        return None
    if source[:2] in {"f'", 'f"'}:
        parts = re.split(r"(\{[^{}]*\})", source[2:-1])
        resolved = [
            _setting(part, values) if part.startswith("{") else part for part in parts
        ]
        return None if None in resolved else "".join(p or "" for p in resolved)
    return _setting(source, values)


def _setting(expression: str, values: Mapping[str, str]) -> str | None:
    match = _SETTING.fullmatch(expression)
    return values.get(match.group(1)) if match else None


def _registrations(
    corpus: Corpus, index: ModuleIndex, values: Mapping[str, str]
) -> list[Registration]:
    found: list[Registration] = []
    for rel, scan in sorted(corpus.scans.items()):
        for include in scan.includes:
            found.append(
                Registration(
                    file=rel,
                    line=include.line,
                    target=include.target,
                    router=include.router,
                    router_file=_router_file(scan, include, index),
                    prefix=_resolve_prefix(include, values),
                    prefix_source=include.prefix_source,
                )
            )
    return found


def _router_file(scan: ModuleScan, include: Include, index: ModuleIndex) -> str | None:
    if include.root is None:
        return None
    ref = scan.imports.get(include.root)
    return scan.path if ref is None else index.resolve(ref, scan.path)


def _registry(
    registrations: Sequence[Registration],
    resource_files: set[str],
    app: SourceRef | None,
    other_apps: frozenset[str] = frozenset(),
) -> str | None:
    # Another app's module registers that app's routers, not the API's.
    wrappers = _wrappers(registrations, resource_files)
    counts = Counter(
        reg.file
        for reg in registrations
        if (reg.router_file in resource_files or reg.router_file in wrappers)
        and reg.file not in other_apps
        and reg.file not in wrappers
    )
    if not counts:
        return app.file if app else None
    return min(counts, key=lambda rel: (-counts[rel], rel.count("/"), rel))


def _wrappers(
    registrations: Sequence[Registration], resource_files: set[str]
) -> frozenset[str]:
    """Files that include one resource's router and nothing else.

    A resource package's ``__init__.py`` wrapping its module's router
    (``users_router.include_router(router)``) stands for that router: the file
    including the wrappers is where the resources are registered, not the
    first wrapper.
    """
    included: dict[str, set[str | None]] = {}
    for reg in registrations:
        included.setdefault(reg.file, set()).add(reg.router_file)
    return frozenset(
        file
        for file, routers in included.items()
        if len(routers) == 1
        and next(iter(routers)) in resource_files
        and file not in resource_files
    )


def _api_prefix(
    registry: str | None,
    app: SourceRef | None,
    registrations: Sequence[Registration],
    routers: Sequence[RouterModule],
) -> str:
    if registry is None or app is None:
        return ""
    own = {r.file: r.prefix or "" for r in routers if r.aggregates}
    prefix, current, seen = "", registry, {registry}
    while current != app.file:
        prefix = own.get(current, "") + prefix
        outer = [
            r for r in registrations if r.router_file == current and r.file != current
        ]
        if not outer or outer[0].file in seen:
            break
        prefix = (outer[0].prefix or "") + prefix
        current = outer[0].file
        seen.add(current)
    return prefix + _shared_prefix(registry, registrations, routers)


def _shared_prefix(
    registry: str,
    registrations: Sequence[Registration],
    routers: Sequence[RouterModule],
) -> str:
    """Return a prefix every resource router is included under, like `/api`."""
    resources = {r.file: r.resource for r in routers if r.resource}
    prefixes = {
        reg.prefix or ""
        for reg in registrations
        if reg.file == registry and reg.router_file in resources
    }
    if len(prefixes) != 1:
        return ""
    prefix = prefixes.pop()
    named = Patterns(filter(None, resources.values())).pattern(prefix)
    # A prefix naming the resource (`/items`) belongs to that resource alone.
    return "" if named is not None else prefix


def _naming(pattern: str | None) -> RouterNaming:
    if pattern is None:
        return RouterNaming()
    pure = PurePosixPath(pattern)
    number: Literal["plural", "singular"] = (
        "plural" if "{plural}" in pattern else "singular"
    )
    if "{" in str(pure.parent):
        return RouterNaming(pattern=pattern, number=number, file_name=pure.name)
    suffix = re.sub(r"\{\w+\}", "", pure.stem)
    return RouterNaming(pattern=pattern, number=number, suffix=suffix)


def _style(facts: ProjectFacts) -> tuple[LayoutStyle, str]:
    naming, app = facts.router_naming, facts.app
    if app is None and not facts.routers:
        return "unknown", ""
    if naming.file_name is not None:
        packages = str(PurePosixPath(naming.pattern or "").parent)
        style: LayoutStyle = (
            "domain" if naming.file_name == "router.py" else ("per-resource-package")
        )
        return style, f"resource packages {packages}/ each with {naming.file_name}"
    separate = {
        *facts.models.modules, *facts.schema_modules, *facts.crud_modules,
        *facts.service_modules, *facts.repository_modules,
    } - {app.file if app else ""}  # fmt: skip
    outside = [r for r in facts.routers if app is None or r.file != app.file]
    if not outside and not separate:
        return "single-module", "everything in one module"
    return "layered", "; ".join(_layered_detail(facts))


def _layered_detail(facts: ProjectFacts) -> list[str]:
    parts: list[str] = []
    pattern = facts.router_naming.pattern
    if any(r.class_based for r in facts.routers):
        repos = " + repositories" if facts.repository_modules else ""
        parts.append(f"class-based controllers{repos}")
    if pattern is not None:
        parts.append(f"{PurePosixPath(pattern).parent.name} as package")
    elif facts.app is not None:
        parts.append(f"routes in {facts.app.file}")
    models = facts.models.modules
    if len(models) == 1 and PurePosixPath(models[0]).parent.name != "models":
        parts.append(f"single {PurePosixPath(models[0]).name} module")
    elif models:
        parts.append("models package")
    roles = (
        ("crud", facts.crud_modules),
        ("services", facts.service_modules),
        ("repositories", facts.repository_modules),
    )
    for role, modules in roles:
        if len(modules) == 1:
            parts.append(f"single {PurePosixPath(modules[0]).name} module")
        elif modules:
            parts.append(f"{role} package")
    return parts


def _resources(routers: Sequence[RouterModule], models: set[str]) -> tuple[str, ...]:
    named = {r.resource for r in routers if r.resource}
    return tuple(sorted(models | named))


def read_code(
    corpus: Corpus,
    config: Sequence[str],
    versions: Sequence[PackageVersion],
    *,
    api_app: str | None = None,
) -> ProjectFacts:
    """Derive every fact the Python sources state, without tests or migrations.

    `api_app` (``path/to/module.py:name``) is the API app where the project has
    several.
    """
    index = ModuleIndex(corpus.files)
    app = _find_app(corpus, api_app)
    app_root = _package_root(app.file, frozenset(corpus.files)) if app else None
    settings, values = deps.find_settings(corpus)
    models = deps.find_models(corpus)
    routers = _routers(corpus)
    resources = _resources(routers, deps.model_resources(models))
    resource_files = sorted({r.file for r in routers if r.resource})
    best = Patterns(resources).best(resource_files)
    registrations = _registrations(corpus, index, values)
    other_apps = frozenset(path for path, scan in corpus.scans.items() if scan.apps) - {
        app.file if app else ""
    }
    registry = _registry(registrations, set(resource_files), app, other_apps)
    route_files = sorted({r.file for r in routers} | ({app.file} if app else set()))
    session = deps.find_session_dependency(corpus, route_files)
    schemes = deps.find_security_schemes(corpus)
    roles = deps.role_modules(corpus.sources)
    facts = ProjectFacts(
        app_root=app_root, app=app, project_dir=_project_dir(app_root, config),
        resources=resources, routers=tuple(routers),
        router_naming=_naming(best[0] if best else None),
        registrations=tuple(registrations), router_registry=registry,
        api_prefix=_api_prefix(registry, app, registrations, routers),
        versions=tuple(versions), pydantic_major=deps.pydantic_major(corpus, versions),
        orm=deps.find_orm(corpus, models, versions),
        session_async=deps.session_is_async(corpus, session),
        session_dependency=session,
        current_user_dependency=deps.find_user_dependency(corpus, route_files),
        security_schemes=schemes, models=models,
        schema_modules=roles["schemas"],
        crud_modules=roles["crud"],
        service_modules=roles["services"],
        repository_modules=roles["repositories"],
        dependency_modules=roles["dependencies"],
        settings=settings, db_module=deps.find_db_module(corpus, session),
        security_module=deps.find_security_module(corpus.sources, schemes),
        pagination=deps.find_pagination(corpus, versions),
    )  # fmt: skip
    style, detail = _style(facts)
    return dataclasses.replace(facts, style=style, style_detail=detail)
