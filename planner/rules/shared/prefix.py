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


def registration(
    ctx: Context,
    module: str,
    registry: str,
    api_prefix: str,
    names: tuple[str, str] = ("", ""),
) -> str:
    """How a new router module is registered in `registry`, as its siblings are.

    Where the registry names the routers in a collection it includes in a
    loop (`API_ROUTERS = (api.flows.router, ...)`), the new router joins the
    collection in the form of its entries; else it gets its own
    `include_router(...)` call; where it calls a function of its own for
    each router, the new one gets that call, its router named for the
    resource (`names`: singular, plural). `api_prefix` is where the app
    serves them.
    """
    listed = ctx.targets.slot("router_list") if ctx.targets is not None else None
    parts = (listed or "").rsplit(" ", 2)
    if len(parts) == 3 and parts[0] == registry and parts[1] == "call":
        singular, plural = names
        call = (
            parts[2]
            .replace("+", plural or module)
            .replace("*", singular or module)
            .replace(",", ", ")
        )
        return (
            f"Import the router of the new `{module}` module and add `{call}` next "
            "to the existing calls, as the project includes its routers; "
            f"{where_prefix_lives(ctx)}."
        )
    if len(parts) == 3 and parts[0] == registry:
        _, name, entry = parts
        new = entry.replace("*", module)
        served = f", all served under `{api_prefix}`" if api_prefix else ""
        return (
            f"Add `{new}` to `{name}`, imported as the routers listed there are"
            f"{served}; {where_prefix_lives(ctx)}."
        )
    mounts = f" (which mounts under `{api_prefix}`)" if api_prefix else ""
    return (
        f"Import the `{module}` router and add `include_router(...)` next to the "
        f"existing ones{mounts}; {where_prefix_lives(ctx)}."
    )
