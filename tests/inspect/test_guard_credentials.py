"""A new route is guarded as the routes it follows: dependency, spelling, credential.

A shop whose wallet API admits callers by an API key (header or query), whose
end-user routes sign users in with a fastapi-users session cookie through an
`Annotated` alias named for a role, and whose sessions come through an alias
not named `...Dep`, in a module with no FastAPI in it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, parse_spec, prepare, render_markdown
from planner.inspect.model.credentials import read_dependency
from planner.inspect.model.index import ProjectIndex
from planner.inspect.model.project import read_project
from planner.plan import Plan
from tests.trees import write_tree

SHOP = {
    "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["fastapi>=0.115"]\n',
    "shop/__init__.py": "",
    "shop/main.py": (
        "from fastapi import FastAPI\n"
        "from shop.wallets import router as wallets\n"
        "from shop.orders import router as orders\n"
        "app = FastAPI()\n"
        "app.include_router(wallets)\n"
        "app.include_router(orders)\n"
    ),
    "shop/keys.py": (
        "from fastapi import HTTPException, Security\n"
        "from fastapi.security import APIKeyHeader, APIKeyQuery\n"
        'key_header = APIKeyHeader(name="X-Shop-Key", auto_error=False)\n'
        'key_query = APIKeyQuery(name="key", auto_error=False)\n'
        "class WalletInfo: ...\n"
        "async def wallet_of_key(\n"
        "    h: str = Security(key_header), q: str = Security(key_query)\n"
        ") -> WalletInfo:\n"
        "    if not (h or q):\n"
        "        raise HTTPException(status_code=401)\n"
        "    return WalletInfo()\n"
    ),
    "shop/users.py": (
        "from fastapi_users import FastAPIUsers\n"
        "from fastapi_users.authentication import AuthenticationBackend\n"
        "from fastapi_users.authentication import CookieTransport\n"
        'cookies = CookieTransport(cookie_name="shop_session")\n'
        "backend = AuthenticationBackend(name='db', transport=cookies,"
        " get_strategy=None)\n"
        "users = FastAPIUsers(None, [backend])\n"
        "signed_in = users.current_user(active=True)\n"
    ),
    # No FastAPI token here: the aliases are read from the file itself.
    "shop/aliases.py": (
        "from typing import Annotated\n"
        "from shop.db import get_db, Session\n"
        "from shop.roles import member_of\n"
        "from shop.users import signed_in\n"
        "DBSession = Annotated[Session, Depends(get_db)]\n"
        "ShopMember = Annotated[object, member_of(signed_in)]\n"
    ),
    "shop/roles.py": (
        "from fastapi import Depends\n"
        "def member_of(dep):\n"
        "    async def check(user=Depends(dep)):\n"
        "        return user\n"
        "    return Depends(check)\n"
    ),
    "shop/db.py": "class Session: ...\ndef get_db(): ...\n",
    "shop/wallets.py": (
        "from fastapi import APIRouter, Depends\n"
        "from shop.aliases import DBSession\n"
        "from shop.keys import WalletInfo, wallet_of_key\n"
        'router = APIRouter(prefix="/wallets")\n'
        '@router.get("")\n'
        "def list_wallets(session: DBSession,"
        " wallet: WalletInfo = Depends(wallet_of_key)): ...\n"
        '@router.get("/{wallet_id}")\n'
        "def read_wallet(wallet_id: int, session: DBSession,"
        " wallet: WalletInfo = Depends(wallet_of_key)): ...\n"
        '@router.delete("/{wallet_id}")\n'
        "def delete_wallet(wallet_id: int, session: DBSession,"
        " wallet: WalletInfo = Depends(wallet_of_key)): ...\n"
    ),
    "shop/orders.py": (
        "from fastapi import APIRouter\n"
        "from shop.aliases import DBSession, ShopMember\n"
        'router = APIRouter(prefix="/orders")\n'
        '@router.get("")\n'
        "def list_orders(member: ShopMember, session: DBSession): ...\n"
        '@router.post("")\n'
        "def create_order(member: ShopMember, session: DBSession): ...\n"
    ),
}

_SPEC = """\
kind = "crud-resource"
[resource]
name = "voucher"
operations = ["list", "read", "delete"]
[[resource.fields]]
name = "code"
type = "str"
[auth]
required = true
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    write_tree(tmp_path, SHOP)
    return tmp_path


