"""Question sets as data: load questions/*.toml, decide what to ask, never prompt."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from planner.engine.bundled import questions_dir
from planner.errors import QuestionsError
from planner.kinds import KINDS
from planner.spec import SpecKind

__all__ = [
    "AllOf",
    "AnyOf",
    "Choice",
    "Condition",
    "Match",
    "Question",
    "QuestionGroup",
    "QuestionSet",
    "condition_holds",
    "condition_keys",
    "load_question_set",
    "parse_question_set",
]

QuestionType = Literal["text", "integer", "list", "confirm", "select", "checkbox"]
Scalar = str | int | bool
Key = Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")]
_TEXTUAL = frozenset({"text", "list"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _same(left: Any, right: Any) -> bool:
    # 1 == True in Python; an answer of one type never matches another.
    return type(left) is type(right) and bool(left == right)


class Match(_Model):
    """A test of one earlier answer; exactly one operator is set."""

    key: Key
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    not_in: tuple[Scalar, ...] | None = None
    contains: Scalar | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Self:
        ops = (self.equals, self.not_equals, self.in_, self.not_in, self.contains)
        if sum(op is not None for op in ops) != 1:
            raise ValueError(
                "a condition needs exactly one of equals, not_equals, in, not_in, "
                "contains"
            )
        return self

    def holds(self, value: Any) -> bool:
        """Return whether the answer `value` passes this test."""
        if self.equals is not None:
            return _same(value, self.equals)
        if self.not_equals is not None:
            return not _same(value, self.not_equals)
        if self.in_ is not None:
            return any(_same(value, option) for option in self.in_)
        if self.not_in is not None:
            return not any(_same(value, option) for option in self.not_in)
        items = value if isinstance(value, tuple | list) else ()
        return any(_same(item, self.contains) for item in items)


class AllOf(_Model):
    """Holds when every condition holds."""

    all: Annotated[tuple[Condition, ...], Field(min_length=1)]


class AnyOf(_Model):
    """Holds when at least one condition holds."""

    any: Annotated[tuple[Condition, ...], Field(min_length=1)]


def _condition_tag(value: Any) -> str:
    # Picks the model from the keys present, so errors name one model, not three.
    if isinstance(value, Mapping):
        return "all-of" if "all" in value else "any-of" if "any" in value else "test"
    if isinstance(value, AllOf | AnyOf):
        return "all-of" if isinstance(value, AllOf) else "any-of"
    return "test"


Condition = Annotated[
    Annotated[Match, Tag("test")]
    | Annotated[AllOf, Tag("all-of")]
    | Annotated[AnyOf, Tag("any-of")],
    Discriminator(_condition_tag),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()


def condition_keys(condition: Condition | None) -> list[str]:
    """Return every answer key a condition reads."""
    if condition is None:
        return []
    if isinstance(condition, Match):
        return [condition.key]
    parts = condition.all if isinstance(condition, AllOf) else condition.any
    return [key for part in parts for key in condition_keys(part)]


def condition_holds(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Return whether a `when` holds; a test of an unasked question is false."""
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return all(condition_holds(part, answers) for part in condition.all)
    if isinstance(condition, AnyOf):
        return any(condition_holds(part, answers) for part in condition.any)
    return condition.key in answers and condition.holds(answers[condition.key])


class Choice(_Model):
    """One option of a select or checkbox question."""

    value: str
    title: str | None = None
    # Offer this choice only when the condition holds (e.g. by HTTP method).
    when: Condition | None = None

    @property
    def label(self) -> str:
        """What the user sees."""
        return self.title or self.value


class Question(_Model):
    """One question; its answer lands at `key`, a dotted spec path."""

    key: Key
    type: QuestionType
    prompt: Annotated[str, Field(min_length=1)]
    help: str = ""
    choices: tuple[Choice, ...] = ()
    default: Scalar | tuple[str, ...] | None = None
    required: bool = False
    max_chars: Annotated[int, Field(ge=1)] | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    identifier: bool = False
    reserved: tuple[str, ...] = ()
    reserved_message: str | None = None
    min: int | None = None
    max: int | None = None
    unique: bool = False
    when: Condition | None = None
    # A text answer typed as the field type an earlier answer of the same group
    # names (`5` for an int field, `true` for a bool one): a field's default.
    typed_by: Key | None = None
    # False: the answer only steers which questions follow; the spec has no key.
    spec: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_choices(self)
        if self.typed_by is not None and self.type != "text":
            raise ValueError("typed_by applies to text questions")
        _check_default(self)
        textual = self.type in _TEXTUAL
        if (self.pattern is None) != (self.pattern_message is None):
            raise ValueError("pattern and pattern_message go together")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as err:
                raise ValueError(f"pattern does not compile: {err}") from err
        if bool(self.reserved) != (self.reserved_message is not None):
            raise ValueError("reserved and reserved_message go together")
        limits = (self.pattern, self.max_chars, self.reserved or None)
        if not textual and (self.identifier or any(v is not None for v in limits)):
            raise ValueError("pattern, max_chars, identifier, reserved need text/list")
        if self.type != "integer" and (self.min is not None or self.max is not None):
            raise ValueError("min and max apply to integer questions")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min exceeds max")
        return self

    @property
    def values(self) -> tuple[str, ...]:
        """The choices' values."""
        return tuple(choice.value for choice in self.choices)


