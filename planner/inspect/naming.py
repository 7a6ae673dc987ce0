"""Resource names in paths: singular/plural forms and `{singular}` patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from planner.inspect.model.names import singularise
from planner.spec import pluralize

# Route modules that serve no resource: login, health checks, helpers.
# What a resource's name in a path must not touch on either side.
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
NON_RESOURCES = frozenset({
    "admin", "api", "auth", "authentication", "base", "common", "core", "debug",
    "dependencies", "deps", "docs", "health", "healthcheck", "home", "index",
    "internal", "login", "logout", "main", "me", "meta", "misc", "oauth", "ping",
    "private", "public", "root", "router", "routers", "routes", "security",
    "signup", "register", "status", "system", "token", "utils", "views", "ws",
    "websocket", "websockets", "endpoints", "controllers", "controller", "v1",
    "v2", "v3", "api_v1", "api_v2",
})  # fmt: skip
ROUTE_AFFIXES = (
    "_router", "_routes", "_route", "_controller", "_endpoints", "_views", "_api",
)  # fmt: skip
GENERIC_ROUTE_STEMS = frozenset({
    "router", "routers", "routes", "views", "endpoints", "api", "controller",
    "controllers", "__init__",
})  # fmt: skip
_INVERSE = {
    "people": "person", "children": "child", "men": "man", "women": "woman",
    "mice": "mouse", "geese": "goose", "teeth": "tooth", "feet": "foot",
    "data": "datum", "indexes": "index", "indices": "index", "statuses": "status",
    "quizzes": "quiz", "addresses": "address", "buses": "bus", "aliases": "alias",
    "movies": "movie", "cookies": "cookie", "campuses": "campus",
}  # fmt: skip


def _candidate(last: str) -> str:
    if last in _INVERSE:
        return _INVERSE[last]
    if last.endswith("ies") and len(last) > 3:
        return last[:-3] + "y"
    return singularise(last)


def singularize(name: str) -> str:
    """Return the singular of a snake_case name whose last word may be plural."""
    head, _, last = name.rpartition("_")
    candidate = _candidate(last)
    if last.endswith(("us", "ss", "is")) or pluralize(last) == last:
        return name  # status, class, basis; news, series
    if pluralize(candidate) != last:
        return name
    return f"{head}_{candidate}" if head else candidate


def number_of(name: str) -> str:
    """Return `plural`, `singular` or `unknown` for a resource-like name."""
    single = singularize(name)
    if single != name:
        return "plural"
    return "singular" if pluralize(name) != name else "unknown"


def route_resource(path: str) -> str | None:
    """Return the singular resource a route module serves, judged by its name."""
    pure = PurePosixPath(path)
    stem = pure.stem
    if stem in GENERIC_ROUTE_STEMS:
        stem = pure.parent.name
    for affix in ROUTE_AFFIXES:
        stem = stem.removesuffix(affix)
    stem = stem.removeprefix("routes_").removeprefix("router_")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", stem) or stem in NON_RESOURCES:
        return None
    return singularize(stem)


def snake(name: str) -> str:
    """Return the snake_case form of a CamelCase class name."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


class Patterns:
    """Turns paths into `{singular}`/`{plural}` patterns for known resources."""

    def __init__(self, resources: Iterable[str]) -> None:
        self._forms: dict[str, tuple[str, str]] = {}
        for single in resources:
            plural = pluralize(single)
            self._forms[plural] = (single, "{plural}")
            self._forms.setdefault(single, (single, "{singular}"))

    def pattern(self, path: str) -> tuple[str, str] | None:
        """Return (pattern, resource) when `path` names exactly one resource.

        A resource's form counts where it stands between characters that are
        not ASCII letters or digits (or the ends of the path); the longest
        form starting at a place wins. This is a scan, not a regex of all the
        forms, which would be compiled anew for every project.
        """
        seen: set[str] = set()
        parts: list[str] = []
        ends = [i for i, char in enumerate(path) if char not in _WORD] + [len(path)]
        start = 0  # of the text not yet copied to parts
        at = 0
        while at < len(path):
            found = None
            if at == 0 or path[at - 1] not in _WORD:
                found = self._longest_form(path, at, ends)
            if found is None:
                at += 1
                continue
            end, (resource, placeholder) = found
            parts += (path[start:at], placeholder)
            seen.add(resource)
            start = at = end
        if len(seen) != 1:
            return None
        return "".join(parts) + path[start:], seen.pop()

    def _longest_form(
        self, path: str, at: int, ends: list[int]
    ) -> tuple[int, tuple[str, str]] | None:
        for end in reversed(ends):
            if end <= at:
                return None
            form = self._forms.get(path[at:end])
            if form is not None:
                return end, form
        return None

    def best(
        self, paths: Iterable[str], *, prefer: tuple[str, ...] = ()
    ) -> tuple[str, tuple[str, ...]] | None:
        """Return the pattern most resources follow, with those resources."""
        found: dict[str, set[str]] = {}
        for path in paths:
            result = self.pattern(path)
            # A resource's own file is named for it, or sits in its folder:
            # `tests/{plural}/gmail/test_x.py` is one resource's sub-area.
            if result is not None and "{" in "/".join(result[0].split("/")[-2:]):
                found.setdefault(result[0], set()).add(result[1])
        # What one resource alone follows is a pattern only where its file is
        # named for it and no folder is (not `{plural}/gmail/test_{singular}`),
        # and for it alone, not for a topic of it (`test_{singular}_fromjson`,
        # `test_view_delete_current_{singular}`).
        found = {
            pattern: resources
            for pattern, resources in found.items()
            if len(resources) > 1
            or (_named_for_one(pattern.rpartition("/")[2]) and pattern.count("{") == 1)
        }
        if not found:
            return None

        def rank(item: tuple[str, set[str]]) -> tuple[int, int, str]:
            preferred = any(word in item[0] for word in prefer)
            return -len(item[1]), 0 if preferred else 1, item[0]

        pattern, resources = min(found.items(), key=rank)
        return pattern, tuple(sorted(resources))


# Words a module's name may add to a resource's and still be named for it
# alone: `{plural}_router.py`, `test_{singular}_api.py`.
_ROLE_WORDS = frozenset(
    {"test", "tests", "router", "routes", "views", "view", "api", "endpoints"}
    | {"service", "services", "crud", "models", "schemas", "repository", "py"}
)


def _named_for_one(name: str) -> bool:
    """Whether a file name with one placeholder names the resource alone."""
    if "{" not in name:
        return False
    rest = re.sub(r"\{(?:singular|plural)\}", " ", name.replace(".", " "))
    return all(w in _ROLE_WORDS for w in re.split(r"[\s_\-]+", rest) if w)
