"""Reading files cheaply: which modules are parsed, what the scans keep, names."""

from __future__ import annotations

from planner.inspect.model.files import is_relevant
from planner.inspect.model.names import Names, mentions
from planner.inspect.model.parse import parse_source
from planner.inspect.model.scan import chain_heads, scan_chains, scan_summary
from planner.inspect.model.summary import Import

REVISION = b'''"""add tags"""
from alembic import op
import sqlalchemy as sa

revision = "0a1b2c3d4e5f"
down_revision = None


def upgrade() -> None:
    op.create_table("tags", sa.Column("id", sa.Integer(), primary_key=True))
'''


def test_alembic_revisions_and_plain_schemas_are_not_parsed() -> None:
    assert not is_relevant(REVISION)
    assert not is_relevant(b"from pydantic import BaseModel\nclass A(BaseModel): ...\n")
    assert is_relevant(b"from fastapi import APIRouter\nrouter = APIRouter()\n")
    # A model base other than pydantic's still makes the module worth parsing.
    assert is_relevant(b"from peewee import Model\nclass Tag(Model): ...\n")
    assert is_relevant(b"class Tag(BaseModel): ...\nclass Note(Model): ...\n")


def test_a_fastapi_import_alone_is_parsed_only_when_it_declares_routes() -> None:
    assert not is_relevant(
        b"from fastapi import HTTPException\nraise HTTPException()\n"
    )
    assert is_relevant(
        b"from fastapi import status\nfrom .main import app\n\n"
        b"@app.get('/health')\ndef health(): ...\n"
    )


def test_scan_keeps_star_imports_aliases_and_attribute_chains() -> None:
    src = (
        b"from .tags import *\n"
        b"import app.models.notes as notes_models\n"
        b"import app.db\n"
        b"from app import services\n"
        b"def f():\n"
        b"    return services.tags.read(1)\n"
    )
    s = scan_summary(src, "app.schemas", is_package=True)
    assert Import("*", "app.schemas.tags.*") in s.imports
    assert Import("notes_models", "app.models.notes") in s.imports
    assert Import("app", "app") in s.imports
    assert Import("", "app.db") in s.imports
    assert "services.tags.read" in scan_chains(src, chain_heads(s.imports))
    assert s.defined == ("f",)


def test_statement_walk_finds_facts_in_nested_blocks() -> None:
    src = b"""
from fastapi import APIRouter, FastAPI
app = FastAPI()
try:
    from .tags import router as tags_router
except ImportError:
    tags_router = APIRouter(prefix="/tags")
def create_app():
    inner = FastAPI()
    for r in [tags_router]:
        if r:
            inner.include_router(r, prefix="/api")
    return inner
"""
    s = parse_source(src, "app.main", is_package=False)
    assert [(r.scope, r.name, r.kind) for r in s.routers] == [
        ("", "app", "app"),
        ("", "tags_router", "router"),
        ("create_app", "inner", "app"),
    ]
    # The loop's literal list names the router each pass includes.
    assert [(i.scope, i.parent, i.child) for i in s.includes] == [
        ("create_app", "inner", ("tags_router",))
    ]
    assert Import("tags_router", "app.tags.router") in s.imports
    assert [f.name for f in s.functions] == ["create_app"]


def test_mentions_needs_a_word_boundary_of_the_same_case() -> None:
    tags = Names.guess("tags")
    assert mentions("app/routers/tags.py", tags)
    assert mentions("TagCreate", tags)
    assert mentions("test_tags_api", tags)
    assert not mentions("hashtags.py", tags)
    assert not mentions("Stage", tags)
    assert not mentions("tagsets", tags)
    assert mentions("create_user_field", Names.guess("user_fields"))
    assert not mentions("users", Names.guess("user_fields"))
