"""A guard built by a factory is read for the arguments it is called with.

A club's routes take `OrgMember`, an alias of what `require(...)` returns: the
factory returns one of two inner dependencies, the one for a required
`org_id` query parameter; it reads a member's session cookie and a service
key, and refuses a caller with neither with 403 (no challenge). Called with
`allow_key=False`, the key is read but never accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare
from planner.inspect.model.credentials import read_dependency
from planner.inspect.model.index import ProjectIndex
from planner.plan import Plan
from tests.trees import write_tree

_FACTORY = (
    "from typing import Annotated\n"
    "from fastapi import Depends, HTTPException, Query, Path, Security\n"
    "from fastapi.security import APIKeyHeader, APIKeyCookie\n"
    'key_scheme = APIKeyHeader(name="x-club-key", auto_error=False)\n'
    'cookie_scheme = APIKeyCookie(name="club_session", auto_error=False)\n'
    "CREDENTIALS = HTTPException(status_code=401,"
    " headers={'WWW-Authenticate': 'Cookie'})\n"
    "OptionalUser = Annotated[str | None, Security(cookie_scheme)]\n"
    "OptionalKey = Annotated[str | None, Security(key_scheme)]\n"
    "def require(*, allow_key: bool = False, need_org: str = 'yes',"
    " org_in_path: bool = False):\n"
    "    async def check(org_id=None, user=None, key=None):\n"
    "        if user:\n"
    "            role = user\n"
    "        elif key and allow_key:\n"
    "            raise CREDENTIALS\n"
    "        else:\n"
    "            raise HTTPException(status_code=403)\n"
    "        if role is None:\n"
    "            raise HTTPException(status_code=401)\n"
    "        return role\n"
    "    if need_org == 'yes':\n"
    "        Where = Path if org_in_path else Query\n"
    "        async def with_org(org_id: int = Where(...),"
    " user: OptionalUser = None, key: OptionalKey = None):\n"
    "            return await check(org_id=org_id, user=user, key=key)\n"
    "        return Depends(with_org)\n"
    "    async def without_org(user: OptionalUser = None,"
    " key: OptionalKey = None):\n"
    "        return await check(user=user, key=key)\n"
    "    return Depends(without_org)\n"
    "OrgMember = Annotated[object, require(allow_key=False, need_org='yes')]\n"
    "OrgService = Annotated[object, require(allow_key=True, need_org='no')]\n"
)

CLUB = {
    "pyproject.toml": '[project]\nname = "club"\ndependencies = ["fastapi==0.110.0"]\n',
    "club/__init__.py": "",
    "club/main.py": (
        "from fastapi import FastAPI\nfrom club.events import router\n"
        "app = FastAPI()\napp.include_router(router)\n"
    ),
    "club/guards.py": _FACTORY,
    "club/events.py": (
        "from fastapi import APIRouter\nfrom club.guards import OrgMember\n"
        'router = APIRouter(prefix="/events")\n'
        '@router.get("")\ndef list_events(member: OrgMember): ...\n'
        '@router.post("")\ndef create_event(member: OrgMember): ...\n'
    ),
}


@pytest.fixture
def club(tmp_path: Path) -> Path:
    write_tree(tmp_path, CLUB)
    return tmp_path


def _plan(root: Path) -> Plan:
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "venue"\n'
        'operations = ["list", "create"]\n\n'
        '[[resource.fields]]\nname = "label"\ntype = "str"\n\n'
        "[auth]\nrequired = true\n"
    ).spec
    return make_plan(spec, request=prepare(spec, project=root))


def test_a_factory_guard_is_read_for_its_arguments(club: Path) -> None:
    member = read_dependency(
        ProjectIndex(club, cache=False), "club.guards", "OrgMember"
    )
    # The key branch cannot run with allow_key=False: the key is not accepted.
    assert member.reads == ("cookie:club_session",)
    assert member.missing == 403
    assert member.params == ("query:org_id:int:required",)


def test_the_branch_a_factory_takes_follows_its_arguments(club: Path) -> None:
    service = read_dependency(
        ProjectIndex(club, cache=False), "club.guards", "OrgService"
    )
    assert service.reads == ("cookie:club_session", "header:x-club-key")
    assert service.params == ()  # the inner dependency without `org_id`
    assert service.missing == 403


def test_routes_guarded_by_a_factory_answer_as_it_does(club: Path) -> None:
    plan = _plan(club)
    for ep in plan.endpoints:
        statuses = {e.status: e for e in ep.errors}
        assert 401 not in statuses
        assert "club_session" in statuses[403].when
        assert statuses[403].headers == ()  # the 403 carries no challenge
        assert any(e.status == 422 and "`org_id`" in e.when for e in ep.errors)
        assert "the required `org_id` query parameter" in ep.auth
        assert "x-club-key" not in ep.auth


_CHECKED = {
    "pyproject.toml": '[project]\nname = "hub"\ndependencies = ["fastapi==0.110.0"]\n',
    "hub/__init__.py": "",
    "hub/main.py": (
        "from fastapi import FastAPI\nfrom hub.boards import router\n"
        "app = FastAPI()\napp.include_router(router)\n"
    ),
    "hub/security.py": (
        "from fastapi import Depends, HTTPException, Security\n"
        "from fastapi.security import OAuth2PasswordBearer, HTTPBearer\n"
        'oauth2 = OAuth2PasswordBearer(tokenUrl="/token")\n'
        "class User: ...\n"
        "class BoardMember:\n"
        "    async def __call__(self, board_name: str,"
        " token: str = Security(HTTPBearer())):\n"
        "        raise HTTPException(status_code=403)\n"
        "def get_current_user(token: str = Depends(oauth2)) -> User:\n"
        "    raise HTTPException(status_code=401,"
        " headers={'WWW-Authenticate': 'Bearer'})\n"
    ),
    "hub/boards.py": (
        "from fastapi import APIRouter, Depends\n"
        "from hub.security import BoardMember, User, get_current_user\n"
        'router = APIRouter(prefix="/boards")\n'
        '@router.get("")\ndef list_boards('
        "user: User = Depends(get_current_user)): ...\n"
        '@router.get("/{board_name}/posts")\ndef list_posts('
        "member=Depends(BoardMember())): ...\n"
        '@router.post("/{board_name}/posts")\ndef create_post('
        "member=Depends(BoardMember())): ...\n"
        '@router.delete("/{board_name}/posts")\ndef delete_posts('
        "member=Depends(BoardMember())): ...\n"
    ),
}


def test_a_new_route_takes_the_guard_most_exemplar_routes_run(
    tmp_path: Path,
) -> None:
    # Three of the routes run the membership check alone, one the current
    # user: the check is how the routes a new one follows are guarded.
    write_tree(tmp_path, _CHECKED)
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "GET"\npath = "/boards/{board_name}/tags"\n'
        'summary = "List tags"\n\n[auth]\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    guidance = " ".join(g for f in plan.files for g in f.guidance)
    assert "existing `BoardMember`" in guidance
    # A plain parameter of the guard is the route's path parameter where its
    # path has it, else a required query parameter.
    (ep,) = plan.endpoints
    assert "the required `board_name` path or query parameter" in ep.auth
    # BoardMember reads HTTPBearer: before FastAPI 0.122.0 it answers 403.
    assert any("HTTPBearer" in n.text for n in plan.notes)


def test_the_old_403_note_is_only_for_classes_that_answered_403(
    tmp_path: Path,
) -> None:
    files = dict(_CHECKED)
    files["hub/boards.py"] = (
        "from fastapi import APIRouter, Depends\n"
        "from hub.security import User, get_current_user\n"
        'router = APIRouter(prefix="/boards")\n'
        '@router.get("")\ndef list_boards('
        "user: User = Depends(get_current_user)): ...\n"
    )
    write_tree(tmp_path, files)
    index = ProjectIndex(tmp_path, cache=False)
    bearer = read_dependency(index, "hub.security", "get_current_user")
    assert bearer.oauth2 and not bearer.automatic
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "GET"\npath = "/boards/count"\n'
        'summary = "Count boards"\n\n[auth]\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    # OAuth2PasswordBearer answered 401 in every version: no 0.122 caveat.
    assert not any("older than 0.122.0" in n.text for n in plan.notes)


def test_a_guard_that_reads_the_id_keeps_its_own_refusal(tmp_path: Path) -> None:
    # `BoardMember` reads `board_name` and refuses non-members itself: the
    # missing board is a 404, with no advice to hide refusals behind it.
    write_tree(tmp_path, _CHECKED)
    spec = parse_spec(
        'kind = "endpoint"\nmethod = "GET"\npath = "/boards/{board_name}/tags"\n'
        'summary = "List tags"\n\n[auth]\nrequired = true\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    (ep,) = plan.endpoints
    (missing,) = [e for e in ep.errors if e.status == 404]
    assert missing.when.endswith("matches `board_name`")


_AUTHORIZER = """\
from fastapi import Depends, HTTPException, Security
from fastapi.security import APIKeyHeader


