"""The data layer a new resource gets: its exemplar's, written the same way.

A class per resource (``ClientManager``, ``UserController`` with its
``user_controller`` instance), an instance of a generic base
(``crud_users = CRUDUser(User)``), or, where the exemplar has none of its
own, the module its siblings each have, unless its routes do their data
work in their handlers.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from typing import Any

from .itempaths import operation_of
from .names import ACCESS_CLASS, Names, mentions, replace_names
from .records import ProjectModel, Resource

# A class per resource named for its role in the MVC sense (`UserController`
# over a generic CRUD base): the project's data access.
_CONTROLLER = re.compile(r"[a-z]Controller$")


def service_class(
    model: ProjectModel, ex: Resource, old: Names, new: Names
) -> tuple[tuple[str, str], ...]:
    """The exemplar's data-access class, and the new resource's name for it.

    ``service_class`` is ``NewName OldName path``: a project whose data access
    is a class per resource gets one more, not module functions.
    """
    known = dict(model.module_names)
    for f in ex.files:
        if f.role != "service" or not f.own:
            continue
        names = known.get(f.path, ())
        for name in names:
            if (ACCESS_CLASS.search(name) or _CONTROLLER.search(name)) and mentions(
                name, old
            ):
                mapped = replace_names(name, old, new)
                found = [("service_class", f"{mapped} {name} {f.path}")]
                # ``user_controller = UserController()``: the object the
                # routes import, made once where the class is.
                instance = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
                if instance in names:
                    made = replace_names(instance, old, new)
                    found.append(("service_object", f"{made} {instance}"))
                return tuple(found)
    return ()


def service_instance(
    ex: Resource, old: Names, new: Names
) -> tuple[tuple[str, str], ...]:
    """The exemplar's data access as an instance of a generic base, renamed.

    ``service_instance`` is ``new old module base methods``: the exemplar's
    own data module holds ``crud_users = CRUDUser(User)`` and its routes
    call methods the base in ``base`` writes (``get,get_multi``), so the new
    resource gets an instance too, not module functions.
    """
    own = {f.path for f in ex.files if f.own and f.role == "service"}
    found: dict[tuple[str, str, str], set[str]] = {}
    for r in ex.routes:
        # Where each object the route calls methods on lives.
        reached = {label.rpartition(".")[0]: path for path, label in r.called}
        for label, base in r.inherited:
            instance, _, method = label.rpartition(".")
            path = reached.get(instance, "")
            if path in own and mentions(instance, old):
                found.setdefault((instance, path, base), set()).add(method)
    if not found:
        return ()
    (instance, path, base), methods = min(found.items())
    mapped = replace_names(instance, old, new)
    calls = ",".join(sorted(methods))
    return (("service_instance", f"{mapped} {instance} {path} {base} {calls}"),)


def siblings_layers(model: ProjectModel, ex: Resource, new: Names, add: Any) -> None:
    """The data-access module of the new resource where the exemplar has none.

    ``features/prompt/api.py`` queries another resource's ``db/persona.py``,
    while ``folder``, ``document_set`` and ``persona``, laid out like it, each
    have a ``db/<name>.py``: the new resource gets one too.
    """
    from .registries import sibling_pattern

    if any(f.own and f.role == "service" for f in ex.files):
        return
    old = Names.guess(ex.plural)
    pattern = sibling_pattern(ex.router_file, old)
    votes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for other in model.resources:
        names = Names.guess(other.plural)
        if other is ex or sibling_pattern(other.router_file, names) != pattern:
            continue
        for f in other.files:
            if f.own and f.role == "service" and mentions(f.path, names):
                path = replace_names(f.path, names, new)
                votes[path] += 1
                examples.setdefault(path, f.path)
    if pattern is not None and votes:
        path, count = min(votes.items(), key=lambda v: (-v[1], v[0]))
        if count >= 2 and not _works_alone(ex, posixpath.dirname(path)):
            add(path, "service", f"as `{examples[path]}` and its siblings", own=True)


def _works_alone(ex: Resource, folder: str) -> bool:
    """Whether the exemplar's CRUD routes do their data work in their handlers.

    Each takes a session and none calls into the folder of the siblings' data
    modules: the new resource does as the exemplar does, not as the
    siblings' services, which its routes never use.
    """
    crud = [r for r in ex.routes if operation_of(r, ex.served_prefix)]
    return bool(crud) and all(
        r.session and not any(posixpath.dirname(p) == folder for p in r.calls)
        for r in crud
    )
