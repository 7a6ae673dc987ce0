"""Routes guarded by a decorator (Starlette's `@requires`) are guarded as they are."""

from __future__ import annotations

from pathlib import Path

from planner import make_plan, prepare
from planner.spec import EndpointSpec
from tests.trees import write_tree

_MAIN = """\
from fastapi import FastAPI
from starlette.authentication import AuthenticationBackend
from starlette.middleware.authentication import AuthenticationMiddleware

from app.routers import notes


class TokenBackend(AuthenticationBackend):
    async def authenticate(self, conn): ...


app = FastAPI()
app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())
app.include_router(notes.router, prefix="/api/notes")
"""

_LIMITER = """\
from fastapi import Request


class ApiUserRateLimiter:
    def __init__(self, requests: int) -> None:
        self.requests = requests

    def __call__(self, request: Request) -> None:
        if not request.user.is_authenticated:
            return
"""

_NOTES = """\
from fastapi import APIRouter, Depends, Request
from starlette.authentication import requires

from app.limits import ApiUserRateLimiter

router = APIRouter()


@router.get("")
@requires(["authenticated"])
def list_notes(request: Request, limit=Depends(ApiUserRateLimiter(requests=5))):
    return []


@router.post("")
@requires(["authenticated"])
def add_note(request: Request, limit=Depends(ApiUserRateLimiter(requests=5))):
    return {}


@router.get("/{note_id}")
@requires(["authenticated"])
def read_note(request: Request, note_id: int):
    return {}
"""


def _project(root: Path) -> Path:
    write_tree(
        root,
        {
            "pyproject.toml": '[project]\nname = "notes"\n',
            "app/__init__.py": "",
            "app/main.py": _MAIN,
            "app/limits.py": _LIMITER,
            "app/routers/__init__.py": "",
            "app/routers/notes.py": _NOTES,
        },
    )
    return root


def _endpoint_plan(root: Path) -> tuple[str, list[int]]:
    spec = EndpointSpec.model_validate(
        {
            "kind": "endpoint",
            "method": "DELETE",
            "path": "/notes/{note_id}",
            "summary": "Delete a note",
            "auth": {"required": True},
        }
    )
    plan = make_plan(spec, request=prepare(spec, project=_project(root)))
    text = "\n".join(g for f in plan.files for g in f.guidance)
    endpoint = plan.endpoints[0]
    return text, [e.status for e in endpoint.errors]


def test_a_route_decorated_with_requires_is_guarded_by_it(tmp_path: Path) -> None:
    text, errors = _endpoint_plan(tmp_path)
    assert "decorate each route with `@requires(['authenticated'])`" in text
    assert "`request: Request`" in text
    # Starlette's `requires` refuses an unauthenticated caller with 403.
    assert 403 in errors and 401 not in errors


def test_a_rate_limiter_named_for_users_is_no_sign_in_guard(tmp_path: Path) -> None:
    text, _ = _endpoint_plan(tmp_path)
    assert "ApiUserRateLimiter" not in text
    # The project signs callers in: no second current-user dependency.
    assert "Add `get_current_user`" not in text
