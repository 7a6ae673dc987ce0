"""How the project spells its URLs: word separator and the number of nouns."""

from __future__ import annotations

from .names import Names
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
