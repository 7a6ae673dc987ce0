"""How the project spells its URLs: word separator and the number of nouns."""

from __future__ import annotations

import posixpath

from .names import Names, replace_names, singularise, words
from .records import ProjectModel, Resource


def url_case(model: ProjectModel) -> str | None:
    """How the project's URLs join words: ``kebab`` (`order-items`), ``snake``.

    None where its routes do not settle it.
    """
    return model.convention("url_case").winner


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
    own = renamed_prefix(
        rm.own_prefix,
        old,
        new,
        case=url_case(model),
        siblings=sibling_prefixes(model, ex, own=True),
    )
    return (("router_prefix_at", "router"), ("router_prefix", own))


def renamed_prefix(
    prefix: str,
    old: Names,
    new: Names,
    *,
    case: str | None,
    siblings: tuple[str, ...] = (),
) -> str:
    """The exemplar's prefix with the new resource's names in it.

    Trailing segments that spell the exemplar's words between them
    (`/groups/shopping/lists` of `shopping_lists`) are its name, all replaced.
    A prefix that does not name the exemplar (`/groups/shopping/items`) would
    be the exemplar's own: the new noun goes below the longest part of it
    that two of the ``siblings`` (prefixes of the routers beside the
    exemplar's) are served under (`/groups`), else in its last segment's place.
    """
    renamed = replace_names(prefix, old, new, url=case)
    if renamed != prefix or not prefix.strip("/"):
        return renamed
    noun = replace_names(
        "/" + ("-" if case == "kebab" else "_").join(old.plural), old, new, url=case
    )
    segs = prefix.rstrip("/").split("/")
    spelled = _stems(old.singular)
    for k in range(2, len(segs)):
        tail = segs[-k:]
        if any("{" in s for s in tail):
            break
        if _stems(tuple(w for s in tail for w in words(s))) == spelled:
            return "/".join(segs[:-k]) + noun
    # The parent keeps a segment at least, and every path parameter: what
    # follows the exemplar's last one is its own.
    start = max((i + 1 for i, s in enumerate(segs) if "{" in s), default=2)
    for k in range(len(segs) - 1, max(start, 2) - 1, -1):
        head = "/".join(segs[:k])
        if sum(p == head or p.startswith(head + "/") for p in siblings) >= 2:
            return head + noun
    return "/".join(segs[:-1]) + noun


def _stems(ws: tuple[str, ...]) -> tuple[str, ...]:
    """Words in the singular, so `mealplans/rules` spells `mealplan_rules`."""
    return tuple(singularise(w) for w in ws)


def sibling_prefixes(
    model: ProjectModel, ex: Resource, *, own: bool
) -> tuple[str, ...]:
    """The prefixes of the other resources' routers in the exemplar's folder.

    ``own`` gives the routers' own prefixes, else the ones they are served at.
    """
    folder = posixpath.dirname(ex.router_file)
    served = {
        (res.router_file, res.served_prefix.rstrip("/"))
        for res in model.resources
        if res is not ex and posixpath.dirname(res.router_file) == folder
    }
    return tuple(
        sorted(
            (rm.own_prefix if own else rm.served_prefix).rstrip("/")
            for rm in model.routers
            if (rm.file, rm.served_prefix.rstrip("/")) in served and rm.prefix_read
        )
    )
