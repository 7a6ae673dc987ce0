"""What a project's tests already have to act as a signed-in user.

Fixtures in the conftests (and the modules they pull fixtures from) named for
a user or its credentials (`normal_user_token_headers`, `authorized_client`),
and helper functions the tests call to make one (`create_user`,
`get_auth_headers`). A plan reuses them rather than asking for new ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planner.inspect.clientfixture import fixture_modules
from planner.inspect.corpus import Corpus
from planner.inspect.model.files import calls_any

__all__ = ["find_user_fixtures"]

# A module-level fixture's name, the decorator's arguments spanning lines:
# its `name=` where it gives one (`@pytest.fixture(name="user")` on
# `def fixture_user`), else the function's.
_FIXTURE_DEF = re.compile(
    rb"^@(?:pytest(?:_asyncio)?\.)?fixture\b(?:\(([^)]*)\))?[^\n]*\n"
    rb"(?:@[^\n]*\n)*(?:async[ \t]+)?def[ \t]+(\w+)",
    re.M,
)
_NAME_ARG = re.compile(rb"""\bname\s*=\s*["'](\w+)["']""")
_WHO = r"(?:user|users|superuser|admin|member)\d*"
_HOW = r"(?:token|tokens|headers?|client|auth|cookies?|credentials|api_key|login)"
_SORT = (
    r"(?:test|normal|regular|active|other|second|another|random|logged_in|current"
    r"|authenticated|authorized|existing|default|super|verified|auth|admin)"
)
# `user`, `test_admin_user`, `superuser_token_headers`, `user2_token`,
# `account_headers`, `auth_headers`, `authorized_client`; not
# `user_repository`, `admin_settings`, a bare `account` (a tenant, often) or
# `test_client` (no one signed in).
_USER_FIXTURE = re.compile(
    rf"(?:{_SORT}_)*{_WHO}(?:_{_HOW})*"
    rf"|(?:{_SORT}_)*account\d*(?:_{_HOW})+"
    rf"|(?:authenticated|authorized|logged_in|auth|token)_{_HOW}(?:_{_HOW})*"
)
# Helpers called to make a user or its credentials, searched as plain bytes:
# a pattern of alternatives costs a match attempt at every byte of every test.
_HELPERS = (
    "create_user",
    "create_test_user",
    "create_random_user",
    "make_user",
    "user_factory",
    "get_auth_headers",
    "get_user_headers",
    "get_token_headers",
    "authentication_headers",
    "user_authentication_headers",
    "authentication_token_from_email",
    "login_user",
    "authenticate_user",
)
# Every helper's call holds one of these.
_GATES = (b"user(", b"headers(", b"user_factory(", b"_email(")


def _registered(m: re.Match[bytes]) -> str:
    """The fixture name a `_FIXTURE_DEF` match registers."""
    given = _NAME_ARG.search(m.group(1) or b"")
    return (given.group(1) if given else m.group(2)).decode()


def find_user_fixtures(corpus: Corpus, conftests: Sequence[str]) -> tuple[str, ...]:
    """Shared user fixtures, then helpers two or more test modules call.

    A helper counts only where the project defines it outside the test
    modules themselves (a conftest, a `tests/utils/` or `testing/` module).
    """
    fixtures: set[str] = set()
    for rel in fixture_modules(corpus, conftests):
        src = corpus.texts.get(rel)
        if src is None or b"fixture" not in src.data:
            continue
        fixtures.update(
            name
            for m in _FIXTURE_DEF.finditer(src.data)
            if _USER_FIXTURE.fullmatch(name := _registered(m))
        )
    calls: dict[str, int] = {}
    for rel in corpus.tests:
        src = corpus.texts.get(rel)
        if src is None or not any(gate in src.data for gate in _GATES):
            continue
        for name in _HELPERS:
            if calls_any(src.data, [name]):
                calls[name] = calls.get(name, 0) + 1
    helpers = {
        name for name, count in calls.items() if count >= 2 and _defined(corpus, name)
    }
    return (*sorted(fixtures), *sorted(helpers - fixtures))


def _defined(corpus: Corpus, name: str) -> bool:
    """Whether a module other than a test module defines the function."""
    word = f"def {name}(".encode()
    for rel in (*corpus.tests, *corpus.sources):
        base = rel.rsplit("/", 1)[-1]
        if base.startswith("test_") or base.endswith("_test.py"):
            continue
        src = corpus.texts.get(rel)
        if src is not None and word in src.data:
            return True
    return False
