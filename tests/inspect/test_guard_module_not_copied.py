"""A new resource modelled on the sign-in feature does not copy its guard module."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, parse_spec, prepare
from tests.trees import write_tree

_DEPS = """\
from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/access-token")


async def get_current_user(token: str = Depends(oauth2_scheme)) -> dict:
    return {"token": token}
"""

_VIEWS = """\
from fastapi import APIRouter, Depends

from app.auth.dependencies import get_current_user

router = APIRouter(prefix="/auth")


@router.get("/me")
async def read_current_user(user: dict = Depends(get_current_user)) -> dict:
    return user


@router.delete("/me", status_code=204)
async def delete_current_user(user: dict = Depends(get_current_user)) -> None:
    return None
"""


def test_the_guard_module_of_the_exemplar_is_not_copied(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/main.py": (
                "from fastapi import FastAPI\nfrom app.auth import views\n\n"
                "app = FastAPI()\napp.include_router(views.router)\n"
            ),
            "app/auth/__init__.py": "",
            "app/auth/dependencies.py": _DEPS,
            "app/auth/views.py": _VIEWS,
        },
    )
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "note"\n'
        'operations = ["list", "create"]\n\n[[resource.fields]]\n'
        'name = "title"\ntype = "str"\n\n[auth]\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    created = {f.path for f in plan.files if f.action == "create"}
    assert "app/note/views.py" in created
    # `get_current_user` serves every resource: the notes take it, not a copy.
    assert not any(p.endswith("dependencies.py") for p in created)
    text = "\n".join(g for f in plan.files for g in f.guidance)
    assert "`get_current_user`" in text
