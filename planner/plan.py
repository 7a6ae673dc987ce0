"""The Plan model: what a blueprint produces and every rendering is made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from planner.render.data import OMIT_DEFAULT

__all__ = [
    "Column",
    "DataModel",
    "Diagram",
    "Endpoint",
    "ErrorCase",
    "FileChange",
    "Index",
    "Note",
    "NoteCategory",
    "PackSource",
    "Plan",
    "Provenance",
    "Schema",
    "SchemaField",
    "Step",
    "Table",
    "TestCase",
]

NoteCategory = Literal[
    "security", "performance", "practice", "testing", "compatibility"
]


@dataclass(frozen=True, slots=True, kw_only=True)
class FileChange:
    """A file to create or modify, and what goes in it (guidance, never code)."""

    path: str
    action: Literal["create", "modify"]
    purpose: str
    guidance: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorCase:
    """An error status an endpoint answers with, and when."""

    status: int
    when: str
    headers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """One path operation of the API contract."""

    method: str
    path: str
    function: str
    summary: str
    request_schema: str | None = None
    response_schema: str | None = None
    success_status: int
    success_headers: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    auth: str = "none"
    idempotent: bool
    errors: tuple[ErrorCase, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaField:
    """One field of an API schema."""

    name: str
    type: str
    required: bool
    constraints: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Schema:
    """A Pydantic model of the API surface."""

    name: str
    role: str
    fields: tuple[SchemaField, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """A table column."""

    name: str
    type: str
    nullable: bool
    constraints: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Index:
    """An index and the query it serves."""

    name: str
    columns: tuple[str, ...]
    unique: bool = False
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A database table the plan adds or changes."""

    name: str
    model: str
    action: Literal["create", "alter", "existing"] = "create"
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DataModel:
    """Tables, their migration, and an ER diagram."""

    tables: tuple[Table, ...] = ()
    migration: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagram:
    """A Mermaid diagram."""

    title: str
    mermaid: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """A security, performance, practice or testing note."""

    category: NoteCategory
    text: str
    id: str = ""
    old: str = ""
    since: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TestCase:
    """A test to write."""

    file: str
    name: str
    checks: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of the order of work."""

    title: str
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PackSource:
    """A blueprint pack a plan was rendered with, pinned to what was used."""

    name: str
    source: str
    ref: str = ""
    commit: str = ""
    sha256: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """What made the plan: enough to tell whether it is stale."""

    planner_version: str
    blueprint: str
    blueprint_version: str
    knowledge_as_of: str
    spec_sha256: str
    facts_sha256: str
    # Set only when an LLM refinement was applied (docs/llm.md); None otherwise.
    refined_model: str | None = field(default=None, metadata=OMIT_DEFAULT)
    refined_host: str | None = field(default=None, metadata=OMIT_DEFAULT)
    prompt_sha256: str | None = field(default=None, metadata=OMIT_DEFAULT)
    # The blueprint packs the plan was rendered with (docs/packs.md).
    packs: tuple[PackSource, ...] = field(default=(), metadata=OMIT_DEFAULT)
    # The session context file, relative to the project, when it is not the
    # default `.claude/tasks/session_context_<name>.md`: render and check read
    # this one again. None for the default, or for a file outside the project.
    context: str | None = field(default=None, metadata=OMIT_DEFAULT)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """An implementation plan."""

    kind: str
    name: str
    title: str
    summary: str
    context: tuple[str, ...] = ()
    files: tuple[FileChange, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    schemas: tuple[Schema, ...] = ()
    data_model: DataModel | None = None
    diagrams: tuple[Diagram, ...] = ()
    notes: tuple[Note, ...] = ()
    tests: tuple[TestCase, ...] = ()
    steps: tuple[Step, ...] = ()
    assumptions: tuple[str, ...] = ()
    open_questions: tuple[str, ...] = ()
    # What a reviewer must not miss, one line each: the plan's summary lists them.
    risks: tuple[str, ...] = ()
    provenance: Provenance
    # Markdown of the LLM-written section (docs/llm.md); None for every
    # deterministic plan, which then has no such section.
    refinement: str | None = field(default=None, metadata=OMIT_DEFAULT)
    # The project's `plans_dir`, where this plan is kept: the plan names its
    # own file.
    plans_dir: str = field(default=".claude/docs", metadata=OMIT_DEFAULT)
