"""Where an API-key scheme's parts go: the key's table, data access and dependency.

A project that has API keys already (a key table, a key module, a data access
module named for keys) gets them extended, never created again. Otherwise the
key is planned as a new resource by analogy with one that has its own model
and data access module (``models/<name>.py`` with ``managers/<name>.py``, or
``db/<name>.py``), and the key's dependency goes where the project keeps its
dependencies. A key that opens the routes of one audience the project already
issues a credential to (admins, with an ``AdminSessionToken``) is named for
that audience: ``AdminApiKey``.
"""

from __future__ import annotations

import dataclasses
import posixpath

from .analogy import pick_exemplar, plan_files
from .authguard import existing_guard
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
# Words naming a credential a caller presents; the words before them in a
# table's name say whose credential it is (``AdminSessionToken``: admins').
_CREDENTIAL_WORDS = frozenset({"session", "sessions", "token", "tokens", "cookie"})


def key_table(model: ProjectModel) -> TableClass | None:
    """The project's API-key table (``ApiKey``, ``api_keys``), if it has one."""
    for table in sorted(model.tables, key=lambda t: (t.file, t.line)):
        spelled = set(words(table.name)) | set(words(table.tablename))
        if {"apikey", "apikeys"} & spelled or (
            "api" in spelled and {"key", "keys"} & spelled
        ):
            return table
    return None


def key_audience(model: ProjectModel) -> tuple[tuple[str, ...], str]:
    """Whose keys these are, when the routes they open say so, and the proof.

    ``(("admin",), "AdminSessionToken")``; ``((), "")`` for everyone's keys.

    The key is accepted where the project's guard is required. When every
    router module that applies the guard sits below one folder named for an
    audience (``apps/admin/routers/``), and the project already keeps a
    credential of that audience in a table (``AdminSessionToken``), the key is
    that audience's credential too, and is named like it: a general
    ``ApiKey`` would claim the name a later kind of key (users' own) needs.
    """
    guard = existing_guard(model)
    if guard is None or not guard.routers:
        return (), ""
    folders = set(guard.routers[0].split("/")[:-1])
    for path in guard.routers[1:]:
        folders &= set(path.split("/")[:-1])
    for table in sorted(model.tables, key=lambda t: (t.file, t.line)):
        named = words(table.name)
        cut = next((i for i, w in enumerate(named) if w in _CREDENTIAL_WORDS), 0)
        if cut and "_".join(named[:cut]) in folders:
            return named[:cut], table.name
    return (), ""


def _key_data_access(model: ProjectModel) -> str | None:
    """The project's data access module named for API keys (``db/api_key.py``)."""
    found = sorted(
        (
            p
            for p in model.paths
            if p.rsplit("/", 1)[-1].removesuffix(".py") in KEY_STEMS
            and not is_test_path(p)
            and role_of(p) == "service"
        ),
        key=lambda p: (p.count("/"), p),
    )
    return found[0] if found else None


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


def _existing_key_parts(
    model: ProjectModel, plan: AuthFiles, table: TableClass | None
) -> Names:
    """The key's existing table and data access as slots, and the new key's names.

    A new key is ``api_key``, or its audience's (``admin_api_key``).
    """
    audience, like = key_audience(model) if table is None else ((), "")
    names = Names.of("_".join((*audience, "api_key"))) if audience else _KEY
    if audience:
        plan.slots["key_name"] = "_".join(names.singular)
        plan.slots["key_like"] = like
    access = _key_data_access(model)
    if access is not None:
        plan.add(access, "service", "the project's API-key data access", exists=True)
        plan.slots["key_service"] = access
    if table is not None:
        plan.add(table.file, "model", f"the `{table.name}` table", exists=True)
        plan.slots["key_model"] = table.file
        plan.slots["key_table"] = table.name
        plan.slots["key_columns"] = " ".join(table.columns)
    return names


def plan_key_parts(
    model: ProjectModel, plan: AuthFiles, ex: Resource | None, root: str
) -> None:
    """The key's table model, data access and dependency module, as slots.

    ``key_model`` holds the key's table class (``key_table`` and
    ``key_columns`` name an existing one, ``key_name`` a new one's singular),
    ``key_service`` its data access, ``key_deps`` the module of the key
    dependency, ``key_module`` the project's own key helpers.
    """
    table = key_table(model)
    names = _existing_key_parts(model, plan, table)
    access = plan.slots.get("key_service")
    data = _data_exemplar(model, ex)
    if data is not None:
        files = plan_files(
            model, data, names, roles=_DATA_ROLES, migration=False, shared=False
        )
        if table is not None:
            # The key's table exists: its model module and registries stay.
            files = {p: t for p, t in files.items() if t.role == "service"}
        if access is not None:
            # Keys have data access already: no second module beside it.
            files = {p: t for p, t in files.items() if t.role != "service"}
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
        path = posixpath.join(folder, "_".join(names.singular) + ".py")
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
    if "key_like" in slots:
        parts.append(
            "the key is named for the callers of the routes it opens "
            f"(`{slots['key_name']}`), as `{slots['key_like']}` is"
        )
    if reused:
        parts.append("reuses " + ", ".join(dict.fromkeys(reused)))
    return "API keys: " + "; ".join(parts) if parts else "no resource to follow"
