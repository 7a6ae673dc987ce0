"""Reading a project into a :class:`ProjectModel`."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from . import modelcache
from .names import Names
from .records import (
    ProjectModel,
    Registry,
    Resource,
    Route,
    SettingsClass,
    Unparsed,
)

if TYPE_CHECKING:
    from .index import ProjectIndex


def _configured_app(root: Path) -> str | None:
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("tool", {}).get("planner", {}).get("app")
    return value if isinstance(value, str) else None


def _api_root(routes: tuple[Route, ...]) -> str:
    """The leading segments most routes share (``/api``, ``/api/v1``, ``/v1``)."""
    root = ""
    pool = list(routes)
    while pool:
        counts = Counter(
            seg
            for r in pool
            if (seg := r.path[len(root) :].lstrip("/").split("/")[0]) and "{" not in seg
        )
        if not counts:
            break
        seg, n = counts.most_common(1)[0]
        if n * 2 < len(pool) or (
            seg not in ("api", "v1", "v2", "v3") and not seg.startswith("api")
        ):
            break
        root += "/" + seg
        pool = [r for r in pool if r.path.startswith(root + "/")]
    return root


FACTORY = "create_{singular}"


def _factories(index: ProjectIndex, resources: tuple[Resource, ...]) -> list[Registry]:
    """Modules with a ``create_<name>`` for most resources: test data factories.

    A new resource adds its own beside them (``testing/common.py`` with
    ``create_user``, ``create_project``, ``create_run``...).
    """
    singles = {"_".join(Names.guess(r.plural).singular) for r in resources}
    if len(singles) < 3:
        return []
    wanted = {f"create_{s}" for s in singles}
    out: list[Registry] = []
    for module, summary in sorted(index.by_module.items()):
        named = len(wanted.intersection(summary.defined))
        # A third: routers for health, auth or stats have no factory.
        if named >= 3 and named * 3 >= len(singles):
            out.append(
                Registry(index.path_of[module], "factory", FACTORY, named, len(singles))
            )
    return out


def read_project(
    root: Path,
    *,
    app: str | None = None,
    cache: bool = True,
    ignore: frozenset[str] = frozenset(),
) -> ProjectModel:
    """Read a FastAPI project: apps, routers, resources, conventions, migrations.

    Files whose relative path is in `ignore` are read as absent; such a
    partial view is neither read from nor kept in the model cache.
    """
    app = app or _configured_app(root)
    if not cache or ignore:
        return _read(root, app, cache=cache, ignore=ignore)
    key = modelcache.fingerprint(root, app or "")
    found = modelcache.load(root, key)
    if found is not None:
        return found
    model = _read(root, app, cache=True)
    if model.routes or model.resources:  # nothing worth keeping otherwise
        modelcache.save(root, key, model)
    return model


def _read(
    root: Path, app: str | None, *, cache: bool, ignore: frozenset[str] = frozenset()
) -> ProjectModel:
    # Imported here: a run that finds its model in the cache never loads the
    # readers, nor the summary and index types they build.
    from .conventions import measure
    from .errorhandlers import read_error_handlers
    from .guards import find_guards, read_uses
    from .httperrors import read_base_writes, read_http_errors
    from .index import ProjectIndex
    from .lists import read_lists
    from .migrations import read_migrations
    from .passwords import stores_plain_passwords
    from .registries import find_registries
    from .resources import build_resources
    from .routes import build_tree, read_routing
    from .tables import table_classes, with_id_makers
    from .tablestyle import table_votes

    index = ProjectIndex(root, cache=cache, ignore=ignore)
    tree = build_tree(index)
    routing = read_routing(index, tree, app)
    uses, routing = read_uses(index, tree, routing)
    resources = with_id_makers(
        index, build_resources(index, routing.routers, routing.routes)
    )
    registries: dict[tuple[str, str], Registry] = {}
    tables, namers = table_classes(index)
    # What the project's modules may be named for: its served resources, and
    # the tables behind them and beside them (a manager per table).
    entities = [Names.guess(res.plural) for res in resources] + [
        Names.guess(t.tablename) for t in tables if t.tablename
    ]
    words = frozenset(
        w
        for n in entities
        for w in ("_".join(n.singular), "_".join(n.plural), "-".join(n.plural))
    )
    for res in resources:
        names = Names.guess(res.plural)
        for f in res.files:
            if f.own:
                for reg in find_registries(index, f.path, names, f.role, words):
                    registries.setdefault((reg.path, reg.pattern), reg)
    for reg in (
        *_factories(index, resources),
        *read_lists(index, resources, (t.tablename for t in tables)),
    ):
        registries.setdefault((reg.path, reg.pattern), reg)
    unknowns = [f"could not parse `{p}`: {why}" for p, why in sorted(index.unparsed)]
    if routing.reason.startswith("several"):
        unknowns.append(routing.reason)
    unknowns.extend(routing.unknowns)
    conventions = tuple(
        sorted(
            (*measure(index, routing.routes, resources, uses), *table_votes(tables)),
            key=lambda v: v.name,
        )
    )
    return ProjectModel(
        apps=routing.apps,
        api_app=routing.api_app,
        app_reason=routing.reason,
        routers=routing.routers,
        routes=routing.routes,
        resources=resources,
        conventions=conventions,
        registries=tuple(
            sorted(registries.values(), key=lambda r: (r.path, r.pattern))
        ),
        migrations=read_migrations(root, index),
        unparsed=tuple(Unparsed(p, why) for p, why in sorted(index.unparsed)),
        unknowns=tuple(unknowns),
        paths=index.files.all_paths,
        dirs=index.files.dirs,
        api_root=_api_root(routing.routes),
        tables=tables,
        table_namers=namers,
        guards=find_guards(index, uses, conventions),
        settings=_settings_classes(index),
        module_names=_module_names(index, resources),
        error_handlers=read_error_handlers(index),
        http_errors=read_http_errors(index),
        base_writes=read_base_writes(index, tables),
        plain_passwords=stores_plain_passwords(index, tables),
    )


def _module_names(
    index: ProjectIndex, resources: tuple[Resource, ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The top-level names of every schema and data-access module outside tests.

    A new resource whose schema module exists already reuses what it holds
    (`Identity`, `IdentityType`); one modelled on a data-access class
    (`ClientManager`, a `controllers/user.py`'s `UserController`) gets a
    class of its own.
    """
    from .roles import is_test_path, role_of

    layers = {f.path for res in resources for f in res.files if f.role == "service"}
    return tuple(
        (path, index.by_module[mod].defined)
        for path, mod in sorted(index.module_of.items())
        if index.path_of.get(mod) == path
        and not is_test_path(path)
        and (role_of(path) in ("schema", "service") or path in layers)
        and index.by_module[mod].defined
    )


def _settings_classes(index: ProjectIndex) -> tuple[SettingsClass, ...]:
    """Every settings class outside the tests, with the fields it declares."""
    from .roles import is_test_path

    found = [
        SettingsClass(
            index.path_of[mod],
            c.name,
            tuple(f.name for f in c.fields if f.name not in ("model_config", "Config")),
        )
        for mod, s in index.by_module.items()
        if not is_test_path(index.path_of[mod])
        for c in s.classes
        if any(b.rsplit(".", 1)[-1].endswith("Settings") for b in c.bases)
    ]
    return tuple(sorted(found, key=lambda c: (c.file, c.name)))
