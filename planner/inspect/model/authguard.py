"""Which files change when a new scheme must pass the guard routes run today.

A project that guards its routes with a dependency (``get_current_user``,
``require_session``) and adds a scheme beside it (API keys beside sessions)
wants the new credential accepted wherever the old one was required. There
are two ways, and the number of router modules that name the guard picks one:

- few (at most :data:`MAX_GUARDED_MODULES`): each module that names the guard
  switches to a new dependency that accepts either credential, and each
  router's tests gain a case with the new credential. A reviewer sees every
  route whose guard changed, and routes that must stay session-only can
  keep the old guard;
- many: the guard itself accepts the new credential (one module), and every
  route keeps its dependency. Editing dozens of modules the same way is a
  sweeping change a plan cannot review route by route.
"""

from __future__ import annotations

import posixpath

from .authparts import AuthFiles
from .names import Names, words
from .records import Endpoint, Guard, ProjectModel
from .testfiles import mirror_test

# Eight router modules is about what one reviewer checks route by route; the
# projects read so far guard either a handful of admin routers or dozens.
MAX_GUARDED_MODULES = 8
_DEPS = frozenset({"dependencies", "deps"})


def existing_guard(model: ProjectModel) -> Guard | None:
    """The current-user guard the project's routes run most, if any.

    The current-user vote counts each route's dependency once; its winner is
    the guard, else the guard that most routes run.
    """
    current = [g for g in model.guards if g.kind == "current-user"]
    if not current:
        return None
    winner = model.convention("current_user_dependency").winner or ""
    name = winner.partition(" ")[0].rsplit(".", 1)[-1]
    named = [g for g in current if g.name == name]
    return (named or current)[0]


def _test_of(model: ProjectModel, path: str) -> str | None:
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    test = mirror_test(model, path, Names.guess("_".join(words(stem)) or stem))
    return test if test in model.paths else None


def _guarded_routes(model: ProjectModel, guard: Guard) -> list[Endpoint]:
    """The served routes that run the guard: their contract changes with it.

    A route without a ``status_code`` answers FastAPI's default, 200.
    """
    uses = set(guard.uses)
    return [
        Endpoint(r.method, r.path, r.status_code or 200, "guarded", r.function)
        for r in sorted(model.routes, key=lambda r: (r.path, r.method, r.file))
        if r.served and (r.file, r.line) in uses
    ]


def _either_module(model: ProjectModel, plan: AuthFiles, guard: Guard) -> None:
    """A module of its own for the dependency that accepts either credential.

    A project that keeps one dependency module per concern (the key's own
    dependency in ``dependencies/``) gets the dependency that accepts the
    guard's credential or the key as a concern of its own, named for whom it
    authenticates (``admin_authentication.py``), and a test named like the
    guard's module's test, when the project tests its dependencies.
    """
    key_deps = plan.slots.get("key_deps")
    if not key_deps or posixpath.basename(posixpath.dirname(key_deps)) not in _DEPS:
        return
    audience = plan.slots.get("key_name", "").removesuffix("api_key")
    stem = f"{audience}authentication"
    path = posixpath.join(posixpath.dirname(key_deps), stem + ".py")
    plan.add(
        path,
        "dependency",
        "accepts the guard's credential or the key",
        exists=path in model.paths,
    )
    plan.slots["either_deps"] = path
    old = posixpath.basename(guard.file or "").removesuffix(".py")
    test = _test_of(model, guard.file) if guard.file else None
    if old and test and old in posixpath.basename(test):
        folder, name = posixpath.split(test)
        new = posixpath.join(folder, name.replace(old, stem))
        plan.add(new, "test", f"tests `{path}`", exists=new in model.paths)
        plan.slots["either_test"] = new


def plan_guard_extension(model: ProjectModel, plan: AuthFiles) -> None:
    """Plan the modules that accept the new credential where the old one was required.

    Slots: ``guard`` (``name (module)``), ``guard_name``, ``guard_file``,
    ``guard_mode`` (``modules`` or ``dependency``), ``guard_routers`` and
    ``guard_routes`` (counts).
    """
    guard = existing_guard(model)
    if guard is None or not guard.routers:
        return
    plan.slots.update(
        guard=guard.label,
        guard_name=guard.name,
        guard_routers=str(len(guard.routers)),
        guard_routes=str(guard.routes),
    )
    if guard.file:
        plan.slots["guard_file"] = guard.file
    if len(guard.routers) > MAX_GUARDED_MODULES and guard.file:
        plan.slots["guard_mode"] = "dependency"
        plan.add(
            guard.file,
            "guard",
            f"`{guard.name}` accepts the new credential too",
            exists=True,
        )
        return
    plan.slots["guard_mode"] = "modules"
    plan.changed.extend(_guarded_routes(model, guard))
    _either_module(model, plan, guard)
    for path in guard.files:
        if path != guard.file:
            plan.add(
                path,
                "guarded",
                f"requires `{guard.name}`: accept the new credential too",
                exists=True,
            )
    for path in guard.routers:
        test = _test_of(model, path)
        if test:
            plan.add(test, "guarded-test", f"tests `{path}`", exists=True)
