"""A resource's own module that uses its siblings is no list of them."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import new_resource_targets, read_project
from tests.trees import write_tree

ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})

_ROUTER = """\
from fastapi import APIRouter, Depends

from gallery.dependencies.{plural} import get_{name}
from gallery.models.{name} import {cls}

router = APIRouter(prefix="/api/{plural}")


@router.get("/")
def list_{plural}() -> list[{cls}]: ...


@router.post("/")
def create_{name}(): ...


@router.get("/{{{name}_id}}")
def read_{name}(item=Depends(get_{name})): ...


@router.delete("/{{{name}_id}}")
def delete_{name}(item=Depends(get_{name})): ...
"""


def _project(root: Path) -> None:
    """Three resources, each with a dependency module; a photo's needs its album."""
    names = ("album", "photo", "tag")
    files = {
        "pyproject.toml": '[project]\nname = "gallery"\n',
        "gallery/__init__.py": "",
        "gallery/dependencies/__init__.py": "",
        "gallery/dependencies/auth.py": "def current_user(): ...\n",
        "gallery/dependencies/database.py": "def get_db(): ...\n",
        "gallery/dependencies/albums.py": "def get_album(album_id: int): ...\n",
        "gallery/dependencies/tags.py": "def get_tag(tag_id: int): ...\n",
        # The photo's lookup depends on the album, the caller and the database:
        # three of the four other modules of its folder.
        "gallery/dependencies/photos.py": (
            "from fastapi import Depends\n\n"
            "from gallery.dependencies import albums, auth, database\n\n\n"
            "def get_photo(\n"
            "    photo_id: int,\n"
            "    album=Depends(albums.get_album),\n"
            "    user=Depends(auth.current_user),\n"
            "    db=Depends(database.get_db),\n"
            "): ...\n"
        ),
        "gallery/main.py": "from fastapi import FastAPI\n\n"
        + "".join(f"from gallery.routers.{n}s import router as {n}s\n" for n in names)
        + "\napp = FastAPI()\n"
        + "".join(f"app.include_router({n}s)\n" for n in names),
        "gallery/routers/__init__.py": "",
        "gallery/models/__init__.py": "",
        # The album's table relates to every table an album owns.
        "gallery/models/album.py": (
            "from gallery.models.photo import Photo\n"
            "from gallery.models.tag import Tag\n\n\n"
            "class Album:\n    photos: list[Photo]\n    tags: list[Tag]\n"
        ),
        "gallery/models/photo.py": "class Photo: ...\n",
        "gallery/models/tag.py": "class Tag: ...\n",
    }
    for n in names:
        files[f"gallery/routers/{n}s.py"] = _ROUTER.format(
            name=n, plural=n + "s", cls=n.title()
        )
    write_tree(root, files)


def test_a_resources_dependency_module_lists_no_resources(tmp_path: Path) -> None:
    _project(tmp_path)
    model = read_project(tmp_path, cache=False)
    assert "gallery/dependencies/photos.py" not in {r.path for r in model.registries}
    targets = new_resource_targets(
        model,
        singular="caption",
        plural="captions",
        operations=ALL_OPS,
        owned=False,
        paginated=False,
    )
    changed = {t.path for t in targets.files if t.action == "modify"}
    assert "gallery/dependencies/photos.py" not in changed
    assert "gallery/main.py" in changed


def test_a_resources_module_naming_every_other_lists_them(tmp_path: Path) -> None:
    _project(tmp_path)
    model = read_project(tmp_path, cache=False)
    found = {(r.path, r.named, r.siblings) for r in model.registries}
    assert ("gallery/models/album.py", 2, 2) in found
