"""Where a new router's prefix is set: where the project sets its routers'."""

from __future__ import annotations

from planner.engine.builder import Context


def _place(ctx: Context) -> tuple[str | None, str]:
    """Where the exemplar's prefix is set (see `prefix_place`), and its name."""
    targets = ctx.targets
    if targets is None:
        return None, ""
    name = targets.exemplar.name if targets.exemplar is not None else ""
    return targets.slot("router_prefix_at"), name


def router_line(ctx: Context, slug: str) -> str:
    """The new module's `APIRouter(...)`, its prefix set as the exemplar's is."""
    place, name = _place(ctx)
    tags = f'tags=["{slug}"]'
    if place == "app":
        app = (ctx.targets.slot("router_name") if ctx.targets else None) or "app"
        return (
            f"the routes go on `{app}` itself with their full paths "
            f"(`@{app}.get(...)`), as `{name}`'s do; no `APIRouter`"
        )
    if place == "include":
        return (
            f"`router = APIRouter({tags})` without a prefix: the project sets "
            f"each router's prefix where it includes it, as `{name}`'s"
        )
    if place == "decorator":
        return (
            f"`router = APIRouter({tags})` with the full paths in the "
            f"decorators, as `{name}`'s routes have them"
        )
    own = (ctx.targets.slot("router_prefix") if ctx.targets else None) or f"/{slug}"
    return f'`router = APIRouter(prefix="{own}", {tags})`'


def where_prefix_lives(ctx: Context) -> str:
    """How the registration says where the new router's prefix goes."""
    place, _ = _place(ctx)
    if place == "include":
        return "pass the prefix to `include_router(...)`, as the others do"
    if place in ("decorator", "app"):
        return "the decorators carry the paths"
    return "the prefix and tags live on the `APIRouter` itself"
