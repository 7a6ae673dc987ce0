"""Tests for the knowledge base: the bundled data, the loader and `applies`."""

from __future__ import annotations

import tomllib
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.engine.knowledge import (
    NOTE_CATEGORIES,
    UNVERSIONED,
    KnowledgeBase,
    PracticeNote,
    applies,
    load_knowledge,
    note_from_data,
    parse_knowledge,
)
from planner.errors import BlueprintError
from tests.paths import ROOT

# Rules name these ids; removing or renaming one breaks plans.
REQUIRED_IDS = (
    "annotated-dependencies", "no-ellipsis-required", "return-type-response-model",
    "rust-serialization", "status-204-none-annotation", "http-422-name",
    "strict-content-type", "lifespan-not-on-event", "fastapi-standard-cli",
    "pydantic-v2-config", "pydantic-v2-methods", "field-validator",
    "pattern-not-regex", "partial-update-exclude-unset", "schema-split",
    "sqlalchemy-2-typed", "async-session", "async-lazy-load",
    "eager-loading-n-plus-one", "session-per-request", "integrity-error-409",
    "naming-convention-indexes", "alembic-autogenerate-review",
    "sqlalchemy-21-driver-url", "pool-settings", "sqlmodel-option", "jwt-pyjwt",
    "password-hash-pwdlib", "rehash-bcrypt", "401-www-authenticate",
    "security-scopes", "api-key-compare-digest", "timing-dummy-hash",
    "refresh-token-practice", "oidc-verify-jwks", "fastapi-users-maintenance",
    "login-rate-limit", "pagination-cap", "pagination-tie-breaker",
    "pagination-keyset", "pagination-total-optional", "pagination-opaque-cursor",
    "pagination-link-header", "testclient-lifespan", "async-client-asgi-transport",
    "pytest-asyncio-event-loop", "dependency-overrides", "db-isolation",
    "background-task-session", "cors-explicit-origins", "settings-pydantic-settings",
    "bola-ownership", "mass-assignment", "idempotency-key-draft", "etag-if-match",
    "problem-details-rfc9457", "query-param-models", "router-tree-0137",
    "yield-dependency-reraise", "python-310-union", "status-201-location",
    "oauth2-state-pkce", "secrets-not-in-code",
)  # fmt: skip
DATA_FILE = ROOT / "blueprints" / "knowledge.toml"

MINIMAL = """
as_of = "2026-11"
[checked_against]
fastapi = "0.163.0"

[[note]]
id = "first"
category = "practice"
topics = ["demo"]
text = "Do the thing."
package = "fastapi"
since = "0.95.0"
source = "FA-RN 0.95.0"
"""


def make_note(since: str = "", package: str = "fastapi", **extra: str) -> PracticeNote:
    return note_from_data(
        {
            "id": "demo-note",
            "category": "practice",
            "topics": ["demo"],
            "text": "Do the thing.",
            "package": package,
            "since": since,
            "source": "test",
            **extra,
        }
    )


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


# ---------------------------------------------------------------- the bundled data


def test_every_required_id_exists(kb: KnowledgeBase) -> None:
    ids = {note.id for note in kb.notes}
    assert sorted(set(REQUIRED_IDS) - ids) == []


def test_ids_are_unique_in_the_file() -> None:
    raw = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    counts = Counter(note["id"] for note in raw["note"])
    assert [note_id for note_id, n in counts.items() if n > 1] == []


def test_note_count_stays_in_the_intended_range(kb: KnowledgeBase) -> None:
    assert 60 <= len(kb.notes) <= 90


def test_header_fields(kb: KnowledgeBase) -> None:
    assert kb.as_of == "2026-11"
    packages = [package for package, _ in kb.checked_against]
    assert packages == sorted(packages)
    assert {"fastapi", "pydantic", "sqlalchemy", "starlette"} <= set(packages)


def test_every_note_is_complete(kb: KnowledgeBase) -> None:
    for note in kb.notes:
        assert note.text.strip(), note.id
        assert note.source.strip(), note.id
        assert note.topics, note.id
        assert note.category in NOTE_CATEGORIES, note.id


def test_notes_stay_short(kb: KnowledgeBase) -> None:
    long = [note.id for note in kb.notes if len(note.text) > 360]
    assert long == []


def test_since_is_a_version_for_real_packages(kb: KnowledgeBase) -> None:
    for note in kb.notes:
        if note.package in UNVERSIONED:
            assert (note.since, note.date) == ("", ""), note.id
        elif note.since:
            # A comparable version equals itself; None would mean unparseable.
            assert applies(note, note.since) is True, note.id


def test_unconfirmed_notes_are_marked(kb: KnowledgeBase) -> None:
    for note_id in ("integrity-error-409", "refresh-token-practice"):
        assert kb.get(note_id).confirmed is False
    assert kb.get("annotated-dependencies").confirmed is True


def test_load_is_cached() -> None:
    assert load_knowledge() is load_knowledge()


# ---------------------------------------------------------------- lookups


def test_get_returns_the_note(kb: KnowledgeBase) -> None:
    assert kb.get("lifespan-not-on-event").package == "fastapi"


def test_get_unknown_id_raises_with_hint(kb: KnowledgeBase) -> None:
    with pytest.raises(BlueprintError) as caught:
        kb.get("annotated-dependency")
    assert "annotated-dependency" in caught.value.message
    assert caught.value.hint is not None
    assert "did you mean 'annotated-dependencies'?" in caught.value.hint
    assert "blueprints/knowledge.toml" in caught.value.hint


