"""A plan's new Alembic revisions: named, parented and generated as the tree says."""

from __future__ import annotations

import re
from pathlib import Path

from planner import make_plan, prepare
from planner.plan import Plan
from planner.spec import AuthSpec
from planner.specfile import parse_spec
from tests.trees import write_tree

_TAGS = (
    'kind = "crud-resource"\n[resource]\nname = "tag"\n'
    '[[resource.fields]]\nname = "label"\ntype = "str"\nrequired = true\n'
)


def _project(root: Path, ini: str, revisions: dict[str, str]) -> None:
    """Two resources with ORM tables, an alembic.ini and revision files.

    `revisions` maps a file to `"<id> <down> <table>"` (`-` for no down).
    """
    files = {
        "pyproject.toml": (
            '[project]\nname = "kiln"\ndependencies = ["fastapi", "sqlalchemy"]\n'
        ),
        "alembic.ini": ini,
        "app/__init__.py": "",
        "app/main.py": (
            "from fastapi import FastAPI\n\nfrom app.api import glazes, kilns\n\n"
            "app = FastAPI()\n"
            "app.include_router(kilns.router)\napp.include_router(glazes.router)\n"
        ),
        "app/api/__init__.py": "",
        "app/models.py": (
            "from sqlalchemy import Integer, String\n"
            "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
            "class Base(DeclarativeBase):\n    pass\n\n\n"
            + "".join(
                f"class {name}(Base):\n"
                f'    __tablename__ = "{table}"\n'
                "    id: Mapped[int] = mapped_column(Integer, primary_key=True)\n"
                "    name: Mapped[str] = mapped_column(String)\n\n\n"
                for name, table in (("Kiln", "kilns"), ("Glaze", "glazes"))
            )
        ),
    }
    for plural in ("kilns", "glazes"):
        files[f"app/api/{plural}.py"] = (
            "from fastapi import APIRouter\n\nfrom app.models import Base\n\n"
            f'router = APIRouter(prefix="/{plural}")\n\n\n'
            f'@router.get("/")\ndef list_{plural}() -> list[str]:\n    return []\n\n\n'
            f'@router.post("/", status_code=201)\ndef create_{plural}() -> None: ...\n'
        )
    for path, line in revisions.items():
        rev, down, table = line.split()
        parent = "None" if down == "-" else f'"{down}"'
        files[path] = (
            f'revision = "{rev}"\ndown_revision = {parent}\n\n\n'
            f'def upgrade():\n    op.create_table("{table}")\n\n\n'
            "def downgrade():\n    pass\n"
        )
    write_tree(root, files)


def _plan(root: Path, text: str = _TAGS) -> Plan:
    spec = parse_spec(text).spec
    return make_plan(spec, request=prepare(spec, project=root))


def _created_revisions(plan: Plan) -> dict[str, str]:
    """Each new file under a versions folder, with its guidance."""
    return {
        f.path: " ".join(f.guidance)
        for f in plan.files
        if "versions/" in f.path and f.action == "create"
    }


def _steps(plan: Plan) -> tuple[str, ...]:
    return plan.data_model.migration if plan.data_model else ()


def _rev_ids(plan: Plan) -> list[str]:
    return re.findall(r"--rev-id (\w+)", "\n".join(_steps(plan)))


def test_the_file_name_follows_the_ini_template_and_the_command(
    tmp_path: Path,
) -> None:
    # The date is Alembic's to write: never an existing revision's.
    _project(
        tmp_path,
        "[alembic]\nscript_location = db\n"
        "file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s\n",
        {
            "db/versions/2024_01_02_aaaaaaaaaaaa_kilns.py": "aaaaaaaaaaaa - kilns",
            "db/versions/2024_03_04_bbbbbbbbbbbb_glazes.py": (
                "bbbbbbbbbbbb aaaaaaaaaaaa glazes"
            ),
        },
    )
    plan = _plan(tmp_path)
    (path, guidance), *others = _created_revisions(plan).items()
    assert not others
    (rev,) = _rev_ids(plan)
    assert path == f"db/versions/<year>_<month>_<day>_{rev}_add_tags.py"
    assert '-m "add tags"' in _steps(plan)[0]
    assert "after head `bbbbbbbbbbbb`" in _steps(plan)[0]
    assert "`down_revision` must be `bbbbbbbbbbbb`" in guidance


