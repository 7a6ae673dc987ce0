"""Where an API-key scheme's parts go: the key's table, data access and dependency.

A project that has API keys already (a key table, a key module) gets them
extended, never created again. Otherwise the key is planned as a new resource
by analogy with one that has its own model and data access module
(``models/<name>.py`` with ``managers/<name>.py``, or ``db/<name>.py``), and the
key's dependency goes where the project keeps its dependencies.
"""

from __future__ import annotations

import dataclasses
import posixpath

from .analogy import pick_exemplar, plan_files
from .authparts import AuthFiles
from .names import Names, words
from .records import ProjectModel, Resource, TableClass
from .roles import is_test_path, role_of

_KEY = Names.of("api_key")
_DATA_ROLES = frozenset({"model", "service"})
_ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})
_DEPS_DIRS = frozenset({"dependencies", "deps"})
KEY_STEMS = ("api_key", "api_keys", "apikey")
_LAYERS = frozenset({"router", "schema", "service", "model", "migration", "dependency"})


def key_table(model: ProjectModel) -> TableClass | None:
    """The project's API-key table (``ApiKey``, ``api_keys``), if it has one."""
    for table in sorted(model.tables, key=lambda t: (t.file, t.line)):
        spelled = set(words(table.name)) | set(words(table.tablename))
        if {"apikey", "apikeys"} & spelled or (
            "api" in spelled and {"key", "keys"} & spelled
        ):
            return table
    return None


def _stems(res: Resource, role: str) -> set[str]:
    return {
        f.path.rsplit("/", 1)[-1].removesuffix(".py")
        for f in res.files
        if f.own and f.role == role
    }


def _data_exemplar(model: ProjectModel, ex: Resource | None) -> Resource | None:
    """A resource whose model and data access modules are named for it alone.

    ``models/client.py`` with ``managers/client.py`` is the shape a key
    table follows; a resource whose files carry a prefix (``account_user.py``)
    would lend the key that prefix.
    """
    named = tuple(
        r
        for r in model.resources
        if all(
            _stems(r, role) and _stems(r, role) <= {r.singular, r.plural}
            for role in _DATA_ROLES
        )
    )
    if not named:
        return ex
    return pick_exemplar(dataclasses.replace(model, resources=named), _ALL_OPS) or ex


def _deps_folder(model: ProjectModel, root: str) -> str | None:
    """The project's package of dependency modules, one module per concern."""
    found = sorted(
        d
        for d in model.dirs
        if d.rsplit("/", 1)[-1] in _DEPS_DIRS
        and (not root or d.startswith(root + "/"))
        and f"{d}/__init__.py" in model.paths
        and not is_test_path(d + "/x.py")
    )
    return found[0] if found else None


def _layer_folder(path: str) -> bool:
    """Whether ``path`` sits in a folder of one layer (``db/``, ``models/``)."""
    return role_of(posixpath.dirname(path) + "/module.py") in _LAYERS


def key_module(model: ProjectModel, service: str | None) -> str | None:
    """The project's module of API-key helpers (``auth/api_key.py``), if any.

    A module so named in a layer's folder (``db/api_key.py``, a router) is
    that layer's, not the helpers.
    """
    routers = {rm.file for rm in model.routers}
    found = sorted(
        (
            p
            for p in model.paths
            if p.endswith(".py")
            and p.rsplit("/", 1)[-1].removesuffix(".py") in KEY_STEMS
            and not is_test_path(p)
            and p not in routers
            and p != service
            and not _layer_folder(p)
        ),
        key=lambda p: (p.count("/"), p),
    )
    return found[0] if found else None


def plan_key_parts(
    model: ProjectModel, plan: AuthFiles, ex: Resource | None, root: str
) -> None:
    """The key's table model, data access and dependency module, as slots.

    ``key_model`` holds the key's table class (``key_table`` and
    ``key_columns`` name an existing one), ``key_service`` its data access,
    ``key_deps`` the module of the key dependency, ``key_module`` the
    project's own key helpers.
    """
    table = key_table(model)
    if table is not None:
        plan.add(table.file, "model", f"the `{table.name}` table", exists=True)
        plan.slots["key_model"] = table.file
        plan.slots["key_table"] = table.name
        plan.slots["key_columns"] = " ".join(table.columns)
    data = _data_exemplar(model, ex)
    if data is not None:
        files = plan_files(
            model, data, _KEY, roles=_DATA_ROLES, migration=False, shared=False
        )
        if table is not None:
            # The key's table exists: its model module and registries stay.
            files = {p: t for p, t in files.items() if t.role == "service"}
        plan.merge({p: t for p, t in files.items() if t.role != "test"})
        for role in ("model", "service"):
            path = next((t.path for t in files.values() if t.role == role), None)
            if path:
                plan.slots.setdefault(f"key_{role}", path)
        plan.slots["key_follows"] = data.name
    module = key_module(model, plan.slots.get("key_service"))
    if module is not None:
        plan.slots["key_module"] = module
    folder = _deps_folder(model, root)
    if folder is not None and module is None:
        path = posixpath.join(folder, "api_key.py")
        plan.add(
            path, "dependency", "the API-key dependency", exists=path in model.paths
        )
        plan.slots["key_deps"] = path


def key_reason(model: ProjectModel, slots: dict[str, str]) -> str:
    """What an API-key plan extends, follows and reuses, for a reviewer to judge."""
    reused = [
        f"`{slots[k]}`"
        for k in ("key_model", "key_service", "key_module")
        if k in slots and slots[k] in model.paths
    ]
    parts = []
    if "key_table" in slots:
        parts.append(f"the project's `{slots['key_table']}` table is extended")
    elif "key_follows" in slots:
        parts.append(
            f"the key table and its data access follow `{slots['key_follows']}`"
        )
    if reused:
        parts.append("reuses " + ", ".join(dict.fromkeys(reused)))
    return "API keys: " + "; ".join(parts) if parts else "no resource to follow"
