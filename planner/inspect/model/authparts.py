"""Facts an auth plan reads from the project model: includes, packages, passwords."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from .names import Names, words
from .records import (
    SIGNED_IN_CLIENT,
    Endpoint,
    ProjectModel,
    Resource,
    Route,
    TableClass,
    Target,
)
from .roles import is_test_path
from .tables import find_table


@dataclass
class AuthFiles:
    """The files an auth plan touches and the named parts they hold."""

    files: dict[str, Target] = field(default_factory=dict)
    slots: dict[str, str] = field(default_factory=dict)
    # Existing routes whose guard the plan changes.
    changed: list[Endpoint] = field(default_factory=list)

    def add(
        self, path: str, role: str, why: str, *, exists: bool, message: str = ""
    ) -> None:
        """Touch ``path`` (modified when it exists), unless it holds a placeholder."""
        if path and "{" not in path and "%(" not in path:
            action = "modify" if exists else "create"
            target = Target(path, action, role, why, message=message)
            self.files.setdefault(path, target)

    def merge(self, more: dict[str, Target]) -> None:
        """Touch the files of ``more`` that are not touched yet."""
        for path, t in more.items():
            self.files.setdefault(path, t)


# Column words of a stored credential: the table signs users in already.
_PASSWORD = frozenset({"password", "passwd"})
_PASSWORD_WORDS = _PASSWORD | {"hashed", "hash", "encrypted"}


def includer(model: ProjectModel, router: str) -> str | None:
    """The router module that includes the new router's siblings, if any.

    A module that only gathers routers (``api/__init__.py`` including
    ``api/user/v1/user.py``) is where a new sibling is included; the nearest
    one above the new router's folder wins.
    """
    with_routes = {r.file for r in model.routes}
    folder = posixpath.dirname(router)
    found = [
        rm.file
        for rm in model.routers
        if rm.reachable
        and rm.file not in with_routes
        and rm.file != router
        and folder.startswith(posixpath.dirname(rm.file))
        and (model.api_app is None or rm.file != model.api_app.file)
    ]
    return max(found, key=lambda p: (p.count("/"), p)) if found else None


def new_packages(model: ProjectModel, created: list[str]) -> list[str]:
    """The ``__init__.py`` of each new folder of ``created`` inside a package.

    Folders are visited from the top, so a new package's new subfolders are
    packages too (``app/auth/`` and ``app/auth/services/``).
    """
    new: set[str] = set()
    for path in created:
        folder = posixpath.dirname(path)
        while folder and folder not in model.dirs:
            new.add(folder)
            folder = posixpath.dirname(folder)
    packages: set[str] = set()
    for folder in sorted(new, key=lambda d: (d.count("/"), d)):
        parent = posixpath.dirname(folder)
        if parent in packages or f"{parent}/__init__.py" in model.paths:
            packages.add(folder)
    return [f"{d}/__init__.py" for d in sorted(packages)]


def collection_create(user: Resource) -> Route | None:
    """The `POST` to the users' collection, if the project serves one.

    Unguarded (no role check in `dependencies=`), it is sign-up already:
    registration changes it rather than adding a second route at the same
    method and path; guarded, registration needs a path of its own.
    """
    prefix = user.served_prefix.rstrip("/")
    return next(
        (r for r in user.routes if r.method == "POST" and r.path.rstrip("/") == prefix),
        None,
    )


def _user_table(model: ProjectModel, user: Resource) -> TableClass | None:
    """The table class of the accounts, by the resource's names or tables."""
    found = find_table(model, Names.guess(user.plural))
    if found is not None:
        return found
    return next((t for t in model.tables if t.tablename in user.tables), None)


def user_columns(model: ProjectModel, user: Resource) -> tuple[str, ...]:
    """The columns planner read on the accounts' table (none when not read)."""
    table = _user_table(model, user)
    return table.columns if table is not None else ()


def signs_in(model: ProjectModel, user: Resource) -> bool:
    """Whether the accounts' table stores a password already."""
    table = _user_table(model, user)
    return table is not None and any(_credential(c) for c in table.columns)


def _credential(column: str) -> bool:
    """``password``, ``hashed_password``, ``password_hash``; not ``db_password``."""
    spelled = set(words(column))
    return bool(spelled & _PASSWORD) and spelled <= _PASSWORD_WORDS


SETTINGS_STEMS = ("settings", "config")
_CONFIG = frozenset({"config", "configs", "settings"})
_GENERIC = frozenset({"app", "base", "core", "main", "common", "global"})


def settings_rank(path: str) -> int:
    """0 for ``settings.py``, 1 for ``app_config.py``, 2 for ``mail_config.py``."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".py")
    if stem in SETTINGS_STEMS:
        return 0
    return 1 if set(words(stem)) <= _CONFIG | _GENERIC else 2


def settings_like(path: str) -> bool:
    """``settings.py``, ``config.py``, or a config module in a config folder."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] in SETTINGS_STEMS:
        return True
    folder = parts[-2] if len(parts) > 1 else ""
    return folder in _CONFIG and bool(_CONFIG & set(words(parts[-1])))


def foreign(model: ProjectModel, path: str) -> bool:
    """Whether ``path`` belongs to another app's folder (a runner, a model server)."""
    api = model.api_app.file if model.api_app else ""
    for app in model.apps:
        folder = posixpath.dirname(app.file)
        if (
            folder
            and path.startswith(folder + "/")
            and not api.startswith(folder + "/")
        ):
            return True
    return False


def conftest_for(model: ProjectModel, plan: AuthFiles, test: str | None) -> str | None:
    """The conftest nearest the auth tests, else the one serving most tests."""
    tests = sorted(
        (p for p in model.paths if p.endswith("conftest.py") and is_test_path(p)),
        key=lambda p: (p.count("/"), p),
    )
    if test:
        # Only a conftest in a folder above the tests applies to them.
        tests = [p for p in tests if test.startswith(p.removesuffix("conftest.py"))][
            ::-1
        ]
    else:
        # The conftest that serves most of the project's tests.
        all_tests = [p for p in model.paths if is_test_path(p)]
        tests.sort(
            key=lambda c: (
                -sum(t.startswith(c.removesuffix("conftest.py")) for t in all_tests)
            )
        )
    if not tests:
        return None
    plan.add(tests[0], "conftest", SIGNED_IN_CLIENT, exists=True)
    return tests[0]


_ERROR_DIRS = ("exceptions", "errors")


def plan_errors(model: ProjectModel, plan: AuthFiles, user: Resource | None) -> None:
    """The project's module of user errors, in its exceptions package, if any.

    A project that keeps one error module per domain (``exceptions/user.py``)
    gets the sign-in errors (unknown user, wrong password) there, and its
    package ``__init__.py`` re-exports them.
    """
    stems = {user.singular, user.plural} if user else {"user", "users"}
    for folder in sorted(model.dirs, key=lambda d: (d.count("/"), d)):
        if folder.rsplit("/", 1)[-1] not in _ERROR_DIRS or foreign(model, folder):
            continue
        if is_test_path(folder + "/x.py"):
            continue
        mod = next(
            (
                f"{folder}/{s}.py"
                for s in sorted(stems)
                if f"{folder}/{s}.py" in model.paths
            ),
            None,
        )
        if mod is None:
            continue
        plan.add(mod, "errors", "the user errors", exists=True)
        plan.slots["errors"] = mod
        init = f"{folder}/__init__.py"
        if init in model.paths:
            plan.add(init, "errors", "re-exports the errors", exists=True)
            plan.slots["errors_init"] = init
        return