def test_revision_ids_belong_to_the_plan(tmp_path: Path) -> None:
    _project(
        tmp_path,
        "[alembic]\nscript_location = db\n",
        {"db/versions/aaaaaaaaaaaa_kilns.py": "aaaaaaaaaaaa - kilns"},
    )
    tags = _rev_ids(_plan(tmp_path))
    assert tags == _rev_ids(_plan(tmp_path))
    labels = _rev_ids(_plan(tmp_path, _TAGS.replace('"label"', '"colour"')))
    spec = AuthSpec(kind="auth", scheme="api-key")
    auth = make_plan(spec, request=prepare(spec, project=tmp_path))
    keys = _rev_ids(auth)
    assert len({*tags, *labels, *keys}) == 3
    (path,) = _created_revisions(auth)
    assert path == f"db/versions/{keys[0]}_add_auth.py"


def test_histories_side_by_side_each_get_their_own_parent(tmp_path: Path) -> None:
    revisions = {}
    for dialect in ("postgresql", "sqlite"):
        first, second = dialect[0] * 12, dialect[1] * 12
        folder = f"db/versions/{dialect}"
        revisions[f"{folder}/{first}_kilns.py"] = f"{first} - kilns"
        revisions[f"{folder}/{second}_glazes.py"] = f"{second} {first} glazes"
    _project(tmp_path, "[alembic]\nscript_location = db\n", revisions)
    plan = _plan(tmp_path)
    created = _created_revisions(plan)
    ids = _rev_ids(plan)
    assert len(set(ids)) == 2
    assert sorted(created) == sorted(
        [
            f"db/versions/postgresql/{ids[0]}_add_tags.py",
            f"db/versions/sqlite/{ids[1]}_add_tags.py",
        ]
    )
    for path, head in (("postgresql", "oooooooooooo"), ("sqlite", "qqqqqqqqqqqq")):
        guidance = created[f"db/versions/{path}/{ids[path == 'sqlite']}_add_tags.py"]
        assert f"`down_revision` must be `{head}`" in guidance
        # The ini names neither folder: its section cannot select the history.
        assert "the project's own code" in guidance
    assert "after head `oooooooooooo`" in _steps(plan)[0]
    assert "after head `qqqqqqqqqqqq`" in _steps(plan)[1]


def test_a_named_section_is_selected_by_name(tmp_path: Path) -> None:
    # No `[alembic]` section: a bare `alembic revision` finds no configuration.
    _project(
        tmp_path,
        "",
        {
            "server/db/main_versions/aaaaaaaaaaaa_accounts.py": "aaaaaaaaaaaa - x",
            "server/db/shop_versions/bbbbbbbbbbbb_kilns.py": "bbbbbbbbbbbb - kilns",
            "server/db/shop_versions/cccccccccccc_glazes.py": (
                "cccccccccccc bbbbbbbbbbbb glazes"
            ),
        },
    )
    write_tree(
        tmp_path,
        {
            "server/alembic.ini": "".join(
                f"[{name}]\nscript_location = %(here)s/db\n"
                f"version_locations = %(here)s/db/{name}_versions\n\n"
                for name in ("main", "shop")
            ),
        },
    )
    plan = _plan(tmp_path)
    (path, guidance), *others = _created_revisions(plan).items()
    assert not others
    (rev,) = _rev_ids(plan)
    assert path == f"server/db/shop_versions/{rev}_add_tags.py"
    assert _steps(plan)[0].startswith(
        f"`alembic -n shop revision --autogenerate --rev-id {rev} "
    )
    assert "after head `cccccccccccc`, run from `server`" in _steps(plan)[0]
    assert "`down_revision` must be `cccccccccccc`" in guidance


_SHARED_TEMPLATE = (
    "[alembic]\nfile_template = %%(year)d-%%(month).2d-%%(day).2d_%%(rev)s\n\n"
    "[core]\nscript_location = db/core\n\n[tenant]\nscript_location = db/tenant\n"
)


