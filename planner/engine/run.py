"""Run a kind's blueprint rules over a spec: Spec + Layout -> Plan, pure."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel

from planner import __version__
from planner.engine.builder import (
    Context,
    PlanBuilder,
    Rule,
    _registered_rule,
    registered_rules,
)
from planner.engine.bundled import blueprints_dir
from planner.engine.knowledge import load_knowledge
from planner.errors import BlueprintError
from planner.inspect.layout import DEFAULT_LAYOUT, Layout
from planner.inspect.model import Targets
from planner.plan import DataModel, Plan, Provenance
from planner.render.data import to_data
from planner.spec import AnySpec


@dataclass(frozen=True, slots=True)
class Blueprint:
    """A kind's manifest: its version and the ordered rules it runs."""

    kind: str
    version: str
    rules: tuple[Rule, ...]


@cache
def load_blueprint(kind: str) -> Blueprint:
    """Load `blueprints/<kind>/blueprint.toml` and resolve its rule ids."""
    where = f"blueprints/{kind}/blueprint.toml"
    source = blueprints_dir() / kind / "blueprint.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise BlueprintError(f"no blueprint for kind {kind!r}", where=where) from err
    except tomllib.TOMLDecodeError as err:
        raise BlueprintError(f"malformed TOML: {err}", where=where) from err
    rules: list[Rule] = []
    for rule_id in data.get("rules", []):
        found = _registered_rule(rule_id)
        if found is None:
            known = registered_rules()
            raise BlueprintError(
                f"unknown rule {rule_id!r}",
                where=where,
                hint=f"registered rules: {', '.join(sorted(known))}",
            )
        rules.append(found)
    return Blueprint(
        kind=kind, version=str(data.get("version", "0")), rules=tuple(rules)
    )


def digest(model: BaseModel) -> str:
    """Return a stable SHA-256 of a model's JSON form (sorted keys)."""
    payload = json.dumps(
        model.model_dump(mode="json"), sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def facts_digest(plan: Plan) -> str:
    """Hash what the plan says, its provenance aside.

    A plan relies on exactly the project facts it states (files, paths,
    dependencies, conventions, migration head), so a change to the project
    that leaves the plan's text alone is no drift for `planner check`.
    """
    data = to_data(plan)
    del data["provenance"]
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _redacted(lines: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """Blank out secrets in the session context, as the LLM prompt does."""
    if not lines:
        return lines, 0
    from planner.refine.redact import redact

    found = redact("\n".join(lines))
    return tuple(found.text.split("\n")), found.count


def build_plan(
    spec: AnySpec,
    /,
    *,
    layout: Layout = DEFAULT_LAYOUT,
    targets: Targets | None = None,
    session_context: tuple[str, ...] = (),
    context_source: str | None = None,
    context_redacted: int = 0,
) -> Plan:
    """Expand a spec into a Plan for a project laid out as `layout`.

    `context_redacted` counts the values `session_context` has replaced by
    `[REDACTED]` already (a context read back from the plan quoting it).
    """
    blueprint = load_blueprint(spec.kind)
    knowledge = load_knowledge()
    session_context, hidden = _redacted(session_context)
    hidden += context_redacted
    ctx = Context(
        spec=spec,
        layout=layout,
        targets=targets,
        knowledge=knowledge,
        session_context=session_context,
        context_source=context_source,
    )
    builder = PlanBuilder(ctx)
    if hidden:
        builder.assume(
            f"The session context is quoted with {hidden} secret-looking "
            "value(s) replaced by `[REDACTED]`: plans are committed."
        )
    for item in blueprint.rules:
        item.fn(ctx, builder)
    data_model = (
        DataModel(tables=tuple(builder.tables), migration=tuple(builder.migration))
        if builder.tables
        else None
    )
    plan = Plan(
        kind=spec.kind,
        name=spec.plan_name,
        title=builder.title,
        summary=builder.summary,
        context=session_context,
        files=builder.files(),
        endpoints=tuple(builder.endpoints),
        schemas=tuple(builder.schemas),
        data_model=data_model,
        diagrams=tuple(builder.diagrams),
        notes=builder.notes(),
        tests=tuple(builder.tests),
        steps=tuple(builder.steps),
        assumptions=tuple(builder.assumptions),
        open_questions=tuple(builder.open_questions),
        risks=tuple(builder.risks),
        provenance=Provenance(
            planner_version=__version__,
            blueprint=spec.kind,
            blueprint_version=blueprint.version,
            knowledge_as_of=knowledge.as_of,
            spec_sha256=digest(spec),
            facts_sha256="",
        ),
    )
    provenance = dataclasses.replace(plan.provenance, facts_sha256=facts_digest(plan))
    return dataclasses.replace(plan, provenance=provenance)