def _check_choices(question: Question) -> None:
    if question.type in {"select", "checkbox"}:
        if not question.choices:
            raise ValueError(f"a {question.type} question needs choices")
        if len(set(question.values)) != len(question.values):
            raise ValueError("choices repeat a value")
    elif question.choices:
        raise ValueError("choices apply to select and checkbox questions")


def _check_default(question: Question) -> None:
    default, kind = question.default, question.type
    if default is None:
        if kind == "select":
            raise ValueError("a select question needs a default among its choices")
        return
    expected: dict[str, type] = {
        "text": str, "integer": int, "list": tuple, "confirm": bool,
        "select": str, "checkbox": tuple,
    }  # fmt: skip
    if type(default) is not expected[kind]:
        raise ValueError(f"default {default!r} does not fit a {kind} question")
    chosen = default if isinstance(default, tuple) else (default,)
    if kind in {"select", "checkbox"} and not set(chosen) <= set(question.values):
        raise ValueError(f"default {default!r} is not among the choices")


class QuestionGroup(_Model):
    """A repeating group ("add another?"); each item is a dict of its questions."""

    key: Key
    type: Literal["group"]
    label: Annotated[str, Field(min_length=1)]
    more: Annotated[str, Field(min_length=1)]
    start: str | None = None
    help: str = ""
    min_items: Annotated[int, Field(ge=0)] = 0
    max_items: Annotated[int, Field(ge=1)] = 200
    items: Annotated[tuple[Question, ...], Field(min_length=1)]
    when: Condition | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.min_items == 0 and self.start is None:
            raise ValueError(
                "a group with min_items = 0 needs `start`, a yes/no prompt"
            )
        if self.min_items > self.max_items:
            raise ValueError("min_items exceeds max_items")
        _check_order(self.items, scope="group items")
        earlier: set[str] = set()
        for item in self.items:
            if item.typed_by is not None and item.typed_by not in earlier:
                raise ValueError(
                    f"{item.key}: typed_by names {item.typed_by!r}, which is not "
                    "an earlier question of these group items"
                )
            earlier.add(item.key)
        return self


Entry = Annotated[Question | QuestionGroup, Field(discriminator="type")]


class QuestionSet(_Model):
    """The questions of one spec kind, in the order they are asked."""

    kind: SpecKind
    title: str
    questions: Annotated[tuple[Entry, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_order(self.questions, scope="questions")
        for entry in self.questions:
            if isinstance(entry, Question) and entry.unique:
                raise ValueError(f"{entry.key}: unique applies inside groups only")
        return self


def _check_order(entries: Sequence[Question | QuestionGroup], *, scope: str) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        for key in condition_keys(entry.when):
            if seen.get(key, "group") == "group":
                raise ValueError(
                    f"{entry.key}: `when` reads {key!r}, which is not an earlier "
                    f"question of these {scope}"
                )
        for key in seen:
            if (
                key == entry.key
                or entry.key.startswith(f"{key}.")
                or key.startswith(f"{entry.key}.")
            ):
                raise ValueError(f"{entry.key}: clashes with the key {key!r}")
        seen[entry.key] = entry.type


def parse_question_set(text: str, *, source: str) -> QuestionSet:
    """Parse and check question-set TOML; errors name the file and key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise QuestionsError(f"not valid TOML: {err}", where=source) from err
    try:
        return QuestionSet.model_validate(data)
    except ValidationError as err:
        lines = [
            f"{_loc(error['loc'])}: {str(error['msg']).removeprefix('Value error, ')}"
            for error in err.errors(include_url=False)[:5]
        ]
        raise QuestionsError(
            "\n".join(lines), where=source, hint="see the comments atop the file"
        ) from err


# Union tags pydantic puts in error locations; they are not keys of the file.
_TAGS = frozenset({*get_args(QuestionType), "group", "test", "all-of", "any-of"})


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _TAGS and not part.startswith("function-"):
            out += f".{part}" if out else part
    return out


def load_question_set(kind: str) -> QuestionSet:
    """Load the bundled question set of a spec kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown spec kind {kind!r}; one of {', '.join(KINDS)}")
    where = f"questions/{kind}.toml"
    try:
        text = (questions_dir() / f"{kind}.toml").read_text(encoding="utf-8")
    except OSError as err:
        raise QuestionsError(
            "cannot read the question set", where=where, hint="reinstall planner"
        ) from err
    question_set = parse_question_set(text, source=where)
    if question_set.kind != kind:
        raise QuestionsError(
            f"kind is {question_set.kind!r}, not {kind!r}", where=where
        )
    return question_set