def _plan(root: Path) -> tuple[Plan, str]:
    spec = parse_spec(_SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=root))
    return plan, render_markdown(plan)


def test_a_guard_is_followed_to_the_scheme_objects_it_reads(shop: Path) -> None:
    index = ProjectIndex(shop, cache=False)
    keys = read_dependency(index, "shop.keys", "wallet_of_key")
    assert keys.reads == ("header:X-Shop-Key", "query:key")
    assert keys.refuses == (401,)
    assert keys.returns == "WalletInfo"
    member = read_dependency(index, "shop.aliases", "ShopMember")
    assert member.reads == ("cookie:shop_session",)


def test_aliases_count_as_dependencies_whatever_their_names(shop: Path) -> None:
    model = read_project(shop, cache=False)
    assert model.convention("session_dependency").winner == ("DBSession (shop.aliases)")
    guards = {g.name: g for g in model.guards}
    assert guards["ShopMember"].written == "member: ShopMember"
    assert guards["wallet_of_key"].kind == "credential"
    assert guards["wallet_of_key"].written == (
        "wallet: WalletInfo = Depends(wallet_of_key)"
    )


def test_a_new_route_takes_its_exemplars_guard_and_credential(shop: Path) -> None:
    plan, text = _plan(shop)
    assert "`wallet: WalletInfo = Depends(wallet_of_key)`" in text
    assert "defined in `shop/keys.py`" in text
    for ep in plan.endpoints:
        assert ep.auth == "`X-Shop-Key` header or `key` query parameter"
        (refused,) = [e for e in ep.errors if e.status == 401]
        assert "`X-Shop-Key` header" in refused.when
        assert refused.headers == ()  # the project writes no challenge
    assert "bearer" not in text.lower()


_BEARER_403 = {
    "pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi==0.125.0"]\n',
    "api/__init__.py": "",
    "api/main.py": (
        "from fastapi import FastAPI\nfrom api.items import router\n\n"
        "app = FastAPI()\napp.include_router(router)\n"
    ),
    "api/deps.py": (
        "from typing import Annotated\n"
        "from fastapi import Depends, HTTPException\n"
        "from fastapi.security import OAuth2PasswordBearer\n"
        'oauth2 = OAuth2PasswordBearer(tokenUrl="/login")\n'
        "class User: ...\n"
        "def get_current_user(token: Annotated[str, Depends(oauth2)]) -> User:\n"
        "    raise HTTPException(status_code=403, detail='bad token')\n"
        "CurrentUser = Annotated[User, Depends(get_current_user)]\n"
    ),
    "api/items.py": (
        "from fastapi import APIRouter\nfrom api.deps import CurrentUser\n"
        'router = APIRouter(prefix="/items")\n'
        '@router.get("/")\ndef list_items(user: CurrentUser): ...\n'
        '@router.post("/")\ndef create_item(user: CurrentUser): ...\n'
    ),
}


def test_a_missing_token_is_fastapis_401_and_a_bad_one_the_guards_403(
    tmp_path: Path,
) -> None:
    # FastAPI's OAuth2PasswordBearer refuses a missing token (401 since
    # 0.122.0) before `get_current_user` runs; the 403 is the project's own,
    # for a token it cannot read.
    write_tree(tmp_path, _BEARER_403)
    spec = parse_spec(
        'kind = "crud-resource"\n\n[resource]\nname = "tag"\n'
        'operations = ["list", "create"]\nowned_by_user = true\n\n'
        '[[resource.fields]]\nname = "label"\ntype = "str"\n'
    ).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    cases = {(e.status, e.when) for ep in plan.endpoints for e in ep.errors}
    assert (401, "no bearer token") in cases, cases
    assert any(status == 403 and "malformed" in when for status, when in cases)
