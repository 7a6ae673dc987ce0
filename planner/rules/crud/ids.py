"""The type of a new resource's ids: the spec's, else the project's; and their maker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.inspect.model.records import IdMaker, TableClass, Targets
from planner.render.escape import code
from planner.spec import IdType, ResourceSpec

if TYPE_CHECKING:
    from planner.engine.builder import PlanBuilder

# The id type a path annotation or a column type names, lower-cased.
_KINDS: dict[str, IdType] = {
    "int": "int",
    "integer": "int",
    "biginteger": "int",
    "uuid": "uuid",
    "uuid4": "uuid",
    "guid": "uuid",
    "str": "str",
    "string": "str",
    "unicode": "str",
    "text": "str",
}


def id_kind_of(word: str | None) -> IdType | None:
    """`int`, `uuid` or `str` for a type as written (`uuid.UUID`, `Mapped[str]`)."""
    found = (word or "").rsplit(".", 1)[-1].removesuffix("()").lower()
    return _KINDS.get(found)


def id_type_of(res: ResourceSpec, targets: Targets | None) -> IdType:
    """The spec's `id_type` when it sets one, else the project's.

    A spec that leaves `id_type` out gets the ids of the resource's own
    table where it exists, else those of the resource the plan is modelled
    on: its table's `id`, else its path ids. A UUID project gets UUID ids.
    """
    if "id_type" in res.model_fields_set:
        return res.id_type
    return followed_id_type(targets) or res.id_type


def followed_id_type(targets: Targets | None) -> IdType | None:
    """The id type of the resource's own table, else the followed resource's.

    The followed resource's path ids say it, else its table's `id` (a path
    typed with an alias planner cannot resolve, `WorkspaceID`).
    """
    if targets is None:
        return None
    own, theirs = targets.own_table, targets.exemplar_table
    return (
        _table_kind(own)
        or id_kind_of(targets.convention("id_type"))
        or _table_kind(theirs)
    )


def _table_kind(table: TableClass | None) -> IdType | None:
    return id_kind_of(table.id.type) if table and table.id else None


def id_assumption(res: ResourceSpec, targets: Targets | None) -> str | None:
    """The assumption that names where the ids' type came from, if not the spec."""
    chosen = id_type_of(res, targets)
    if targets is None or chosen == res.id_type:
        return None
    own = targets.own_table
    if own is not None and own.id is not None and id_kind_of(own.id.type):
        where = "" if own.id.owner == own.name else f" (in {code(own.id.owner)})"
        whose = f"as {code(own.name)}'s `id` is declared{where}"
    elif targets.exemplar is None:
        return None
    else:
        whose = f"as {code(targets.exemplar.name)}'s are"
    return f"Ids are `{chosen}`, {whose}: the spec does not set `resource.id_type`."


def id_maker(targets: Targets | None) -> tuple[str, IdMaker] | None:
    """Who makes the ids, and with what code: the table's `id` default, else code.

    The resource's own table first, then the exemplar's table (its body or a
    base class), then the exemplar's code (a service or a schema).
    """
    if targets is None:
        return None
    for table in (targets.own_table, targets.exemplar_table):
        if table is not None and table.id is not None and table.id.maker:
            return code(f"{table.id.owner}.id"), table.id.maker
    ex = targets.exemplar
    if ex is not None and ex.id_made is not None:
        return code(ex.name), ex.id_made
    return None


def plan_id_source(
    res: ResourceSpec, targets: Targets | None, plan: PlanBuilder
) -> None:
    """Say where the ids' type came from and, for string ids, what makes them.

    A string id has no shape to check: any string is well formed, and an
    unknown one is a 404. The project's own maker is named, never invented;
    where planner found none, the plan asks.
    """
    followed = id_assumption(res, targets)
    if followed:
        plan.assume(followed)
    if id_type_of(res, targets) != "str":
        return
    found = id_maker(targets)
    if found is None:
        plan.ask(
            "What makes the string ids? planner found no default on the `id` "
            "column and no code that makes one: make the new ids where the "
            "project makes its others (the database does not count them)."
        )
        return
    who, maker = found
    plan.assume(
        f"String ids are made by {who}: {code(maker.code)} "
        f"({code(f'{maker.file}:{maker.line}')}); the new resource's are made "
        "the same way, by the project's code, not a new generator. Any string "
        "is a well-formed id, so an unknown one answers 404, never 422."
    )
