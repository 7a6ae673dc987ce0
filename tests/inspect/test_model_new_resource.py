"""A new resource after its exemplar: item paths, the exemplar, the lists it joins."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare, render_markdown
from planner.inspect.model import (
    ProjectModel,
    Targets,
    new_resource_targets,
    read_project,
)
from planner.inspect.model.analogy import _in_other_resource, pick_exemplar
from planner.inspect.model.itempaths import operation_of
from planner.inspect.model.names import Names, singularise
from planner.inspect.model.records import Route
from tests.trees import write_tree

ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})

_ROUTER = """\
from fastapi import APIRouter

router = APIRouter(prefix="/v1/{plural}")


@router.get("/")
def list_{plural}(): ...


@router.post("/")
def create_{name}(): ...


@router.get("{item}")
def read_{name}({key}: int): ...


@router.patch("{item}")
def update_{name}({key}: int): ...


@router.delete("{item}")
def delete_{name}({key}: int): ...
"""


def _router(name: str, marker: str) -> str:
    key = f"{name}_id"
    item = f"/{marker}/{{{key}}}" if marker else f"/{{{key}}}"
    return _ROUTER.format(plural=name + "s", name=name, item=item, key=key)


def _project(root: Path, markers: dict[str, str]) -> None:
    files = {
        "pyproject.toml": '[project]\nname = "gallery"\n',
        "gallery/__init__.py": "",
        "gallery/routers/__init__.py": "",
    }
    imports, includes = [], []
    for name, marker in sorted(markers.items()):
        files[f"gallery/routers/{name}s.py"] = _router(name, marker)
        imports.append(f"from gallery.routers.{name}s import router as {name}s\n")
        includes.append(f"app.include_router({name}s, prefix='/api')\n")
    files["gallery/main.py"] = (
        "from fastapi import FastAPI\n\n"
        + "".join(imports)
        + "\napp = FastAPI()\n"
        + "".join(includes)
    )
    write_tree(root, files)


def _captions(model: ProjectModel) -> Targets:
    """The targets of a new ``caption`` resource with every operation."""
    return new_resource_targets(
        model,
        singular="caption",
        plural="captions",
        operations=ALL_OPS,
        owned=False,
        paginated=False,
    )


def _paths(root: Path) -> list[str]:
    targets = _captions(read_project(root, cache=False))
    return [f"{e.method} {e.path}" for e in targets.endpoints]


def test_new_items_take_the_marker_most_resources_use(tmp_path: Path) -> None:
    # ``album`` sorts first and would be the exemplar; three of four use /i/.
    _project(tmp_path, {"album": "", "photo": "i", "preset": "i", "video": "i"})
    model = read_project(tmp_path, cache=False)
    assert dict(model.convention("item_form").counts) == {"": 1, "i": 3}
    assert _paths(tmp_path) == [
        "GET /api/v1/captions/",
        "GET /api/v1/captions/i/{caption_id}",
        "POST /api/v1/captions/",
        "PATCH /api/v1/captions/i/{caption_id}",
        "DELETE /api/v1/captions/i/{caption_id}",
    ]


def test_a_split_project_keeps_the_exemplars_form(tmp_path: Path) -> None:
    _project(tmp_path, {"album": "", "photo": "i"})
    model = read_project(tmp_path, cache=False)
    exemplar = pick_exemplar(model, ALL_OPS)
    assert exemplar is not None
    marker = "/i" if exemplar.name == "photos" else ""
    assert f"GET /api/v1/captions{marker}/{{caption_id}}" in _paths(tmp_path)


def test_plain_items_stay_plain(tmp_path: Path) -> None:
    _project(tmp_path, {"album": "", "photo": "", "preset": "i"})
    assert "DELETE /api/v1/captions/{caption_id}" in _paths(tmp_path)


def test_keyed_items_count_as_operations_but_nested_collections_do_not() -> None:
    def op(method: str, path: str) -> str | None:
        route = Route(method, path, "a.py", 1, "f", None)
        return operation_of(route, "/api/photos")

    assert op("GET", "/api/photos/i/{photo_id}") == "read"
    assert op("DELETE", "/api/photos/name/{name}") == "delete"
    assert op("PATCH", "/api/photos/{photo_id}") == "update"
    # An item of the photo's users, not a photo.
    assert op("GET", "/api/photos/users/{user_id}") is None
    assert op("GET", "/api/photos/{photo_id}/thumbnail") is None


def test_a_subsystem_spread_over_many_folders_is_not_the_exemplar(
    tmp_path: Path,
) -> None:
    _project(tmp_path, {"album": "", "engine": "", "photo": ""})
    parts = ("models", "schemas", "load", "fetch", "util", "configs", "search")
    for part in parts:
        write_tree(
            tmp_path,
            {f"gallery/engine/{part}/engine_{part}.py": "def run() -> None: ...\n"},
        )
    engine = tmp_path / "gallery/routers/engines.py"
    engine.write_text(
        "".join(
            f"from gallery.engine.{part}.engine_{part} import run as {part}\n"
            for part in parts
        )
        + engine.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    model = read_project(tmp_path, cache=False)
    engines = next(r for r in model.resources if r.name == "engines")
    assert len({f.path.rsplit("/", 1)[0] for f in engines.files}) > 5
    exemplar = pick_exemplar(model, ALL_OPS)
    assert exemplar is not None and exemplar.name != "engines"


def test_a_new_resource_joins_no_list_of_the_exemplars_helpers(
    tmp_path: Path,
) -> None:
    _project(tmp_path, {"album": "", "photo": ""})
    for name in ("album", "photo"):
        write_tree(
            tmp_path,
            {
                f"gallery/{name}/__init__.py": "",
                f"gallery/{name}/cleanup.py": "def sweep() -> None: ...\n",
            },
        )
        router = tmp_path / f"gallery/routers/{name}s.py"
        router.write_text(
            f"from gallery.{name}.cleanup import sweep\n"
            + router.read_text(encoding="utf-8"),
            encoding="utf-8",
        )
    write_tree(
        tmp_path,
        {
            "gallery/worker.py": (
                "from gallery.album.cleanup import sweep as a\n"
                "from gallery.photo.cleanup import sweep as b\n"
            )
        },
    )
    model = read_project(tmp_path, cache=False)
    assert any(r.path == "gallery/worker.py" for r in model.registries)
    paths = {t.path for t in _captions(model).files}
    assert "gallery/routers/captions.py" in paths
    assert "gallery/main.py" in paths
    assert "gallery/worker.py" not in paths


def _managers(root: Path, *, uses: int) -> None:
    """Two served resources; managers for them and for four unserved tables.

    ``gallery/client.py`` uses ``uses`` of the six managers, and
    ``tests/data.py`` holds fixtures for as many.
    """
    _project(root, {"album": "", "photo": ""})
    tables = ("album", "photo", "grant", "invite", "session", "token")
    some = "".join(
        f"from gallery.managers.{t} import {t.title()}Manager\n" for t in tables[:uses]
    )
    files = {
        "gallery/managers/__init__.py": "".join(
            f"from gallery.managers.{t} import {t.title()}Manager\n" for t in tables
        ),
        "gallery/models.py": "".join(
            f'class {t.title()}(Base):\n    __tablename__ = "{t}s"\n\n\n'
            for t in tables
        ),
        "gallery/client.py": some,
        "tests/__init__.py": "",
        "tests/data.py": some,
    }
    for t in tables:
        files[f"gallery/managers/{t}.py"] = f"class {t.title()}Manager: ...\n"
    write_tree(root, files)
    for name in ("album", "photo"):
        router = root / f"gallery/routers/{name}s.py"
        router.write_text(
            f"from gallery.managers.{name} import {name.title()}Manager\n"
            + router.read_text(encoding="utf-8"),
            encoding="utf-8",
        )


def test_a_folder_of_one_module_per_table_has_its_registries(tmp_path: Path) -> None:
    # Four of the six managers serve no route: their tables make them
    # resource modules all the same.
    _managers(tmp_path, uses=4)
    model = read_project(tmp_path, cache=False)
    found = {(r.path, r.role, r.named, r.siblings) for r in model.registries}
    assert ("gallery/managers/__init__.py", "registry", 6, 6) in found
    # Test data covers the entities the tests need: four in six list them.
    assert ("tests/data.py", "test_data", 4, 6) in found
    # A module using four in six (an SDK client) only uses them.
    assert "gallery/client.py" not in {r.path for r in model.registries}


def test_half_the_siblings_are_listed_by_no_registry(tmp_path: Path) -> None:
    _managers(tmp_path, uses=3)
    paths = {r.path for r in read_project(tmp_path, cache=False).registries}
    assert paths.isdisjoint({"gallery/client.py", "tests/data.py"})


def test_a_database_handle_dependency_is_the_projects_session(tmp_path: Path) -> None:
    """Routes reaching the database through ``provide_database()`` have a way in.

    The plan takes it as the project's routes do, not as a new session
    dependency nor as an ``Annotated`` alias it is not.
    """
    _project(tmp_path, {"album": "", "photo": ""})
    write_tree(
        tmp_path,
        {"gallery/database.py": "def provide_database() -> object: ...\n"},
    )
    for name in ("album", "photo"):
        router = tmp_path / f"gallery/routers/{name}s.py"
        text = router.read_text(encoding="utf-8").replace(
            "(): ...", "(db=Depends(provide_database)): ..."
        )
        router.write_text(
            "from fastapi import Depends\n"
            "from gallery.database import provide_database\n" + text,
            encoding="utf-8",
        )
    model = read_project(tmp_path, cache=False)
    assert model.convention("session_dependency").winner == (
        "provide_database (gallery.database)"
    )
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "caption"\n\n'
        '[[resource.fields]]\nname = "text"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = render_markdown(plan)
    assert "`db: Annotated[Session, Depends(provide_database)]`" in text
    assert "shared dependencies" not in {f.purpose for f in plan.files}


@pytest.mark.parametrize(
    ("path", "stored"), [("/health", False), ("/v1/photos/{photo_id}/meta", True)]
)
def test_an_endpoint_no_table_holds_is_worked_out_by_its_handler(
    tmp_path: Path, path: str, stored: bool
) -> None:
    _project(tmp_path, {"album": "", "photo": ""})
    write_tree(
        tmp_path,
        {
            "gallery/models.py": (
                'class Photo(Base):\n    __tablename__ = "photos"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            )
        },
    )
    spec = parse_spec(
        f'kind = "endpoint"\nmethod = "GET"\npath = "{path}"\n'
        'summary = "Tell"\n\n[auth]\nrequired = false\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    text = render_markdown(plan)
    assert ("`session: " in text) is stored
    assert ("load the " in text) is stored
    assert ("takes no session" in text) is not stored
    if not stored:
        # Nothing claims a schema the project does not have.
        assert "The response reuses" not in text
        assert "-> ReadHealthResponse" in text


def test_a_new_module_for_an_endpoint_no_table_holds_gets_no_data_access(
    tmp_path: Path,
) -> None:
    """Each resource has ``db/<name>.py``; ``/status`` has no rows to put there.

    ``/captions/refresh``, whose table exists, gets its data-access module.
    """
    _project(tmp_path, {"album": "", "photo": ""})
    write_tree(
        tmp_path,
        {
            "gallery/db/__init__.py": "",
            "gallery/models.py": (
                'class Caption(Base):\n    __tablename__ = "captions"\n'
                "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            ),
        },
    )
    for name in ("album", "photo"):
        write_tree(
            tmp_path, {f"gallery/db/{name}s.py": f"def list_{name}s() -> None: ...\n"}
        )
        router = tmp_path / f"gallery/routers/{name}s.py"
        router.write_text(
            f"from gallery.db.{name}s import list_{name}s\n"
            + router.read_text(encoding="utf-8").replace(
                "(): ...", f"(): list_{name}s()", 1
            ),
            encoding="utf-8",
        )
    data = {}
    for path in ("/status/refresh", "/captions/refresh"):
        spec = parse_spec(
            f'kind = "endpoint"\nmethod = "POST"\npath = "{path}"\n'
            'summary = "Act"\neffect = "action"\n\n[auth]\nrequired = false\n'
        ).spec
        plan = make_plan(spec, request=prepare(spec, project=tmp_path))
        data[path] = sorted(
            f.path for f in plan.files if f.action == "create" and "/db/" in f.path
        )
    assert data == {
        "/status/refresh": [],
        "/captions/refresh": ["gallery/db/captions.py"],
    }


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("licenses", "license"),
        ("responses", "response"),
        ("cases", "case"),
        ("classes", "class"),
        ("statuses", "status"),
        ("caches", "cache"),
        ("batches", "batch"),
        ("quizzes", "quiz"),
        ("categories", "category"),
    ],
)
def test_plural_names_are_read_back_to_their_singular(
    plural: str, singular: str
) -> None:
    assert singularise(plural) == singular


def test_a_test_in_another_resources_folder_is_not_the_new_ones(
    tmp_path: Path,
) -> None:
    _project(tmp_path, {"album": "", "photo": ""})
    model = read_project(tmp_path, cache=False)
    albums = Names.guess("albums")
    # `photos/test_api.py` belongs to photos; a shared module to everyone.
    assert _in_other_resource(model, "tests/photos/test_api.py", albums)
    assert not _in_other_resource(model, "tests/test_main.py", albums)
    assert not _in_other_resource(model, "tests/albums/test_api.py", albums)


def test_a_created_row_is_located_where_it_is_read(tmp_path: Path) -> None:
    # Items live at `/i/{id}`: the create's `Location` points there too.
    from planner import make_plan, parse_spec, prepare

    _project(tmp_path, {"photo": "i", "preset": "i", "video": "i"})
    for router in (tmp_path / "gallery/routers").glob("*s.py"):
        text = router.read_text(encoding="utf-8")
        router.write_text(
            text.replace('@router.post("/")', '@router.post("/", status_code=201)'),
            encoding="utf-8",
        )
    spec = parse_spec(
        'kind = "crud-resource"\n[resource]\nname = "caption"\n'
        '[[resource.fields]]\nname = "text"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    create = next(e for e in plan.endpoints if e.function == "create_caption")
    read = next(e for e in plan.endpoints if e.function == "read_caption")
    assert read.path == "/api/v1/captions/i/{caption_id}"
    assert create.success_headers == ("Location: /api/v1/captions/i/{caption_id}",)
