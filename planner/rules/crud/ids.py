"""The type of a new resource's ids: the spec's, else the project's."""

from __future__ import annotations

from planner.inspect.model.records import Targets
from planner.inspect.model.resources import id_kind
from planner.spec import IdType, ResourceSpec


def id_type_of(res: ResourceSpec, targets: Targets | None) -> IdType:
    """The spec's `id_type` when it sets one, else the followed resource's.

    A spec that leaves `id_type` out gets the ids of the resource the plan
    is modelled on (`int` or `uuid`): a UUID project gets UUID ids.
    """
    if "id_type" in res.model_fields_set:
        return res.id_type
    return followed_id_type(targets) or res.id_type


def followed_id_type(targets: Targets | None) -> IdType | None:
    """`int` or `uuid` as the followed resource's path ids are typed, if known."""
    kind = id_kind(targets.convention("id_type") if targets is not None else None)
    return "uuid" if kind == "uuid" else "int" if kind == "int" else None


def id_assumption(res: ResourceSpec, targets: Targets | None) -> str | None:
    """The assumption that names where the ids' type came from, if not the spec."""
    chosen = id_type_of(res, targets)
    if targets is None or targets.exemplar is None or chosen == res.id_type:
        return None
    return (
        f"Ids are `{chosen}`, as `{targets.exemplar.name}`'s are: the spec does "
        "not set `resource.id_type`."
    )
