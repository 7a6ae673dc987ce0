"""The ER diagram of a new resource and the tables it references."""

from __future__ import annotations

from planner.engine.builder import Context, PlanBuilder, rule
from planner.plan import Diagram
from planner.rules.crud.data import crud_spec, resource_columns
from planner.rules.crud.refs import ref_table
from planner.rules.crud.tablename import resource_table


@rule("resource.diagram")
def plan_diagram(ctx: Context, plan: PlanBuilder) -> None:
    """Draw the ER diagram of the resource and what it references."""
    spec = crud_spec(ctx)
    res = spec.resource
    table = resource_table(ctx)
    lines = ["erDiagram"]
    refs = [f for f in res.fields if f.type == "ref"]
    if res.owned_by_user:
        lines.append(f"    users ||--o{{ {table} : owns")
    for item in refs:
        many = "o|" if not item.required else "||"
        lines.append(f"    {ref_table(ctx, item)} {many}--o{{ {table} : {item.name}")
    # One foreign key is fully said by the table above; a diagram earns its
    # lines once there are several relationships to see at a glance.
    if len(refs) + res.owned_by_user < 2:
        return
    lines.append(f"    {table} {{")
    for col in resource_columns(ctx):
        key = (
            " PK"
            if col.name == "id"
            else (" FK" if "FK" in " ".join(col.constraints) else "")
        )
        kind = col.type.split("(")[0].lower()
        lines.append(f"        {kind} {col.name}{key}")
    lines.append("    }")
    plan.diagrams.append(
        Diagram(title=f"{table} and its references", mermaid="\n".join(lines))
    )