def test_get_far_off_id_still_hints_at_the_file(kb: KnowledgeBase) -> None:
    with pytest.raises(BlueprintError) as caught:
        kb.get("zzz")
    assert caught.value.hint is not None
    assert "did you mean" not in caught.value.hint
    assert "blueprints/knowledge.toml" in caught.value.hint


def test_for_topic_is_sorted_and_filtered(kb: KnowledgeBase) -> None:
    found = kb.for_topic("pagination")
    assert [n.id for n in found] == sorted(n.id for n in found)
    assert {"pagination-cap", "pagination-keyset"} <= {n.id for n in found}
    assert all("pagination" in n.topics for n in found)
    assert kb.for_topic("no-such-topic") == ()


@pytest.mark.parametrize(
    ("extra", "label"),
    [
        ({"since": "0.95.0", "date": "2023-03-18"}, "FastAPI 0.95.0 (2023-03-18)"),
        ({"since": "2.1.0"}, "FastAPI 2.1.0"),
        ({}, "FastAPI"),
        ({"package": "rfc", "source": "RFC 9110 §15.3.2"}, "RFC 9110"),
        ({"package": "rfc", "source": "draft-ietf-httpapi-x-07"}, "IETF draft"),
        ({"package": "practice"}, "community practice"),
        ({"package": "fastapi-users", "since": "15.0.5"}, "fastapi-users 15.0.5"),
    ],
)
def test_since_label(extra: dict[str, str], label: str) -> None:
    fields = {"package": "fastapi", **extra}
    assert make_note(**fields).since_label() == label


# ---------------------------------------------------------------- note validation


@pytest.mark.parametrize(
    "extra",
    [
        {"since": "recent"},
        {"package": "rfc", "since": "1.0"},
        {"since": "1.0", "date": "2023-13-01"},
        {"date": "2023-01-01"},
        {"id": "Not Kebab"},
        {"category": "style"},
    ],
)
def test_bad_notes_are_rejected(extra: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        make_note(**extra)


# ---------------------------------------------------------------- parsing files


def test_parse_minimal_file() -> None:
    kb = parse_knowledge(MINIMAL)
    assert kb.get("first").since_label() == "FastAPI 0.95.0"
    assert kb.checked_against == (("fastapi", "0.163.0"),)


def test_malformed_toml_names_file_and_reason() -> None:
    with pytest.raises(BlueprintError) as caught:
        parse_knowledge("as_of = \n", where="k.toml")
    assert caught.value.where == "k.toml"
    assert "not valid TOML" in caught.value.message
    assert "line 1" in caught.value.message


def test_invalid_note_names_index_id_and_field() -> None:
    text = MINIMAL.replace('category = "practice"', 'category = "style"')
    with pytest.raises(BlueprintError) as caught:
        parse_knowledge(text)
    assert caught.value.where == "blueprints/knowledge.toml"
    assert caught.value.message.startswith("note[0] (first).category:")


def test_duplicate_ids_are_rejected() -> None:
    note = MINIMAL[MINIMAL.index("[[note]]") :]
    with pytest.raises(BlueprintError, match="repeated: first"):
        parse_knowledge(MINIMAL + note)


def test_unknown_top_level_key_is_rejected() -> None:
    with pytest.raises(BlueprintError, match="notes"):
        parse_knowledge('notes = "typo"\n' + MINIMAL)


def test_missing_notes_are_rejected() -> None:
    with pytest.raises(BlueprintError, match="note"):
        parse_knowledge('as_of = "2026-11"\n[checked_against]\n')


# ---------------------------------------------------------------- applies


@pytest.mark.parametrize(
    ("since", "installed", "expected"),
    [
        ("0.95.0", "0.94.9", False),
        ("0.95.0", "0.95.0", True),
        ("0.95.0", "0.95", True),
        ("0.95.0", "0.100.0", True),
        ("0.95.0", "1.0", True),
        ("2.1.0", "2.1.0b3", False),
        ("2.1.0", "2.1.0rc1", False),
        ("2.1.0", "2.1.0.post1", True),
        ("2.1.0", "2.1.0+local", True),
        ("2.1.0b3", "2.1.0b2", False),
        ("2.1.0", "v2.1.3", True),
        ("0.95.0", None, None),
        ("0.95.0", "", None),
        ("0.95.0", "latest", None),
        ("0.95.0", "0.95.*", None),
        ("", "0.95.0", None),
    ],
)
def test_applies(since: str, installed: str | None, expected: bool | None) -> None:
    assert applies(make_note(since=since), installed) is expected


def test_applies_is_unknown_for_unversioned_notes() -> None:
    assert applies(make_note(package="rfc"), "1.0") is None


releases = st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=4)


def dotted(parts: list[int]) -> str:
    return ".".join(str(p) for p in parts)


def padded(parts: list[int]) -> tuple[int, ...]:
    return tuple(parts + [0] * (4 - len(parts)))


@given(since=releases, installed=releases)
def test_applies_matches_numeric_order(since: list[int], installed: list[int]) -> None:
    expected = padded(installed) >= padded(since)
    assert applies(make_note(since=dotted(since)), dotted(installed)) is expected


@given(a=releases, b=releases)
def test_applies_is_antisymmetric(a: list[int], b: list[int]) -> None:
    forward = applies(make_note(since=dotted(a)), dotted(b))
    backward = applies(make_note(since=dotted(b)), dotted(a))
    assert forward or backward
    assert (forward and backward) == (padded(a) == padded(b))


@given(parts=releases, zeros=st.integers(min_value=0, max_value=3))
def test_trailing_zeros_do_not_matter(parts: list[int], zeros: int) -> None:
    longer = dotted(parts + [0] * zeros)
    assert applies(make_note(since=dotted(parts)), longer) is True
    assert applies(make_note(since=longer), dotted(parts)) is True
