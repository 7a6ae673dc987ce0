"""What one reader of the project's bytes tells the next, and the index's look-ups."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from planner.inspect.corpus import read_corpus, states_facts
from planner.inspect.model.files import (
    STRONG_TOKENS,
    relevance,
    walk_project,
    without_strong,
)
from planner.inspect.model.index import ProjectIndex
from planner.inspect.model.registries import _siblings
from planner.inspect.model.scan import chain_heads, scan_chains, scan_imports
from planner.inspect.model.shared import one_read
from planner.inspect.model.summary import Import

REVISION = b'revision = "abc"\ndown_revision = None\ndef upgrade(): ...\n'
SAMPLES = (
    b"from fastapi import APIRouter\nrouter = APIRouter()\n",
    b"engine = create_async_engine(URL)\nSession = sessionmaker(engine)\n",
    b"def get_db_session() -> Session: ...\n",
    b"class Item(Base):\n    name = Column(String)\n",
    b"class Item(SQLModel, table=True): ...\n",
    b"from fastapi import HTTPException\n",
    b"class Thing(BaseModel): ...\nclass Row(Model): ...\n",
    b"def add(a: int, b: int) -> int:\n    return a + b\n",
    b"oauth = OAuth2PasswordBearer('token')\n",
    REVISION,
)


def test_relevance_says_when_no_strong_token_occurs() -> None:
    assert relevance(SAMPLES[0]) == (True, False)
    assert relevance(SAMPLES[7]) == (False, True)
    # A weak token alone: not parsed, yet every strong token was searched.
    assert relevance(SAMPLES[5]) == (False, True)
    assert relevance(SAMPLES[6]) == (True, True)
    # A revision script is never searched: nothing is known.
    assert relevance(REVISION) == (False, False)


def test_tokens_left_for_plain_files_are_the_ones_that_can_occur() -> None:
    kept = without_strong((b"APIRouter", b"include_router", b"Engine(", b"OAuth2"))
    assert kept == (b"Engine(", b"OAuth2")
    assert all(not any(s in t for s in STRONG_TOKENS) for t in kept)


@pytest.mark.parametrize("data", SAMPLES)
def test_plain_files_get_the_same_verdict_from_fewer_searches(data: bytes) -> None:
    if relevance(data)[1]:
        assert states_facts(data, plain=True) == states_facts(data)


def test_the_facts_parse_what_they_parsed_before(tmp_path: Path) -> None:
    for i, data in enumerate(SAMPLES):
        (tmp_path / f"m{i}.py").write_bytes(data)
    files = walk_project(tmp_path)
    sources = {s.path: s for s in files.sources}
    names = sorted(sources)
    corpus = read_corpus(names, sources)
    # The routers, the engine, the session getter, the tables and the scheme.
    assert sorted(corpus.scans) == [
        "m0.py",
        "m1.py",
        "m2.py",
        "m3.py",
        "m4.py",
        "m8.py",
    ]
    assert corpus.revisions == {"m9.py": ("abc", ())}


def _index(tmp_path: Path, paths: list[str]) -> ProjectIndex:
    for rel in paths:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n", encoding="utf-8")
    return ProjectIndex(tmp_path, cache=False)


PATHS = [
    "app/api/items/router.py",
    "app/api/notes/router.py",
    "app/api/notes/base.py",
    "app/api/__init__.py",
    "app/apiary/router.py",
    "app/core/router.py",
    "app/a[b]/router.py",
    "main.py",
]


@pytest.mark.parametrize(
    "prefix", ["", "app/", "app/api", "app/api/", "app/a[", "main.py", "zzz", "a"]
)
def test_paths_starting_lists_exactly_the_paths_with_the_prefix(
    tmp_path: Path, prefix: str
) -> None:
    index = _index(tmp_path, PATHS)
    expected = sorted(p for p in index.module_of if p.startswith(prefix))
    assert index.paths_starting(prefix) == expected


def _one_name_each(path: str, pattern: str) -> bool:
    """``*`` stands for one name; every other character for itself."""
    parts, globs = path.split("/"), pattern.split("/")
    return len(parts) == len(globs) and all(
        fnmatch.fnmatchcase(part, glob.replace("[", "[[]"))
        for part, glob in zip(parts, globs, strict=True)
    )


@pytest.mark.parametrize(
    "pattern",
    ["app/api/*/router.py", "app/*/router.py", "*/*/router.py", "app/a[b]/*.py"],
)
def test_siblings_are_the_modules_whose_path_fits_name_for_name(
    tmp_path: Path, pattern: str
) -> None:
    index = _index(tmp_path, PATHS)
    expected = {
        index.module_of[p]
        for p in index.module_of
        if _one_name_each(p, pattern)
        and not p.endswith("__init__.py")
        and not p.endswith("/base.py")
    }
    assert _siblings(index, pattern) == expected
    assert expected  # each pattern matches something here


def test_a_wildcard_never_reaches_into_subfolders(tmp_path: Path) -> None:
    index = _index(
        tmp_path,
        [
            "app/__init__.py",
            "app/api/__init__.py",
            "app/api/items.py",
            "app/api/defs/__init__.py",
            "app/api/defs/request/__init__.py",
            "app/api/defs/request/items_body.py",
        ],
    )
    found = {index.path_of[m] for m in _siblings(index, "app/api/*.py")}
    assert found == {"app/api/items.py"}


def test_a_split_module_result_can_be_changed_by_its_caller(tmp_path: Path) -> None:
    index = _index(tmp_path, ["pkg/__init__.py", "pkg/mod.py"])
    first = index.split_module("pkg.mod.name.attr")
    assert first == ("pkg.mod", ["name", "attr"])
    first[1].append("more")
    assert index.split_module("pkg.mod.name.attr") == ("pkg.mod", ["name", "attr"])
    assert index.split_module("other.thing") is None


def test_chains_on_imported_names_are_found_among_many_imports() -> None:
    names = [f"mod{i}" for i in range(12)]
    source = "".join(f"from app import {n}\n" for n in names)
    source += "x = mod3.tags.read\ny = xmod4.nope\nz = a.mod5.nope\n"
    source += "v = (mod7.a)\n"
    data = source.encode()
    imports = scan_imports(data, "app.main", is_package=False)
    heads = chain_heads(imports)
    assert scan_chains(data, heads) == {"mod3.tags.read", "mod7.a"}


def test_chains_on_non_ascii_imported_names_are_found() -> None:
    data = "from app import módulo\n\nx = módulo.tags.read\n".encode()
    imports = (Import("módulo", "app.módulo"),)
    assert scan_chains(data, chain_heads(imports)) == {"módulo.tags.read"}


def test_a_chain_through_an_imported_package_names_the_module_it_reaches(
    tmp_path: Path,
) -> None:
    files = {
        "app/__init__.py": "",
        "app/schemas/__init__.py": "",
        "app/schemas/tag.py": "class Tag: ...\n",
        "app/models.py": "class Row:\n    query = None\n",
        "app/main.py": (
            "from app import schemas\nfrom app.models import Row\n"
            "def f(t: schemas.tag.Tag) -> None:\n    return Row.query\n"
        ),
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    index = ProjectIndex(tmp_path, cache=False)
    assert index.module_refs("app.main") == {
        "app.schemas",
        "app.schemas.tag",
        "app.models",
    }


def test_the_facts_read_inside_one_read_are_the_facts_read_alone(
    tmp_path: Path,
) -> None:
    for i, data in enumerate(SAMPLES):
        (tmp_path / f"m{i}.py").write_bytes(data)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_bytes(
        b"import pytest\n@pytest.fixture\ndef client(): ...\n"
        b"pytestmark = pytest.mark.anyio\n"
    )
    files = walk_project(tmp_path)
    sources = {s.path: s for s in files.sources}
    alone = read_corpus(sorted(sources), sources)
    with one_read():
        ProjectIndex(tmp_path, cache=False)  # takes each file's corpus on the way
        shared = read_corpus(sorted(sources), sources)
    assert shared == alone
    assert list(shared.scans) == list(alone.scans)
    assert shared.test_markers == {"anyio": 1}
    assert "tests/conftest.py" in shared.test_scans


def test_a_plain_module_calling_an_app_factory_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "app" / "factory.py").write_text(
        "from fastapi import FastAPI\n\n\n"
        "def make_app():\n    app = FastAPI()\n    return app\n\n\n"
        "def mount_router(app, child):\n    app.include_router(child)\n",
        encoding="utf-8",
    )
    (tmp_path / "serve.py").write_text(
        "from app.factory import make_app\n\napplication = make_app()\n",
        encoding="utf-8",
    )
    (tmp_path / "other.py").write_text("def helper():\n    return 1\n", "utf-8")
    index = ProjectIndex(tmp_path, cache=False)
    assert index.by_module["serve"].parsed
    assert not index.by_module["other"].parsed
