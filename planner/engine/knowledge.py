"""The versioned knowledge base of current-practice notes, loaded from TOML."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, get_args

from planner.engine.bundled import blueprints_dir
from planner.engine.compiled import load_data
from planner.errors import BlueprintError
from planner.plan import NoteCategory

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "KNOWLEDGE_FILE",
    "NOTE_CATEGORIES",
    "KnowledgeBase",
    "NoteCategory",
    "PracticeNote",
    "applies",
    "at_least",
    "load_knowledge",
    "note_from_data",
    "parse_knowledge",
]

NOTE_CATEGORIES: tuple[str, ...] = get_args(NoteCategory)
KNOWLEDGE_FILE = "blueprints/knowledge.toml"
# Standards and community practice are not released, so they carry no version.
UNVERSIONED = frozenset({"rfc", "practice"})
MAX_TEXT = 600
_MAX_ERRORS = 5

_DISPLAY_NAMES = {
    "alembic": "Alembic",
    "fastapi": "FastAPI",
    "fastapi-cli": "fastapi-cli",
    "httpx": "HTTPX",
    "pydantic": "Pydantic",
    "pydantic-settings": "pydantic-settings",
    "pyjwt": "PyJWT",
    "sqlalchemy": "SQLAlchemy",
    "sqlmodel": "SQLModel",
    "starlette": "Starlette",
}
# A deliberately small subset of PEP 440: release, optional pre/dev/post tag
# and local label. Anything else is "not comparable" rather than guessed at.
_VERSION = re.compile(
    r"v?(\d+(?:\.\d+)*)(?:[.\-_]?(a|b|rc|dev|post)(\d*))?(?:\+[0-9a-z.]+)?",
    re.IGNORECASE,
)
_PHASES = {"dev": 0, "a": 1, "b": 2, "rc": 3, "": 4, "post": 5}
_RFC = re.compile(r"\bRFC ?(\d+)")

VersionKey = tuple[tuple[int, ...], int, int]


@lru_cache(maxsize=1024)  # pure; asked for every note of every plan
def _version_key(text: str) -> VersionKey | None:
    """Return a sortable key for a version string, or None if it is not one."""
    match = _VERSION.fullmatch(text.strip())
    if match is None:
        return None
    release = [int(part) for part in match[1].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()  # 1.0.0 and 1 are the same release
    phase = (match[2] or "").lower()
    return tuple(release), _PHASES[phase], int(match[3] or 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class PracticeNote:
    """One fact about current practice, with the release it holds from.

    The bundled notes are checked by `parse_knowledge` in the tests; the
    constraints are documented in docs/knowledge.md.
    """

    id: str
    category: NoteCategory
    topics: tuple[str, ...]
    text: str
    old: str = ""
    package: str
    since: str = ""
    older: str = ""
    date: str = ""
    source: str
    confirmed: bool = True

    def since_label(self) -> str:
        """Say where the note comes from, e.g. "FastAPI 0.95.0 (2023-03-18)"."""
        if self.package == "practice":
            return "community practice"
        if self.package == "rfc":
            match = _RFC.search(self.source)
            return f"RFC {match[1]}" if match else "IETF draft"
        name = _DISPLAY_NAMES.get(self.package, self.package)
        if not self.since:
            return name
        label = f"{name} {self.since}"
        return f"{label} ({self.date})" if self.date else label


@dataclass(frozen=True, slots=True, kw_only=True)
class KnowledgeBase:
    """Every note, plus when and against which releases the facts were checked."""

    as_of: str
    checked_against: tuple[tuple[str, str], ...]
    notes: tuple[PracticeNote, ...]
    _by_id: dict[str, PracticeNote] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {note.id: note for note in self.notes})

    def get(self, note_id: str) -> PracticeNote:
        """Return the note with this id.

        Raises:
            BlueprintError: No note has that id; a rule names a missing note.
        """
        found = self._by_id.get(note_id)
        if found is not None:
            return found
        import difflib  # only for this error's hint

        close = difflib.get_close_matches(note_id, [n.id for n in self.notes], n=1)
        guess = f"did you mean {close[0]!r}? " if close else ""
        raise BlueprintError(
            f"unknown knowledge note {note_id!r}",
            hint=f"{guess}notes are defined in {KNOWLEDGE_FILE}; add it there",
        )

    def for_topic(self, topic: str) -> tuple[PracticeNote, ...]:
        """Return the notes tagged with `topic`, sorted by id."""
        return tuple(
            sorted((n for n in self.notes if topic in n.topics), key=lambda n: n.id)
        )


def applies(note: PracticeNote, installed: str | None) -> bool | None:
    """Tell whether an installed version is at least the note's `since`.

    Returns:
        True if `installed` >= `note.since`, False if older, and None when either
        is missing or not a version this small comparison understands.
    """
    if not note.since:
        return None
    return at_least(installed, note.since)


def at_least(installed: str | None, since: str) -> bool | None:
    """Tell whether an installed version is at least `since`.

    Returns:
        True if `installed` >= `since`, False if older, and None when
        `installed` is missing or either is not a version this small comparison
        understands.
    """
    if installed is None:
        return None
    have, need = _version_key(installed), _version_key(since)
    if have is None or need is None:
        return None
    return have >= need


def parse_knowledge(text: str, *, where: str = KNOWLEDGE_FILE) -> KnowledgeBase:
    """Build a knowledge base from TOML text.

    Raises:
        BlueprintError: The text is not TOML or does not describe valid notes.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise BlueprintError(
            f"not valid TOML: {err}", where=where, hint="fix the syntax at that line"
        ) from err
    from pydantic import ValidationError

    from planner.engine.knowledge_schema import KnowledgeFile

    try:
        data = KnowledgeFile.model_validate(raw)
    except ValidationError as err:
        raise BlueprintError(
            _describe(err, raw),
            where=where,
            hint="see docs/knowledge.md for the fields a note takes",
        ) from err
    return KnowledgeBase(
        as_of=data.as_of,
        checked_against=tuple(sorted(data.checked_against.items())),
        notes=tuple(
            sorted((PracticeNote(**n.model_dump()) for n in data.note), key=_id)
        ),
    )


