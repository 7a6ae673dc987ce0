"""Where a new resource's modules go: names as the exemplar's, packages with inits."""

from __future__ import annotations

import re

from .names import Names, mentions, replace_names, singularise
from .records import ProjectModel


def package_init(
    model: ProjectModel, old_path: str, new_path: str, old: Names, add: object
) -> None:
    """Add the ``__init__.py`` of each new package named for the resource.

    A resource package (``tags/router.py``) comes with its ``__init__.py``,
    and so does one whose exemplar lacks it while most packages laid out like
    it have one (``services/*_records/``): the exemplar's gap is no habit.
    """
    parts = old_path.split("/")
    first = next((i for i, p in enumerate(parts[:-1]) if mentions(p, old)), None)
    if first is None or not callable(add):
        return
    # Every folder from the first one named for the resource down is new
    # (`api/item/` and its `v1/`), and is a package where the exemplar's is.
    for i in range(first, len(parts) - 1):
        init = "/".join([*parts[: i + 1], "__init__.py"])
        why = f"as `{init}`" if init in model.paths else ""
        if not why and mentions(parts[i], old):
            why = _sibling_packages_init(model, "/".join(parts[:i]), parts[i], old)
        if why:
            new_init = "/".join([*new_path.split("/")[: i + 1], "__init__.py"])
            add(new_init, "package", why, own=True)


def _sibling_packages_init(
    model: ProjectModel, parent: str, part: str, old: Names
) -> str:
    """Why a new package gets an ``__init__.py`` its exemplar's lacks, or "".

    ``board_records/`` has none, while ``image_records/`` and
    ``preset_records/`` beside it do: more than half of the folders named in
    the same pattern decide.
    """
    spelling = next(
        (sp for sp in ("_".join(old.plural), "_".join(old.singular)) if sp in part),
        "",
    )
    if not spelling:
        return ""
    head, _, tail = part.partition(spelling)
    shape = re.compile(re.escape(head) + "[a-z0-9_]+" + re.escape(tail))
    base = parent + "/" if parent else ""
    siblings = [
        d
        for d in model.dirs
        if d.startswith(base)
        and "/" not in d[len(base) :]
        and shape.fullmatch(d[len(base) :])
    ]
    with_init = [d for d in siblings if f"{d}/__init__.py" in model.paths]
    if len(with_init) * 2 <= len(siblings):
        return ""
    pattern = f"{base}{head}*{tail}/"
    return f"as {len(with_init)} of {len(siblings)} `{pattern}` packages"


def mirrored_path(model: ProjectModel, path: str, old: Names, new: Names) -> str:
    """The exemplar's file with the new names, singular or plural as its folder is.

    ``events_body.py`` among ``review_body.py``, ``app_body.py`` and
    ``classification_body.py`` is the odd one: the new resource's file takes
    the folder's usual number (``export_case_body.py``), not the exemplar's.
    """
    mapped = replace_names(path, old, new)
    folder, _, name = path.rpartition("/")
    for word in (old.plural, old.singular):
        stem = "_".join(word)
        if not name.startswith(stem + "_"):
            continue
        tail = name[len(stem) :]
        nouns = [
            p.rpartition("/")[2].removesuffix(tail)
            for p in model.paths
            if p.startswith(folder + "/")
            and p.endswith(tail)
            and "/" not in p[len(folder) + 1 :]
        ]
        plural = sum(1 for n in nouns if singularise(n) != n)
        single = len(nouns) - plural
        was_plural = word == old.plural and old.plural != old.singular
        if was_plural and single > plural:
            number = new.singular
        elif not was_plural and plural > single:
            number = new.plural
        else:
            return mapped
        head = mapped.rpartition("/")[0]
        return f"{head}/{'_'.join(number)}{tail}" if head else "_".join(number) + tail
    return mapped


def mirrored_folders(model: ProjectModel, path: str, old: Names, new: Names) -> str:
    """The exemplar's path with the new names, each folder numbered as its siblings.

    ``tests/webhooks/test_endpoints.py`` among ``tests/account/``,
    ``tests/checkout/`` and more singular folders is the odd one: the new
    resource's tests go in ``tests/feedback/``, not ``tests/feedbacks/``.
    """
    parts = path.split("/")
    spelled = {"_".join(old.plural): True, "_".join(old.singular): False}
    out = replace_names(path, old, new).split("/")
    if len(out) != len(parts):
        return "/".join(out)
    for i, part in enumerate(parts[:-1]):
        if part not in spelled or old.plural == old.singular:
            continue
        parent = "/".join(parts[:i])
        nouns = [
            d.rpartition("/")[2]
            for d in model.dirs
            if d.rpartition("/")[0] == parent and d != "/".join(parts[: i + 1])
        ]
        plural = sum(1 for n in nouns if singularise(n) != n)
        single = len(nouns) - plural
        if spelled[part] and single > 2 * plural:
            out[i] = "_".join(new.singular)
        elif not spelled[part] and plural > 2 * single:
            out[i] = "_".join(new.plural)
    return "/".join(out)
