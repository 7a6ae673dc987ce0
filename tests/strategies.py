"""Hypothesis strategies for specs of every kind: valid ones and near misses."""

from __future__ import annotations

import keyword
from typing import Any

from hypothesis import strategies as st

from planner.spec import GENERATED_NAMES

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,14}", fullmatch=True).filter(
    lambda n: (
        not keyword.iskeyword(n)
        and not keyword.issoftkeyword(n)
        and n not in GENERATED_NAMES
        and not n.endswith("_id")
    )
)
# User text with everything that could break Markdown or a template.
TEXT = st.text(
    alphabet=st.sampled_from(list("ab xyz|`*_<>{}%#\n\\[]()!&\"'é✓")), max_size=40
)
SCALAR_TYPES = ["str", "text", "int", "float", "bool", "decimal", "date",
                "datetime", "uuid", "email", "url", "json"]  # fmt: skip


@st.composite
def fields(draw: st.DrawFn, *, max_fields: int = 6) -> list[dict[str, Any]]:
    """Draw a list of field tables with distinct names."""
    names = draw(st.lists(NAMES, min_size=1, max_size=max_fields, unique=True))
    out: list[dict[str, Any]] = []
    for name in names:
        kind = draw(st.sampled_from([*SCALAR_TYPES, "enum", "ref"]))
        field: dict[str, Any] = {"name": name, "type": kind}
        field["required"] = draw(st.booleans())
        field["unique"] = (
            draw(st.booleans()) if kind in {"str", "int", "email"} else False
        )
        field["description"] = draw(TEXT)
        if kind == "str":
            field["max_length"] = draw(st.integers(1, 500))
        if kind == "enum":
            field["choices"] = draw(
                st.lists(NAMES, min_size=1, max_size=4, unique=True)
            )
        if kind == "ref":
            field["references"] = draw(NAMES)
        out.append(field)
    return out


@st.composite
def crud_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a valid crud-resource spec as plain data."""
    owned = draw(st.booleans())
    ops = draw(
        st.lists(
            st.sampled_from(["list", "read", "create", "update", "delete"]),
            min_size=1,
            unique=True,
        )
    )
    resource: dict[str, Any] = {
        "name": draw(NAMES),
        "operations": ops,
        "owned_by_user": owned,
        "update_method": draw(st.sampled_from(["patch", "put"])),
        "timestamps": draw(st.booleans()),
        "description": draw(TEXT),
        "fields": draw(fields()),
    }
    size = draw(st.integers(1, 500))
    return {
        "kind": "crud-resource",
        "resource": resource,
        "auth": {
            "required": owned or draw(st.booleans()),
            "scopes": draw(
                st.lists(st.sampled_from(["a:read", "a:write"]), unique=True)
            ),
        },
        "pagination": {
            "style": draw(st.sampled_from(["offset", "page", "cursor", "none"])),
            "max_size": size,
            "default_size": draw(st.integers(1, size)),
            "links": draw(st.sampled_from(["envelope", "link-header"])),
        },
    }


PATHS = st.lists(
    st.one_of(
        NAMES.map(lambda n: n.replace("_", "-")), NAMES.map(lambda n: f"{{{n}}}")
    ),
    min_size=1,
    max_size=4,
    unique=True,
).map(lambda parts: "/" + "/".join(parts))


@st.composite
def endpoint_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a valid endpoint spec as plain data."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]))
    spec: dict[str, Any] = {
        "kind": "endpoint",
        "method": method,
        "path": draw(PATHS),
        "summary": draw(TEXT.filter(lambda t: t.strip() != "")),
        "description": draw(TEXT),
        "auth": {"required": draw(st.booleans())},
        "etag": draw(st.booleans()),
        "errors": [{"status": draw(st.integers(400, 599)), "when": draw(TEXT) + "x"}],
    }
    if method in {"POST", "PUT", "PATCH"}:
        spec["request"] = {"fields": draw(fields(max_fields=3))}
    if method in {"POST", "PATCH"}:
        spec["idempotency_key"] = draw(st.booleans())
    if draw(st.booleans()):
        spec["rate_limit"] = "10/minute"
    return spec


@st.composite
def auth_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a valid auth spec as plain data."""
    scheme = draw(st.sampled_from(["password-jwt", "api-key", "oidc", "oauth2"]))
    spec: dict[str, Any] = {
        "kind": "auth",
        "scheme": scheme,
        "roles": draw(st.lists(NAMES, max_size=3, unique=True)),
    }
    if scheme in {"password-jwt", "oauth2"}:
        spec["refresh_tokens"] = draw(st.booleans())
        spec["registration"] = draw(st.booleans())
    if scheme == "oauth2":
        spec["provider"] = draw(st.sampled_from(["github", "google", "other"]))
    return spec


@st.composite
def pagination_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a valid pagination spec as plain data."""
    size = draw(st.integers(1, 1000))
    return {
        "kind": "pagination",
        "target": "GET " + draw(PATHS),
        "style": draw(st.sampled_from(["offset", "page", "cursor"])),
        "max_size": size,
        "default_size": draw(st.integers(1, size)),
        "sort": draw(st.lists(NAMES, max_size=2, unique=True)),
        "include_total": draw(st.booleans()),
        "links": draw(st.sampled_from(["envelope", "link-header"])),
    }


ANY_SPEC = st.one_of(crud_specs(), endpoint_specs(), auth_specs(), pagination_specs())


@st.composite
def near_misses(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a valid spec, then break it in one of the ways users do."""
    spec = draw(ANY_SPEC)
    how = draw(st.sampled_from(["unknown_key", "wrong_type", "drop_key", "bad_kind"]))
    if how == "unknown_key":
        spec[draw(NAMES) + "x"] = 1
    elif how == "wrong_type":
        key = draw(st.sampled_from(sorted(spec)))
        spec[key] = draw(st.one_of(st.integers(), st.lists(st.integers(), max_size=2)))
    elif how == "drop_key":
        del spec[draw(st.sampled_from(sorted(spec)))]
    else:
        spec["kind"] = draw(TEXT)
    broken: dict[str, Any] = spec
    return broken
