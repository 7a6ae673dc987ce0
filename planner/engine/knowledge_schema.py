"""The shape of `blueprints/knowledge.toml`, as pydantic models that check it.

The tests validate the bundled file with these models; plans only read it.
"""

from collections import Counter
from datetime import date as _date
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from planner.engine.knowledge import MAX_TEXT, UNVERSIONED, NoteCategory, _version_key

__all__ = ["KnowledgeFile", "NoteEntry"]


def _check_date(value: str) -> str:
    if value:
        try:
            _date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not an ISO date; write YYYY-MM-DD or leave it empty"
            ) from None
    return value


NoteId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64),
]
Topic = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=32)
]
Sentence = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoteEntry(_Model):
    """One `[[note]]` table: the fields of a `PracticeNote`, with their rules."""

    id: NoteId
    category: NoteCategory
    topics: Annotated[tuple[Topic, ...], Field(min_length=1)]
    text: Sentence
    old: Annotated[str, StringConstraints(strip_whitespace=True)] = ""
    package: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-_.]*$")]
    since: str = ""
    # What to do on a release before `since`, when the advice differs there.
    older: Annotated[str, StringConstraints(strip_whitespace=True)] = ""
    date: Annotated[str, AfterValidator(_check_date)] = ""
    source: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
    ]
    confirmed: bool = True

    @model_validator(mode="after")
    def _versioned(self) -> Self:
        if self.package in UNVERSIONED:
            if self.since or self.date:
                raise ValueError(
                    f"package {self.package!r} has no releases; "
                    "leave since and date empty"
                )
        elif self.since and _version_key(self.since) is None:
            raise ValueError(
                f"since {self.since!r} is not a version; "
                "write it like '0.95.0' or leave it empty"
            )
        if self.date and not self.since:
            raise ValueError("date is given but since is empty; add since")
        return self


class KnowledgeFile(_Model):
    """The whole file; `note` is the `[[note]]` array of tables."""

    as_of: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}(-\d{2})?$")]
    checked_against: dict[str, str]
    note: Annotated[tuple[NoteEntry, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        counts = Counter(note.id for note in self.note)
        twice = sorted(note_id for note_id, n in counts.items() if n > 1)
        if twice:
            raise ValueError(f"note ids must be unique; repeated: {', '.join(twice)}")
        return self
