"""Which of a resource's files are its data layer, read from what its routes call.

A path says a module's role (``services/``, ``crud.py``), but not always: a
``controllers/user.py`` every users route calls for its rows is the users'
data layer, named for no role planner knows; a ``services/public_chat_
service.py`` that one snapshots route of eight imports inside its function is
another feature's service, whatever folder it sits in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import words
from .records import Resource, ResourceFile, Route

if TYPE_CHECKING:
    from .index import ProjectIndex

# Module names of helpers, never a resource's data layer however often its
# routes call them.
_HELPERS = frozenset({"utils", "util", "helpers", "helper", "common", "base"})


def data_layers(
    index: ProjectIndex,
    router_file: str,
    files: tuple[ResourceFile, ...],
    routes: list[Route],
) -> tuple[ResourceFile, ...]:
    """The files with the resource's data layer told from the modules beside it.

    An own module of no known role that most routes reaching data call into
    is the data layer (a controller). A shared service module that at most
    one route of several calls, imported only inside a function, is a side
    use: no layer of the resource's, and left out of its files.
    """
    working = [r for r in routes if r.data]
    out: list[ResourceFile] = []
    for f in files:
        callers = sum(1 for r in routes if f.path in r.calls)
        if (
            f.own
            and f.role == "module"
            and callers * 2 > len(working)
            and sum(1 for r in working if f.path in r.data) * 2 > len(working)
            and not set(words(f.path.rsplit("/", 1)[-1].removesuffix(".py"))) & _HELPERS
        ):
            out.append(ResourceFile(f.path, "service", True))
            continue
        if (
            not f.own
            and f.role == "service"
            and callers <= 1
            and len(routes) > 2
            and _imported_in_functions(index, router_file, f.path)
        ):
            continue
        out.append(f)
    return tuple(out)


def _imported_in_functions(index: ProjectIndex, router_file: str, path: str) -> bool:
    """Whether the router imports the module at ``path`` only inside functions.

    Read from the lines of the router that import the module's name: every
    one indented. A module the router never imports by name (reached through
    another) is not.
    """
    module = index.module_of.get(path, "")
    stem = module.rsplit(".", 1)[-1].encode()
    if not stem or stem == b"__init__":
        return False
    data = index.source(router_file)
    found = False
    at = data.find(stem)
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        line = data[start : end if end >= 0 else len(data)]
        if b"import" in line:
            if not line[:1].isspace():
                return False
            found = True
        at = data.find(stem, at + len(stem))
    return found


def has_data_layer(res: Resource) -> bool:
    """Whether a resource has a data layer: its own, or one its routes call.

    A shared service reached only through a helper (a task module's
    notifications) is none of its layers.
    """
    called = {p for r in res.routes for p in r.calls}
    return any(f.role == "service" and (f.own or f.path in called) for f in res.files)
