"""Tests named for a resource that test its helpers alone are not copied."""

from __future__ import annotations

from pathlib import Path

from planner.inspect.model import new_resource_targets, read_project
from tests.trees import write_tree

ALL_OPS = frozenset({"list", "read", "create", "update", "delete"})


def _secrets_project(root: Path) -> None:
    """``secrets`` and ``vaults`` packages; only ``secrets`` has tests."""
    files = {
        "pyproject.toml": '[project]\nname = "shop"\n',
        "shop/__init__.py": "",
        "shop/main.py": "from fastapi import FastAPI\n\n"
        "from shop.secrets.router import router as secrets\n"
        "from shop.vaults.router import router as vaults\n\n"
        "app = FastAPI()\napp.include_router(secrets)\napp.include_router(vaults)\n",
        "tests/__init__.py": "",
        # Named for the router, it tests the encryption helper alone.
        "tests/test_secrets.py": "from shop.secrets.crypto import seal\n\n\n"
        "def test_seal():\n    assert seal(b'x')\n",
        "tests/test_secrets_service.py": "from shop.secrets.service import "
        "list_secrets\n\n\ndef test_list():\n    assert list_secrets() == []\n",
    }
    for name in ("secrets", "vaults"):
        files[f"shop/{name}/__init__.py"] = ""
        files[f"shop/{name}/service.py"] = f"def list_{name}(): ...\n"
        files[f"shop/{name}/router.py"] = (
            "from fastapi import APIRouter\n\n"
            f"from shop.{name}.service import list_{name}\n\n"
            f'router = APIRouter(prefix="/{name}")\n\n\n'
            f'@router.get("/")\ndef list_all():\n    return list_{name}()\n\n\n'
            f'@router.post("/")\ndef create(): ...\n'
        )
    files["shop/secrets/crypto.py"] = "def seal(data): ...\n"
    files["shop/secrets/router.py"] = (
        "from shop.secrets.crypto import seal\n" + files["shop/secrets/router.py"]
    )
    write_tree(root, files)


def test_a_test_of_helpers_alone_is_no_router_test_to_copy(tmp_path: Path) -> None:
    _secrets_project(tmp_path)
    targets = new_resource_targets(
        read_project(tmp_path, cache=False),
        singular="caption",
        plural="captions",
        operations=ALL_OPS,
        owned=False,
        paginated=False,
    )
    created = {t.path for t in targets.files if t.role == "test"}
    assert "tests/test_captions_service.py" in created
    assert "tests/test_captions.py" not in created
