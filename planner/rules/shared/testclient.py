"""How a plan's tests reach the API: the project's client, and its database habit."""

from __future__ import annotations

import posixpath

from planner.inspect.layout import Layout
from planner.render.escape import code, codes

__all__ = [
    "client_defaults",
    "client_fixture",
    "real_database",
    "uses_real_database",
]

_FORM = "application/x-www-form-urlencoded"


def client_fixture(layout: Layout, style: str = "", *, test_file: str = "") -> str:
    """How a test step names its HTTP client: the project's fixture, or a new one.

    The project's shared fixture is named, not described: it is built the
    project's way, which its own code shows. Where no conftest shares one and
    test modules build their own, the new module builds its client as the
    nearest of them does. `style` describes only a fixture the plan adds.
    """
    if layout.test_client_fixture:
        return f"Use the {code(layout.test_client_fixture)} fixture"
    own = nearest_own_client(layout, test_file)
    if own is not None and own[0] == test_file:
        # The tests go into the module that builds the client.
        _, name, kind = own
        what = code(name + "()") if kind == "helper" else code(name)
        return f"Use the module's own {what}" + " fixture" * (kind == "fixture")
    if own is not None:
        module, name, kind = own
        how = {
            "fixture": f"with a {code(name)} fixture of its own",
            "helper": f"with a helper like its {code(name + '()')}",
            "module": f"with a module-level {code(name)}",
        }[kind]
        return (
            f"Build the client as {code(module)} does, {how}: the project's "
            "conftests share no client fixture"
        )
    built = f" ({style})" if style else ""
    return (
        f"Add a `client` fixture{built} to the tests' `conftest.py`: none of the "
        "project's conftests, the modules they import fixtures from, or its "
        "test modules defines one planner could find"
    )


def nearest_own_client(layout: Layout, test_file: str) -> tuple[str, str, str] | None:
    """The test module building its own client nearest the new test module.

    Nearest by folder, then by the words the two modules' names share; a
    module pytest collects by its name before an `integration_test_...` one.
    """
    if not layout.test_own_clients:
        return None
    folder = posixpath.dirname(test_file)
    words = set(_stem(test_file).split("_")) - {"test"}

    def rank(item: tuple[str, str, str]) -> tuple[bool, int, int, bool, str]:
        module = item[0]
        home = posixpath.dirname(module)
        depth = 0
        for mine, theirs in zip(folder.split("/"), home.split("/"), strict=False):
            if mine != theirs:
                break
            depth += 1
        common = len(words & set(_stem(module).split("_")))
        collected = _stem(module).startswith("test_") or module.endswith("_test.py")
        return (home != folder, -depth, -common, not collected, module)

    return min(layout.test_own_clients, key=rank)


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]


def client_defaults(
    layout: Layout, *, paths: tuple[str, ...] = (), form: bool = False
) -> str:
    """What the shared fixture's client sends that the new tests must allow for.

    Its `base_url` path, which request paths are relative to, and its
    client-wide headers: a default `Content-Type` wins over the one httpx
    would give a form, so a form-encoded request sets its own. Empty where
    the fixture sets neither (or planner read none).
    """
    name = layout.test_client_fixture
    if not name:
        return ""
    found: list[str] = []
    base = layout.test_client_base_path
    if base:
        found.append(_base_url(name, base, paths))
    if layout.test_client_headers:
        who = "It" if found else f"The {code(name)} fixture"
        sends = f"{who} sends {codes(layout.test_client_headers)}"
        typed = [
            h
            for h in layout.test_client_headers
            if h.lower().startswith("content-type:") and _FORM not in h
        ]
        if form and typed:
            found.append(
                f'{sends} on every request: pass `headers={{"Content-Type": '
                f'"{_FORM}"}}` with each form post, or httpx keeps the '
                "fixture's type and the form arrives as JSON (422)."
            )
        else:
            found.append(f"{sends} on every request.")
    return " ".join(found)


def _base_url(name: str, base: str, paths: tuple[str, ...]) -> str:
    """How request paths are written against a fixture's `base_url` path."""
    inside = [p for p in paths if p.startswith(base + "/")]
    outside = [p for p in paths if p != base and not p.startswith(base + "/")]
    # The deepest path shows best what stays after the base.
    deepest = max(inside, key=lambda p: len(p.strip("/").split("/")), default="")
    example = f" ({code(deepest[len(base) :])}, not {code(deepest)})" if deepest else ""
    said = (
        f"The {code(name)} fixture's base URL ends in {code(base)}: write "
        f"request paths relative to it{example}."
    )
    if outside:
        said += (
            f" httpx joins every relative path onto {code(base)}: request "
            f"{code(outside[0])} by its absolute URL."
        )
    return said


def uses_real_database(layout: Layout) -> bool:
    """Whether the project's tests run on a real database and swap no dependency."""
    return bool(layout.test_db_fixtures) and not layout.tests_override_dependencies


def real_database(layout: Layout) -> str:
    """The clause telling tests to use the project's database fixtures, or ""."""
    if not uses_real_database(layout):
        return ""
    return (
        "the project's tests run against a real database set up by "
        f"{codes(layout.test_db_fixtures)} and never swap the session through "
        "`app.dependency_overrides`: do the same"
    )