def _id(note: PracticeNote) -> str:
    return note.id


def note_from_data(data: dict[str, Any]) -> PracticeNote:
    """Check one note's fields as a `[[note]]` table and return the note.

    Raises:
        pydantic.ValidationError: a field is missing or breaks its constraint.
    """
    from planner.engine.knowledge_schema import NoteEntry

    return PracticeNote(**NoteEntry.model_validate(data).model_dump())


@cache
def load_knowledge() -> KnowledgeBase:
    """Load the bundled knowledge base (read once per process).

    The file ships with planner and is validated by its tests
    (`parse_knowledge`), so here it is only read.

    Raises:
        BlueprintError: The file is missing, unreadable or not TOML.
    """
    source = blueprints_dir() / "knowledge.toml"
    try:
        raw = load_data("knowledge", source.read_bytes(), _parse_toml)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise BlueprintError(
            f"cannot read the knowledge base: {err}",
            where=KNOWLEDGE_FILE,
            hint="reinstall planner, or restore the file from the repository",
        ) from err
    return KnowledgeBase(
        as_of=raw["as_of"],
        checked_against=tuple(sorted(raw["checked_against"].items())),
        notes=tuple(
            sorted(
                (
                    PracticeNote(**{**note, "topics": tuple(note["topics"])})
                    for note in raw["note"]
                ),
                key=_id,
            )
        ),
    )


def _parse_toml(source: bytes) -> dict[str, Any]:
    return tomllib.loads(source.decode("utf-8"))


def _describe(err: ValidationError, raw: dict[str, Any]) -> str:
    """Render validation errors one per line, naming the note by index and id."""
    errors = err.errors(include_url=False)
    lines = [
        f"{_location(item['loc'], raw)}: {item['msg']}" for item in errors[:_MAX_ERRORS]
    ]
    if len(errors) > _MAX_ERRORS:
        lines.append(f"... and {len(errors) - _MAX_ERRORS} more")
    return "\n".join(lines)


def _location(loc: tuple[int | str, ...], raw: dict[str, Any]) -> str:
    if not loc:
        return "knowledge base"
    text = str(loc[0])
    if loc[0] == "note" and len(loc) > 1 and isinstance(loc[1], int):
        text = f"note[{loc[1]}]"
        notes = raw.get("note")
        if isinstance(notes, list) and loc[1] < len(notes):
            entry = notes[loc[1]]
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                text += f" ({entry['id']})"
        loc = loc[1:]
    return ".".join([text, *(str(part) for part in loc[1:])])
