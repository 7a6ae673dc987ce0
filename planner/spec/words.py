"""Words of spec names: plurals and the parameters of a route path."""

import re
from functools import lru_cache


def path_parameters(path: str) -> list[str]:
    """Return the `{name}` parameters of a route path, in order."""
    return re.findall(r"\{([^{}]*)\}", path)


_IRREGULAR = {
    "person": "people", "child": "children", "man": "men", "woman": "women",
    "mouse": "mice", "goose": "geese", "tooth": "teeth", "foot": "feet",
    "datum": "data", "index": "indexes", "status": "statuses", "quiz": "quizzes",
}  # fmt: skip
_UNCOUNTABLE = frozenset(
    {"news", "series", "species", "info", "metadata", "media", "data"}
)


@lru_cache(maxsize=4096)  # pure; rules ask for the same plurals many times a plan
def pluralize(name: str) -> str:
    """Return the English plural of a snake_case name (last word only)."""
    head, _, last = name.rpartition("_")
    prefix = f"{head}_" if head else ""
    if last in _UNCOUNTABLE:
        return name
    if last in _IRREGULAR:
        return prefix + _IRREGULAR[last]
    if len(last) > 1 and last[-1] == "y" and last[-2] not in "aeiou":
        return prefix + last[:-1] + "ies"
    if last.endswith(("s", "x", "z", "ch", "sh")):
        return prefix + last + "es"
    return prefix + last + "s"


# Path segments that say who may call a group of routes (`/private/users`,
# `/admin/orders`), never which resource the routes serve.
AUDIENCE_SEGMENTS = frozenset(
    {"private", "public", "internal", "admin", "management", "backoffice", "staff"}
)
# Path segments that stand for the caller's own row (`/users/me`): no path id,
# the current-user dependency names it.
SELF_SEGMENTS = frozenset({"me", "self", "current", "mine"})


def resource_segments(path: str, *, groups: frozenset[str] = frozenset()) -> list[str]:
    """The segments of a path that name resources, parameters and actions.

    Audience words and ``groups`` (a project's own grouping prefixes) are
    dropped where another static segment follows them: ``/private/users``
    creates a user, ``/public`` alone is still a resource.
    """
    segments = [s for s in path.split("/") if s]
    kept: list[str] = []
    for i, segment in enumerate(segments):
        later = [s for s in segments[i + 1 :] if not s.startswith("{")]
        grouping = segment.lower() in AUDIENCE_SEGMENTS or segment in groups
        if grouping and later:
            continue
        kept.append(segment)
    return kept
