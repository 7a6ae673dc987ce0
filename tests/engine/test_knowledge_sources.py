"""Corrections to blueprints/knowledge.toml checked against primary sources.

Each test pins a fact that a review against release notes, changelogs, source
code or an RFC found stated wrongly before, so the old text fails it. The file
is read with `tomllib` directly; nothing is imported from `planner`.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from tests.paths import ROOT

DATA_FILE = ROOT / "blueprints" / "knowledge.toml"


def load_notes() -> dict[str, dict[str, Any]]:
    raw = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {str(note["id"]): note for note in raw["note"]}


NOTES = load_notes()


def field(note_id: str, name: str) -> str:
    value = NOTES[note_id].get(name, "")
    assert isinstance(value, str), (note_id, name)
    return value


def release(version: str) -> tuple[int, ...]:
    """Return the numeric release of a plain version such as "0.89.0"."""
    assert re.fullmatch(r"\d+(\.\d+)*", version), version
    return tuple(int(part) for part in version.split("."))


def clauses(text: str) -> list[str]:
    """Split a note's text into sentences and `;`-separated clauses."""
    return [part for part in re.split(r"(?<=[.;:])\s+", text) if part.strip()]


# ---------------------------------------------------------------- every note


@pytest.mark.parametrize("note_id", sorted(NOTES))
def test_every_note_has_a_source(note_id: str) -> None:
    assert field(note_id, "source").strip(), note_id


# ---------------------------------------------------------------- FastAPI


def test_204_none_annotation_holds_from_0_89_0() -> None:
    # 0.79.0 empties 204 bodies, 0.89.0 reads `-> None`, 0.117.0 only fixed
    # the string "None" under `from __future__ import annotations`.
    assert field("status-204-none-annotation", "since") == "0.89.0"
    text = field("status-204-none-annotation", "text")
    assert "0.79.0" in text
    assert "from __future__ import annotations" in text
    assert "0.117.0" in text
    source = field("status-204-none-annotation", "source")
    assert {"0.79.0", "0.89.0", "0.117.0"} <= set(re.findall(r"\d+\.\d+\.\d+", source))


def test_dependency_caching_dates_from_0_28_0() -> None:
    assert field("dependency-caching", "since") == "0.28.0"
    assert field("dependency-caching", "date") == "2019-06-05"
    text = field("dependency-caching", "text")
    assert "use_cache=False" in text
    assert "0.122.1" in text
    assert "0.123.0" in text
    assert "FA-RN 0.28.0" in field("dependency-caching", "source")


def test_security_scopes_answer_403_insufficient_scope() -> None:
    text = field("security-scopes", "text")
    assert "403" in text
    assert "insufficient_scope" in text
    assert "RFC 6750 §3.1" in field("security-scopes", "source")


def test_security_scopes_names_the_real_fixes() -> None:
    # 0.123.8/0.123.9 fixed OpenAPI scope declarations, not propagation.
    source = field("security-scopes", "source")
    assert "0.122.1 (scope propagation)" in source
    assert "OpenAPI scopes" in source


# ---------------------------------------------------------------- Starlette


def test_http_422_name_mentions_starlette_warning_class() -> None:
    assert field("http-422-name", "since") == "0.48.0"
    text = field("http-422-name", "text")
    assert "StarletteDeprecationWarning" in text
    assert "1.3.1" in text
    assert "UserWarning" in text
    assert "starlette/pull/3119" in field("http-422-name", "source")


# ---------------------------------------------------------------- httpx


def test_asgi_transport_is_older_than_httpx_0_28() -> None:
    since = field("async-client-asgi-transport", "since")
    assert since == "0.13.0"
    assert release(since) < release("0.28.0")
    assert "ASGITransport(app=app)" in field("async-client-asgi-transport", "text")
    assert "CHANGELOG.md" in field("async-client-asgi-transport", "source")


# ---------------------------------------------------------------- auth


