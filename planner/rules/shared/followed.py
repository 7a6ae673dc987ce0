"""What to do in a file the plan touches by analogy, where no rule says more.

The analogy names files the kind's rules know nothing of: a layer module the
exemplar has (`dependencies/client.py`), a package's `__init__.py`, a module
listing every sibling resource, a shared module the exemplar adds to, the
exemplar's tests. Each gets one instruction from what it is to the plan, so
no file is listed without saying what changes in it.
"""

from __future__ import annotations

import re

from planner.engine.builder import Context
from planner.inspect.model.records import Target
from planner.render.escape import code
from planner.spec import CrudResourceSpec

# `as `path``, `as `path` and its siblings`: a file of the exemplar's, copied.
_AS = re.compile(r"^as `([^`]+)`")
# `names 12/12 siblings`: a module that lists every resource.
_NAMES = re.compile(r"^names (\d+)/(\d+) siblings$")


def followed_guidance(ctx: Context, target: Target) -> str:
    """One instruction for a file the plan touches only because the analogy does."""
    new = _subject(ctx)
    ex = ctx.targets.exemplar.name if ctx.targets and ctx.targets.exemplar else ""
    why = target.why
    copied = _AS.match(why)
    if target.action == "create" and (
        target.role == "package" or target.path.endswith("/__init__.py")
    ):
        return _package(copied)
    if why.startswith("the project tests its migrations"):
        return (
            "Test the new migration as the tree's others are tested, one module "
            "each: applying it creates what the data model below describes."
        )
    if copied and target.role == "test":
        return (
            f"Test {new} as {code(copied[1])} tests what it covers: the same "
            "fixtures and one test per case it has, for the new names."
        )
    if copied:
        return (
            f"{new.capitalize()}'s counterpart of {code(copied[1])}: the same "
            "classes and functions, renamed for it, keeping only what the new "
            "endpoints use."
        )
    listed = _list_guidance(why, new)
    if listed:
        return listed
    if why.startswith("holds the ") and ex:
        return (
            f"Add {new}'s {target.role} here, beside {code(ex)}'s, written as "
            "the module's others are."
        )
    if target.role in {"fixtures", "conftest"} and ex:
        return f"Add the fixtures {new} needs, shaped like the ones for {code(ex)}."
    if target.role == "migration":
        return (
            "Create the tables of the data model below here too, written as "
            "the other revisions of this tree are."
        )
    if target.role == "test":
        return f"Cover {new} in these tests as they cover the resources beside it."
    return f"Add what {new} needs here ({why}), as the module's own code does."


def _list_guidance(why: str, new: str) -> str:
    """What a module listing every sibling gets, by how it lists them; "" if none."""
    if _NAMES.match(why):
        return (
            f"It names each sibling resource: add {new} in the same form, next "
            "to them (an import, a list or mapping entry, an attribute)."
        )
    if why.startswith("re-exports "):
        return (
            f"It imports each module of its folder: import {new}'s new module "
            "here as the others are (and list its names where they are listed)."
        )
    if why.startswith("spells the paths of "):
        return (
            f"It spells each resource's served paths for the tests: add {new}'s "
            "collection and item paths in the same form."
        )
    return ""


def _package(copied: re.Match[str] | None) -> str:
    if copied:
        return (
            f"Make the new folder a package, exporting what {code(copied[1])} "
            "exports (nothing where that file is empty)."
        )
    return "Make the new folder a package, as its sibling packages are."


def _subject(ctx: Context) -> str:
    """How the plan names what it adds (`the `user_field` resource`)."""
    if isinstance(ctx.spec, CrudResourceSpec):
        return f"the {code(ctx.spec.resource.name)} resource"
    return "the new code"
