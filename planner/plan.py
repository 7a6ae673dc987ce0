"""The Plan model: what a blueprint produces and every rendering is made from."""

from __future__ import annotations

from typing import Any, Literal

from planner._record import Record

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


class FileChange(Record):
    """A file to create or modify, and what goes in it (guidance, never code)."""

    path: str
    action: Literal["create", "modify"]
    purpose: str
    guidance: tuple[str, ...] = ()


class ErrorCase(Record):
    """An error status an endpoint answers with, and when."""

    status: int
    when: str
    headers: tuple[str, ...] = ()


class Endpoint(Record):
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


class SchemaField(Record):
    """One field of an API schema."""

    name: str
    type: str
    required: bool
    constraints: str = ""


class Schema(Record):
    """A Pydantic model of the API surface."""

    name: str
    role: str
    fields: tuple[SchemaField, ...] = ()
    notes: str = ""


class Column(Record):
    """A table column."""

    name: str
    type: str
    nullable: bool
    constraints: tuple[str, ...] = ()


class Index(Record):
    """An index and the query it serves."""

    name: str
    columns: tuple[str, ...]
    unique: bool = False
    reason: str


class Table(Record):
    """A database table the plan adds or changes."""

    name: str
    model: str
    action: Literal["create", "alter", "existing"] = "create"
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()


class DataModel(Record):
    """Tables, their migration, and an ER diagram."""

    tables: tuple[Table, ...] = ()
    migration: tuple[str, ...] = ()


class Diagram(Record):
    """A Mermaid diagram."""

    title: str
    mermaid: str


class Note(Record):
    """A security, performance, practice or testing note."""

    category: NoteCategory
    text: str
    id: str = ""
    old: str = ""
    since: str = ""
    source: str = ""


class TestCase(Record):
    """A test to write."""

    file: str
    name: str
    checks: str


class Step(Record):
    """One step of the order of work."""

    title: str
    detail: str = ""


class PackSource(Record):
    """A blueprint pack a plan was rendered with, pinned to what was used."""

    name: str
    source: str
    ref: str = ""
    commit: str = ""
    sha256: str = ""


class Provenance(Record):
    """What made the plan: enough to tell whether it is stale."""

    planner_version: str
    blueprint: str
    blueprint_version: str
    knowledge_as_of: str
    spec_sha256: str
    facts_sha256: str
    # Set only when an LLM refinement was applied (docs/llm.md); None otherwise.
    refined_model: str | None = None
    refined_host: str | None = None
    prompt_sha256: str | None = None
    # The blueprint packs the plan was rendered with (docs/packs.md).
    packs: tuple[PackSource, ...] = ()
    # The session context file, relative to the project, when it is not the
    # default `.claude/tasks/session_context_<name>.md`: render and check read
    # this one again. None for the default, or for a file outside the project.
    context: str | None = None

    def to_data(self) -> dict[str, Any]:
        """Return JSON-ready data; unset packs and context are left out."""
        # A plan made without packs or a named context serialises exactly as
        # before either existed.
        data = super().to_data()
        if not self.packs:
            data.pop("packs", None)
        if self.context is None:
            data.pop("context", None)
        return data


class Plan(Record):
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
    provenance: Provenance
    # Markdown of the LLM-written section (docs/llm.md); None for every
    # deterministic plan, which then renders exactly as before.
    refinement: str | None = None
