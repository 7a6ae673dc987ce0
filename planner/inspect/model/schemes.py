"""FastAPI's security classes (and fastapi-users' transports): what each reads."""

from __future__ import annotations

import ast

from . import depcode

BEARER = frozenset(
    {"OAuth2PasswordBearer", "OAuth2AuthorizationCodeBearer", "HTTPBearer"}
    | {"OAuth2", "OpenIdConnect", "BearerTransport"}
)
BASIC = frozenset({"HTTPBasic", "HTTPDigest"})
# Their own `__call__` answers a missing token with 401 and `WWW-Authenticate:
# Bearer` in every FastAPI version; the `OAuth2` base class they extend did not.
OAUTH2 = frozenset({"OAuth2PasswordBearer", "OAuth2AuthorizationCodeBearer"})
# Where a scheme object carries its credential: `APIKeyHeader(name=...)`.
KEYED = {"APIKeyHeader": "header", "APIKeyQuery": "query", "APIKeyCookie": "cookie"}
# FastAPI's classes that refused a missing credential with 403 before 0.122.0
# (the OAuth2 bearer classes and HTTPBasic always answered 401).
BUILTIN = frozenset(
    {"HTTPBase", "HTTPBearer", "HTTPDigest", "OpenIdConnect", "OAuth2"}
    | {"APIKeyHeader", "APIKeyQuery", "APIKeyCookie"}
)
KINDS = BEARER | BASIC | BUILTIN | KEYED.keys() | {"CookieTransport"}


def reading(kind: str, call: ast.Call) -> tuple[str, bool, bool] | None:
    """What a scheme object ``kind(...)`` reads, and how it refuses; None if no scheme.

    ``(read, automatic, oauth2)``: the credential (``bearer``,
    ``header:X-Key``), whether it refuses a missing one itself (403 before
    FastAPI 0.122.0), and whether it is an OAuth2 bearer class (401 always).
    """
    automatic = kind in BUILTIN and not depcode.is_false(call, "auto_error")
    oauth2 = kind in OAUTH2 and not depcode.is_false(call, "auto_error")
    if kind in BEARER:
        read = "bearer"
    elif kind in BASIC:
        read = "basic"
    elif kind in KEYED:
        read = f"{KEYED[kind]}:{depcode.keyword_text(call, 'name')}"
    elif kind == "CookieTransport":
        # fastapi-users names the cookie `fastapiusersauth` unless told.
        cookie = depcode.keyword_text(call, "cookie_name") or "fastapiusersauth"
        read = f"cookie:{cookie}"
    else:
        return None
    return read, automatic, oauth2
