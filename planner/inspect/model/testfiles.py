"""Test modules: which test tests a module, and which tests a new resource gets."""

from __future__ import annotations

import posixpath
from collections import Counter

from .names import Names, mentions, singularise, words
from .records import ProjectModel, Resource, Target
from .roles import role_of

_GENERIC_STEMS = frozenset(
    {"router", "routes", "api", "views", "endpoints", "service", "services"}
    | {"crud", "models", "schemas", "repository", "manager", "handlers", "db"}
)


def handler_test(resource: Resource, function: str) -> str:
    """The test module of ``function`` where each handler has its own, else ""."""
    shape = handler_test_shape(resource)
    return shape.replace("{function}", function) if shape else ""


def handler_test_shape(resource: Resource) -> str:
    """How a resource names a test module per handler: ``.../test_{function}_route.py``.

    ``test_reset_profile_route.py`` tests the handler ``reset_profile``; the
    list handler's goes beside it as ``test_list_profiles_route.py``. The
    words around the handler's name (``test_view_<handler>.py``) are the
    project's where two handlers' tests share them.
    """
    handlers = sorted({r.function for r in resource.routes}, key=len, reverse=True)
    shapes: Counter[tuple[str, str, str]] = Counter()
    for test in sorted(resource.tests):
        folder, _, base = test.rpartition("/")
        stem = base.removesuffix(".py").removeprefix("test_")
        for name in handlers:
            before, found, after = stem.partition(name)
            if found and _around(before, after):
                shapes[(folder, before, after)] += 1
                break
    ranked = sorted(shapes.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or (ranked[0][1] < 2 and ranked[0][0][1]):
        return ""  # one test with words before its handler's name is no habit
    folder, before, after = ranked[0][0]
    return f"{folder}/test_{before}{{function}}{after}.py"


def _around(before: str, after: str) -> bool:
    """Whether the words around a handler's name in a test's name are a shape."""
    return (not before or before.endswith("_")) and (not after or after.startswith("_"))


def router_test(model: ProjectModel, router: str, names: Names) -> str:
    """The test module of a router (see :func:`mirror_test`)."""
    return mirror_test(model, router, names)


def _test_stems(file: str, names: Names) -> list[str]:
    """Names a test of ``file`` goes by, best first (without ``test_``)."""
    stem = file.rsplit("/", 1)[-1].removesuffix(".py")
    spelled = ["_".join(names.plural), "_".join(names.singular)]
    if mentions(stem, names) or stem.lower() not in _GENERIC_STEMS:
        return [stem, *spelled] if role_of(file) == "router" else [stem]
    return [f"{n}_{stem}" for n in spelled] + (
        [stem, *spelled] if role_of(file) == "router" else []
    )


def mirror_test(model: ProjectModel, file: str, names: Names) -> str:
    """The test module of a module: ``test_<stem>.py`` in the mirroring folder.

    A generic module (``tags/router.py``) is tested as ``test_tags_router.py``
    or, for a router, ``test_tags.py``; a test may spell the module's folders
    too (``test_apps_admin_users.py`` for ``apps/admin/routers/users.py``).
    """
    folders = set(file.split("/")[:-1])
    by_stem: dict[str, list[str]] = {}
    for p in model.paths:
        # A `test_*.py` or `*_test.py` name is test code wherever it lies.
        if p.endswith(".py"):
            base = p.rsplit("/", 1)[-1].removesuffix(".py")
            key = base.removeprefix("test_").removesuffix("_test")
            if key != base:
                by_stem.setdefault(key, []).append(p)
    folder_words = {w for f in folders for w in words(f)}
    stems = _test_stems(file, names)
    home = file.split("/")[-2] if "/" in file else ""
    for stem in stems:
        found = by_stem.get(stem) or [
            p
            for key, paths in by_stem.items()
            if key.endswith("_" + stem)
            and set(words(key.removesuffix(stem))) <= folder_words
            for p in paths
        ]
        if stem.lower() in _GENERIC_STEMS:
            # `test_views.py` tests the `views.py` of its own folder's feature
            # (`tests/webhooks/` that of `webhook/`), not every one:
            # `app/probe/tests/` is not `app/auth/views.py`'s.
            found = [
                p
                for p in found
                if singularise(home) in {singularise(d) for d in p.split("/")[:-1]}
            ]
        if found:
            return min(found, key=lambda p: _closeness(folders, p))
    if role_of(file) == "router" and "/" in file:
        # Only in the test folder that mirrors the router's own (`tests/app/
        # routers/` for `api/routers/`): elsewhere the words after the name
        # are a topic of the resource (`test_scripts_race_condition.py`).
        home = file.split("/")[-2]
        found = [
            p for p in _qualified(model, by_stem, stems) if home in p.split("/")[:-1]
        ]
        if found:
            return min(found, key=lambda p: (_closeness(folders, p), len(p)))
    return ""


def _qualified(
    model: ProjectModel, by_stem: dict[str, list[str]], stems: list[str]
) -> list[str]:
    """Tests of a router split by concern: ``test_boards_multiuser.py``.

    The words after the router's name qualify its test; they never make the
    name another resource's (``test_board_images_maintenance.py`` tests
    ``board_images``, not ``board``).
    """
    others = {
        "_".join(n)
        for res in model.resources
        for names in [Names.guess(res.plural)]
        for n in (names.plural, names.singular)
        if n
    }
    found: list[str] = []
    for stem in stems:
        for key, paths in sorted(by_stem.items()):
            if not key.startswith(stem + "_"):
                continue
            longer = {o for o in others if len(o) > len(stem)}
            if not any(key == o or key.startswith(o + "_") for o in longer):
                found.extend(paths)
        if found:
            break
    return found


def _closeness(folders: set[str], path: str) -> tuple[int, int, str]:
    parts = path.split("/")[:-1]
    return (-len(folders & set(parts)), len(parts), path)


# Module names that say what a module does, never what it serves.


def test_donor(
    model: ProjectModel, ex: Resource, old: Names
) -> tuple[Names, list[tuple[str, str]]]:
    """The exemplar's tests, else those of the siblings laid out like it.

    ``secrets/router.py`` beside ``workspaces/router.py``: the sibling with
    most tests (router and service) lends their names.
    """
    from .registries import sibling_pattern

    tests = exemplar_tests(model, ex, old)
    pattern = sibling_pattern(ex.router_file, old)
    if tests or pattern is None:
        return old, tests
    donors: list[tuple[int, str, Names, list[tuple[str, str]]]] = []
    for other in model.resources:
        names = Names.guess(other.plural)
        if other is ex or sibling_pattern(other.router_file, names) != pattern:
            continue
        found = exemplar_tests(model, other, names)
        # Its tests of helpers count for the best tested, yet are not lent.
        tested = len(exemplar_tests(model, other, names, helpers=True))
        if found:
            donors.append((-tested, other.name, names, found))
    if not donors:
        return old, []
    _, _, names, found = min(donors, key=lambda d: d[:2])
    return names, found


def exemplar_tests(
    model: ProjectModel, ex: Resource, old: Names, *, helpers: bool = False
) -> list[tuple[str, str]]:
    """The exemplar's router test and service test, each with the file it tests.

    Named for the router, a test of its helper modules alone is not its own
    (``helpers`` keeps it).
    """
    out: list[tuple[str, str]] = []
    test = mirror_test(model, ex.router_file, old)
    if test and (helpers or test not in ex.helper_tests):
        out.append((test, ex.router_file))
    # The first service module with a test of its own.
    for file in [f.path for f in ex.files if f.own and f.role == "service"]:
        test = mirror_test(model, file, old)
        if test and test not in {t for t, _ in out}:
            out.append((test, file))
            break
    return out


def sibling_test(model: ProjectModel, router: str) -> str | None:
    """The test of a new router, beside the tests of its sibling routers.

    ``views/auth_api.py`` beside ``views/api.py`` (tested in
    ``tests/views/test_api.py``) is tested in ``tests/views/test_auth_api.py``.
    """
    folder = posixpath.dirname(router)
    stem = router.rsplit("/", 1)[-1].removesuffix(".py")
    found = []
    for rm in sorted(model.routers, key=lambda r: r.file):
        if posixpath.dirname(rm.file) != folder or rm.file == router:
            continue
        test = mirror_test(model, rm.file, Names.guess(words_of(rm.file)))
        if test:
            found.append(f"{posixpath.dirname(test)}/test_{stem}.py")
    return found[0] if found else None


def words_of(path: str) -> str:
    """The stem of a module's file name."""
    return path.rsplit("/", 1)[-1].removesuffix(".py")


def shared_fixtures(ex: Resource) -> list[str]:
    """The ``conftest.py`` modules whose fixtures build the exemplar's objects.

    They import its modules; the new resource's tests need the same fixtures
    of their own, written beside them.
    """
    return sorted(t for t in ex.tests if t.rsplit("/", 1)[-1] == "conftest.py")


def beside_tests(model: ProjectModel, resource: Resource, router: str) -> str:
    """A test module for a router with none, beside its resource's tests.

    ``routes/scripts.py``, untested itself, while most tests that exercise
    its resource live in ``tests/unit/``: ``tests/unit/test_scripts.py``.
    "" when the resource has no test modules.
    """
    folders = Counter(
        posixpath.dirname(t)
        for t in resource.tests
        if t.rsplit("/", 1)[-1].startswith("test_") and t in model.paths
    )
    if not folders:
        return ""
    most = max(folders.values())
    tied = sorted(f for f in folders if folders[f] == most)
    folder = tied[0] if len(tied) == 1 else _router_tests_folder(model, tied)
    stem = words_of(router)
    if stem.lower() in _GENERIC_STEMS:
        stem = resource.plural
    return f"{folder}/test_{stem}.py"


def _router_tests_folder(model: ProjectModel, folders: list[str]) -> str:
    """Of test folders tied for a resource's tests, the one testing routers.

    ``tests/routers/`` (``test_workers.py`` for ``routes/workers.py``) over
    ``tests/controller/``, when a test in each only imports the resource's
    table.
    """
    named = {f"test_{words_of(r.router_file)}.py" for r in model.resources}
    testing = {
        folder
        for p in model.paths
        for folder, _, base in [p.rpartition("/")]
        if folder in folders and base in named
    }
    return min(folders, key=lambda f: (f not in testing, f))


def migration_test(model: ProjectModel, migration: str) -> str:
    """The test module of a new migration, where the project tests its others.

    ``migrations/migration_12.py`` beside two or more migrations each tested
    in ``tests/.../test_migration_<n>.py``: ``test_migration_12.py`` there.
    "" otherwise.
    """
    folder = posixpath.dirname(migration)
    head = folder + "/" if folder else ""
    stems = {
        p[len(head) :]
        for p in model.paths
        if p.startswith(head)
        and "/" not in p[len(head) :]
        and p != migration
        and p.endswith(".py")
    }
    tested = Counter(
        posixpath.dirname(p)
        for p in model.paths
        if p.rsplit("/", 1)[-1].startswith("test_")
        and p.rsplit("/", 1)[-1].removeprefix("test_") in stems
    )
    if not tested:
        return ""
    home, count = min(tested.items(), key=lambda i: (-i[1], i[0]))
    if count < 2:
        return ""
    return f"{home}/test_{migration.rsplit('/', 1)[-1]}"


def migration_tests(model: ProjectModel, files: dict[str, Target]) -> None:
    """A test for each new migration, where the project tests its migrations."""
    for t in list(files.values()):
        test = migration_test(model, t.path) if t.role == "migration" else ""
        if test and t.action == "create":
            why = f"the project tests its migrations one module each: `{t.path}`"
            files.setdefault(test, Target(test, "create", "test", why, True))