def test_named_sections_follow_the_main_template_their_files_carry(
    tmp_path: Path,
) -> None:
    # The project runs each section's folder through the `[alembic]`
    # configuration: its dated names are the ones to follow, and the slug
    # the template leaves out still makes the `-m` message.
    _project(
        tmp_path,
        _SHARED_TEMPLATE,
        {
            "db/core/versions/2024-01-02_dddddddddddd.py": "dddddddddddd - accounts",
            "db/tenant/versions/2024-01-02_aaaaaaaaaaaa.py": "aaaaaaaaaaaa - kilns",
            "db/tenant/versions/2024-03-04_bbbbbbbbbbbb.py": (
                "bbbbbbbbbbbb aaaaaaaaaaaa glazes"
            ),
        },
    )
    plan = _plan(tmp_path)
    (path, _), *others = _created_revisions(plan).items()
    assert not others
    (rev,) = _rev_ids(plan)
    assert path == f"db/tenant/versions/<year>-<month>-<day>_{rev}.py"
    step = _steps(plan)[0]
    assert step.startswith(
        f"`alembic -n tenant revision --autogenerate --rev-id {rev} "
    )
    assert '-m "add tags"' in step
    # `-n tenant` alone would write `<rev>_<slug>.py`: the step says so.
    assert "the project's own revision command" in step


def test_a_named_section_whose_files_do_not_follow_the_main_template(
    tmp_path: Path,
) -> None:
    # `alembic -n tenant` reads only its section: Alembic's default name.
    _project(
        tmp_path,
        _SHARED_TEMPLATE,
        {
            "db/tenant/versions/aaaaaaaaaaaa_kilns.py": "aaaaaaaaaaaa - kilns",
            "db/tenant/versions/bbbbbbbbbbbb_glazes.py": (
                "bbbbbbbbbbbb aaaaaaaaaaaa glazes"
            ),
        },
    )
    plan = _plan(tmp_path)
    (rev,) = _rev_ids(plan)
    assert list(_created_revisions(plan)) == [f"db/tenant/versions/{rev}_add_tags.py"]
    assert "own revision command" not in _steps(plan)[0]


def test_a_named_section_s_own_template_names_its_files(tmp_path: Path) -> None:
    ini = _SHARED_TEMPLATE.replace(
        "[tenant]\n", "[tenant]\nfile_template = %%(rev)s_t_%%(slug)s\n"
    )
    _project(
        tmp_path,
        ini,
        {"db/tenant/versions/2024-01-02_aaaaaaaaaaaa.py": "aaaaaaaaaaaa - kilns"},
    )
    plan = _plan(tmp_path)
    (rev,) = _rev_ids(plan)
    assert list(_created_revisions(plan)) == [f"db/tenant/versions/{rev}_t_add_tags.py"]


def test_a_numbered_history_gets_the_next_number(tmp_path: Path) -> None:
    # `revision = "1"`, `"2"`: the project counts its revisions, so the new
    # one is `3` (file `3_add_tags.py`), not a random id.
    _project(
        tmp_path,
        "[alembic]\nscript_location = db\n",
        {
            "db/versions/1_kilns.py": "1 - kilns",
            "db/versions/2_glazes.py": "2 1 glazes",
        },
    )
    plan = _plan(tmp_path)
    assert _rev_ids(plan) == ["3"]
    ((path, guidance),) = _created_revisions(plan).items()
    assert path == "db/versions/3_add_tags.py"
    assert "`down_revision` must be `2`" in guidance
    spec = AuthSpec(kind="auth", scheme="api-key")
    auth = make_plan(spec, request=prepare(spec, project=tmp_path))
    assert _rev_ids(auth) == ["3"]


def test_zero_padded_numbers_keep_their_width(tmp_path: Path) -> None:
    _project(
        tmp_path,
        "[alembic]\nscript_location = db\n",
        {
            "db/versions/0009_kilns.py": "0009 - kilns",
            "db/versions/0010_glazes.py": "0010 0009 glazes",
        },
    )
    assert _rev_ids(_plan(tmp_path)) == ["0011"]
