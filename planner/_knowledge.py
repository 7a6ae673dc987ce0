"""The versioned knowledge base of current-practice notes, loaded from TOML."""

from __future__ import annotations

import hashlib
import importlib
import re
import tomllib
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Literal, get_args

from planner._record import Record
from planner._resources import blueprints_dir
from planner.errors import BlueprintError

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "KNOWLEDGE_FILE",
    "NOTE_CATEGORIES",
    "KnowledgeBase",
    "NoteCategory",
    "PracticeNote",
    "applies",
    "load_knowledge",
    "note_from_data",
    "parse_knowledge",
]

NoteCategory = Literal[
    "practice", "security", "performance", "testing", "compatibility"
]
NOTE_CATEGORIES: tuple[str, ...] = get_args(NoteCategory)
KNOWLEDGE_FILE = "blueprints/knowledge.toml"
DATA_MODULE = "planner._knowledge_data"
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


class PracticeNote(Record):
    """One fact about current practice, with the release it holds from.

    Checked when read from TOML (planner/_knowledge_file.py), so a note is
    always valid: the constraints are documented in docs/knowledge.md.
    """

    id: str
    category: NoteCategory
    topics: tuple[str, ...]
    text: str
    old: str = ""
    package: str
    since: str = ""
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


class KnowledgeBase(Record):
    """Every note, plus when and against which releases the facts were checked."""

    as_of: str
    checked_against: tuple[tuple[str, str], ...]
    notes: tuple[PracticeNote, ...]

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

    @cached_property
    def _by_id(self) -> dict[str, PracticeNote]:
        # Rules look notes up about 25 times a plan; not a field, so it is
        # neither dumped nor compared.
        return {note.id: note for note in self.notes}

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
    if installed is None or not note.since:
        return None
    have, need = _version_key(installed), _version_key(note.since)
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
    # Imported here: only a knowledge file that changed is validated (pydantic).
    from pydantic import ValidationError

    from planner._knowledge_file import KnowledgeFile

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
    from planner._knowledge_file import NoteEntry

    return PracticeNote(**NoteEntry.model_validate(data).model_dump())


@cache
def load_knowledge() -> KnowledgeBase:
    """Load the bundled knowledge base (read once per process).

    Raises:
        BlueprintError: The file is missing, unreadable or malformed.
    """
    source = blueprints_dir() / "knowledge.toml"
    try:
        raw = source.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise BlueprintError(
            f"cannot read the knowledge base: {err}",
            where=KNOWLEDGE_FILE,
            hint="reinstall planner, or restore the file from the repository",
        ) from err
    return _checked(hashlib.sha256(raw).hexdigest()) or parse_knowledge(text)


def _checked(sha256: str) -> KnowledgeBase | None:
    """Return the notes tools/gen_docs.py validated, if they are these bytes'.

    Parsing and validating the 41 KB file takes about 7 ms of every plan;
    planner/_knowledge_data.py holds the validated notes and the SHA-256 of
    the file they came from, and is used only when that matches.
    """
    try:
        module = importlib.import_module(DATA_MODULE)
    except ImportError:
        return None
    if getattr(module, "KNOWLEDGE_SHA256", None) != sha256:
        return None
    data: dict[str, Any] = module.KNOWLEDGE
    # Validated when generated, from these very bytes: constructed, not validated.
    return KnowledgeBase(
        as_of=data["as_of"],
        checked_against=data["checked_against"],
        notes=tuple(PracticeNote(**note) for note in data["notes"]),
    )


def checked_source() -> str:
    """Return the text of planner/_knowledge_data.py (tools/gen_docs.py writes it)."""
    import pprint  # only tools/gen_docs.py calls this

    raw = (blueprints_dir() / "knowledge.toml").read_bytes()
    knowledge = parse_knowledge(raw.decode("utf-8"))
    # The fields as Python values (tuples stay tuples), in declaration order.
    data = {
        "as_of": knowledge.as_of,
        "checked_against": knowledge.checked_against,
        "notes": tuple(
            {name: getattr(note, name) for name in note.field_types()}
            for note in knowledge.notes
        ),
    }
    return (
        f'"""The validated notes of {KNOWLEDGE_FILE}; see planner._knowledge."""\n\n'
        "# Generated by `python tools/gen_docs.py`; do not edit.\n"
        f"KNOWLEDGE_SHA256 = {hashlib.sha256(raw).hexdigest()!r}\n"
        f"KNOWLEDGE = {pprint.pformat(data, width=88, sort_dicts=False)}\n"
    )


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
