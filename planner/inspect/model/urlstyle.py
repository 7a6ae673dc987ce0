"""How the project spells its URLs: word separator and the number of nouns."""

from __future__ import annotations

from .names import Names, replace_names
from .records import ProjectModel, Resource


def url_kebab(model: ProjectModel) -> bool:
    """Whether the project's URLs join words with hyphens (`order-items`)."""
    return model.convention("url_case").winner == "kebab"


def url_names(model: ProjectModel, ex: Resource, old: Names, new: Names) -> Names:
    """The new resource's names for its URLs, in the number the project uses.

    The exemplar's prefix is followed, save that a project which clearly names
    its collections in the singular (`/wallet/{id}`) or the plural gets the
    new one in that number even when the exemplar is the exception.
    """
    number = model.convention("path_noun").winner
    last = ex.served_prefix.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")
    if number == "singular" and last == "_".join(old.plural) != "_".join(old.singular):
        return Names(new.singular, new.singular)
    if number == "plural" and last == "_".join(old.singular) != "_".join(old.plural):
        return Names(new.plural, new.plural)
    return new


def prefix_place(
    model: ProjectModel, ex: Resource, old: Names, new: Names
) -> tuple[tuple[str, str], ...]:
    """Where the exemplar's router gets its prefix, so the new one gets it there.

    ``router``: `APIRouter(prefix=...)`; ``include``: the `include_router`
    that mounts it; ``decorator``: the routes' own paths name the resource;
    ``app``: the routes sit on the app itself, whose name ``router_name`` is.
    """
    rm = next((r for r in model.routers if r.file == ex.router_file), None)
    if rm is None:
        return ()
    if any((a.file, a.name) == (rm.file, rm.name) for a in model.apps):
        return (("router_prefix_at", "app"), ("router_name", rm.name))
    if ex.served_prefix.rstrip("/") != rm.served_prefix.rstrip("/"):
        return (("router_prefix_at", "decorator"),)
    if not rm.own_prefix:
        return (("router_prefix_at", "include"),)
    own = renamed_prefix(rm.own_prefix, old, new, kebab=url_kebab(model))
    return (("router_prefix_at", "router"), ("router_prefix", own))


def renamed_prefix(prefix: str, old: Names, new: Names, *, kebab: bool) -> str:
    """The exemplar's prefix with the new resource's names in it.

    A prefix that does not name the exemplar (`/groups/shopping/items` of
    `shopping_lists`) would be the exemplar's own: the new resource's noun
    takes its last segment's place, beside it.
    """
    renamed = replace_names(prefix, old, new, url=kebab)
    if renamed != prefix or not prefix.strip("/"):
        return renamed
    noun = replace_names(
        "/" + ("-" if kebab else "_").join(old.plural), old, new, url=kebab
    )
    return prefix.rstrip("/").rsplit("/", 1)[0] + noun
