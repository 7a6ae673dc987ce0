"""Where a route path lives in the project: its resource, files and parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.engine.builder import Context
from planner.inspect.model.names import singularise
from planner.spec import pluralize

# Segments that version or namespace an API rather than name a resource.
_NAMESPACE = re.compile(r"api|v\d+(\.\d+)*")
_IRREGULAR_SINGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman",
    "mice": "mouse", "geese": "goose", "teeth": "tooth", "feet": "foot",
}  # fmt: skip


def singularize(plural: str) -> str:
    """Return the singular of a snake_case plural (the inverse of `pluralize`)."""
    head, _, last = plural.rpartition("_")
    prefix = f"{head}_" if head else ""
    if pluralize(plural) == plural:
        return plural  # uncountable: news, series
    # The English reading first (`cases` → `case`, `classes` → `class`): both
    # `cas` and `case` pluralise to `cases`.
    candidates = [_IRREGULAR_SINGULAR.get(last, ""), singularise(last)]
    if last.endswith("ies"):
        candidates.append(last[:-3] + "y")
    if last.endswith("es"):
        candidates.append(last[:-2])
    if last.endswith("s"):
        candidates.append(last[:-1])
    for candidate in candidates:
        if candidate and pluralize(prefix + candidate) == plural:
            return prefix + candidate
    return plural  # uncountable ("news") or already singular ("health")


def identifier(segment: str) -> str:
    """Return a path segment as a snake_case name (`order-items` → `order_items`)."""
    name = re.sub(r"[^a-z0-9]+", "_", segment.lower()).strip("_") or "root"
    return f"r_{name}" if name[0].isdigit() else name


def path_parameters(path: str) -> tuple[str, ...]:
    """Return the `{name}` parameters of a path, in order."""
    return tuple(re.findall(r"\{([a-z][a-z0-9_]*)\}", path))


def parameter_type(name: str, overrides: dict[str, str] | None = None) -> str:
    """Return the Python type of a path parameter: given, or read from its name."""
    if overrides and name in overrides:
        return {"int": "int", "str": "str", "uuid": "UUID"}[overrides[name]]
    if name == "id" or name.endswith("_id"):
        return "int"
    if name == "uuid" or name.endswith("_uuid"):
        return "UUID"
    return "str"


@dataclass(frozen=True, slots=True)
class RouteTarget:
    """The resource a path belongs to and the project files that serve it."""

    path: str
    plural: str
    singular: str
    router: str
    service: str
    schema: str
    model: str
    test: str
    relative_path: str

    @property
    def slug(self) -> str:
        """The resource's URL segment and OpenAPI tag (`order-items`)."""
        return self.plural.replace("_", "-")

    @property
    def acts_on_item(self) -> bool:
        """Tell whether the path names one existing row (it has a parameter)."""
        return bool(path_parameters(self.path))


def served_path(ctx: Context, path: str) -> str:
    """Return a spec path (relative to the API root) as the project serves it."""
    prefix = ctx.layout.api_prefix.rstrip("/")
    if not prefix or path == prefix or path.startswith(prefix + "/"):
        return path
    return prefix + path


def route_target(ctx: Context, path: str) -> RouteTarget:
    """Derive the resource from the first static, non-namespace path segment.

    `/orders/{order_id}/cancel` belongs to `orders`, served by the route module
    the layout names for it; the decorator path is what follows the router's
    prefix (`/{order_id}/cancel`).
    """
    prefix = ctx.layout.api_prefix
    rest = path[len(prefix) :] if prefix and path.startswith(prefix + "/") else path
    segments = [s for s in rest.split("/") if s]
    static = [
        (i, s)
        for i, s in enumerate(segments)
        if not s.startswith("{") and not _NAMESPACE.fullmatch(s.lower())
    ]
    index, segment = static[0] if static else (len(segments), "root")
    plural = identifier(segment)
    singular = singularize(plural)
    lay = ctx.layout
    names = {"singular": singular, "plural": plural}
    relative = "/" + "/".join(segments[index + 1 :])
    return RouteTarget(
        path=path,
        plural=plural,
        singular=singular,
        router=lay.path(lay.route_module, **names),
        service=lay.path(lay.service_module, **names),
        schema=lay.path(lay.schema_module, **names),
        model=lay.path(lay.model_module, **names),
        test=lay.path(lay.test_module, **names),
        relative_path="" if relative == "/" else relative,
    )