class TokenHeader(APIKeyHeader):
    async def __call__(self, request):
        return await super().__call__(request)


def get_current_user_authorizer(*, required: bool = True):
    return _current_user if required else _current_user_optional


def _token(api_key: str = Security(TokenHeader(name="Authorization"))) -> str:
    if not api_key.startswith("Token "):
        raise HTTPException(status_code=403, detail="wrong prefix")
    return api_key


def _token_optional(
    api_key: str = Security(TokenHeader(name="Authorization", auto_error=False)),
) -> str:
    return api_key or ""


async def _current_user(token: str = Depends(_token)) -> dict:
    if token == "Token bad":
        raise HTTPException(status_code=403, detail="malformed")
    return {"token": token}


async def _current_user_optional(token: str = Depends(_token_optional)) -> dict:
    return {"token": token}
"""


def test_a_factory_returning_a_module_function_guards_with_it(
    tmp_path: Path,
) -> None:
    """`Depends(get_current_user_authorizer())` runs `_current_user`, not it."""
    write_tree(tmp_path, {"blog/__init__.py": "", "blog/auth.py": _AUTHORIZER})
    user = read_dependency(
        ProjectIndex(tmp_path, cache=False),
        "blog.auth",
        "get_current_user_authorizer",
    )
    # The factory's own `required` is no request parameter of the routes.
    assert user.params == ()
    # A project subclass of `APIKeyHeader` reads its header as the base does.
    assert user.reads == ("header:Authorization",)
    assert 403 in user.refuses and 401 not in user.refuses