def test_jwt_note_drops_the_unreleased_claim() -> None:
    old = field("jwt-pyjwt", "old")
    assert "unreleased" not in old
    assert "3.4.0" in old
    assert "3.5.0" in old
    assert "CVE-2024-33663" in old
    assert "0.111.1" in old
    assert field("jwt-pyjwt", "package") == "pyjwt"
    assert "python-jose" in field("jwt-pyjwt", "source")


def test_passlib_break_is_bcrypt_5_not_python_3_13() -> None:
    text = field("password-hash-pwdlib", "text")
    assert "3.13" not in text
    assert "bcrypt 5" in text
    assert "self-test" in text
    assert "pwdlib" in text
    assert "pyca/bcrypt" in field("password-hash-pwdlib", "source")


def test_login_rate_limit_needs_headers_enabled() -> None:
    text = field("login-rate-limit", "text")
    assert "headers_enabled=True" in text
    assert "Retry-After" in text
    assert "request: Request" in text
    assert "slowapi/extension.py" in field("login-rate-limit", "source")


# ---------------------------------------------------------------- models


SQLMODEL_ONLY = ("update=", "sqlmodel_update", "model_validate(")


@pytest.mark.parametrize("note_id", ["mass-assignment", "partial-update-exclude-unset"])
def test_sqlmodel_only_idioms_are_labelled(note_id: str) -> None:
    for clause in clauses(field(note_id, "text")):
        if any(idiom in clause for idiom in SQLMODEL_ONLY):
            assert "SQLModel" in clause, (note_id, clause)


def test_mass_assignment_gives_the_sqlalchemy_idiom() -> None:
    text = field("mass-assignment", "text")
    assert "update=" not in text
    assert "model_validate" not in text
    assert "model_dump(exclude_unset=True)" in text
    assert "setattr(obj, k, v)" in text
    assert "sqlmodel_update" in text


def test_sqlmodel_option_matches_its_source() -> None:
    # The cited SKILL.md builds objects with `model_validate(obj)` (no
    # `update=`) and rules out `Mapped`, `relationship()` and `sessionmaker()`.
    text = field("sqlmodel-option", "text")
    assert "update=" not in text
    assert "sqlmodel_update" in text
    banned = ("declarative_base()", "Mapped[", "mapped_column()", "relationship()")
    for idiom in (*banned, "sessionmaker()"):
        assert idiom in text, idiom
    assert "Async-first" not in text
    assert field("sqlmodel-option", "since") == "0.0.16"
    assert "SKILL.md" in field("sqlmodel-option", "source")


# ---------------------------------------------------------------- further review


def test_python_310_syntax_holds_before_fastapi_0_129() -> None:
    # FastAPI documents and tests `X | None` since 0.71.0; 0.129.0 only
    # dropped Python 3.9, so older FastAPI versions need no upgrade for it.
    since = field("python-310-union", "since")
    assert since == "0.71.0"
    assert release(since) < release("0.129.0")
    assert "0.129.0" in field("python-310-union", "text")


def test_yield_exit_timing_names_the_0_118_0_revert() -> None:
    text = field("yield-dependency-reraise", "text")
    assert "0.106.0" in text
    assert "0.118.0" in text
    assert field("yield-dependency-reraise", "since") == "0.110.0"


# ---------------------------------------------------------------- examples

# Notes are quoted into plans for any resource, so an example naming one
# (`Item.owner_id`, `-> ItemPublic`, `Hero.model_validate`) reads as a mistake
# inside an invoice plan: notes use neutral names (`Model`, `obj`, `data`).
EXAMPLE_NAMES = re.compile(
    r"(?<![.\w])(Item|Hero|Order|Invoice|Product|Todo)s?(Public|Create|Update)?\b"
    r"|(?<![.\w])(db_)?(item|hero)(_in|_create)?\b"
)


@pytest.mark.parametrize("note_id", sorted(NOTES))
def test_no_note_example_names_a_resource(note_id: str) -> None:
    for name in ("text", "old"):
        for span in re.findall(r"`([^`\n]+)`", field(note_id, name)):
            assert not EXAMPLE_NAMES.search(span), (note_id, span)
