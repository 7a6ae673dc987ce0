"""Answers to a question set: check, parse, collect them, and build the spec."""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from planner.errors import QuestionnaireInterrupted
from planner.interactive.questions import (
    Question,
    QuestionGroup,
    QuestionSet,
    condition_holds,
)
from planner.spec import AnySpec
from planner.specfile import validate_spec

__all__ = [
    "Answers",
    "Check",
    "Prompter",
    "Validator",
    "build_spec",
    "build_spec_data",
    "change_answer",
    "check_answer",
    "collect_answers",
    "default_for",
    "default_text",
    "parse_answer",
    "remove_item",
    "split_list",
    "typed_value",
]

# Flat answers: a question's key -> its parsed answer; a group's key -> item dicts.
Answers = dict[str, Any]
Validator = Callable[[Any], "str | None"]
Prompter = Callable[[Question, Any, Validator], Any]
"""Asks one question: (question, default, validate) -> a raw answer that validates."""
Check = Callable[[Question, Any], "str | None"]
"""A check beyond the question's own, with what the caller knows (the project)."""


def _no_check(question: Question, raw: Any) -> str | None:
    del question, raw
    return None


_EMPTY: dict[str, Any] = {
    "text": "", "integer": None, "list": (), "confirm": False, "checkbox": (),
}  # fmt: skip


def split_list(text: str) -> tuple[str, ...]:
    """Split a comma-separated answer into its non-empty, stripped items."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _check_item(question: Question, item: str) -> str | None:
    if question.max_chars is not None and len(item) > question.max_chars:
        return f"{item[:20]!r}... is longer than {question.max_chars} characters"
    if question.pattern and not _compiled(question.pattern).fullmatch(item):
        return f"{item!r}: {question.pattern_message}"
    if question.identifier and (keyword.iskeyword(item) or keyword.issoftkeyword(item)):
        return f"{item!r} is a Python keyword; choose another name"
    if item in question.reserved:
        return f"{item!r}: {question.reserved_message}"
    return None


def _check_integer(question: Question, text: str) -> str | None:
    try:
        number = int(text)
    except ValueError:
        return f"{text!r} is not a whole number"
    if question.min is not None and number < question.min:
        return f"{number} is below the minimum, {question.min}"
    if question.max is not None and number > question.max:
        return f"{number} is above the maximum, {question.max}"
    return None


def _check_choice(question: Question, raw: Any) -> str | None:
    chosen = list(raw) if isinstance(raw, list | tuple) else [raw]
    unknown = [value for value in chosen if value not in question.values]
    if unknown:
        return f"{unknown[0]!r} is not a choice; one of {', '.join(question.values)}"
    if question.required and not chosen:
        return "choose at least one (space toggles, enter confirms)"
    return None


def check_answer(
    question: Question, raw: Any, *, taken: frozenset[str] = frozenset()
) -> str | None:
    """Return why a raw answer is not acceptable, or None when it is."""
    if question.type == "confirm":
        return None if isinstance(raw, bool) else "answer yes or no"
    if question.type in {"select", "checkbox"}:
        return _check_choice(question, raw)
    text = str(raw).strip()
    if not text:
        return "an answer is required" if question.required else None
    if question.type == "integer":
        return _check_integer(question, text)
    items = split_list(text) if question.type == "list" else (text,)
    for item in items:
        problem = _check_item(question, item)
        if problem:
            return problem
    if len(set(items)) != len(items):
        return "an item is listed twice"
    if question.unique and text in taken:
        return f"{text!r} is used already; each must be different"
    return None


def parse_answer(question: Question, raw: Any) -> Any:
    """Turn a checked raw answer into the value stored for its key."""
    if question.type == "confirm":
        return bool(raw)
    if question.type == "checkbox":
        return tuple(str(value) for value in raw)
    if question.type == "select":
        return str(raw)
    text = str(raw).strip()
    if question.type == "integer":
        return int(text) if text else None
    return split_list(text) if question.type == "list" else text


_TRUE, _FALSE = frozenset({"true", "yes", "y"}), frozenset({"false", "no", "n"})


def typed_value(text: str, field_type: Any) -> str | int | float | bool:
    """Return a text answer as a value of the field type it is for.

    Raises:
        ValueError: The text is no value of that type.
    """
    if field_type == "int":
        return int(text)
    if field_type == "float":
        number = float(text)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(text)
        return number
    if field_type == "decimal":
        try:
            exact = Decimal(text)
        except InvalidOperation as err:
            raise ValueError(text) from err
        if not exact.is_finite():
            raise ValueError(text)
        return text  # kept as written: "0.50" keeps its places
    if field_type == "bool":
        word = text.lower()
        if word not in _TRUE | _FALSE:
            raise ValueError(text)
        return word in _TRUE
    return text


def _check_typed(question: Question, raw: Any, field_type: Any) -> str | None:
    text = str(raw).strip()
    if question.typed_by is None or not text:
        return None
    try:
        typed_value(text, field_type)
    except ValueError:
        words = {
            "int": "a whole number",
            "float": "a number",
            "decimal": "a number",
            "bool": "true or false",
        }
        return f"{text!r} is not {words.get(str(field_type), 'a value')}"
    return None


def default_for(question: Question, previous: Any = None) -> Any:
    """Return the answer offered first: the previous one, else the default."""
    if previous is not None:
        return previous
    if question.default is not None:
        return question.default
    return _EMPTY.get(question.type, question.values[:1] or "")


def default_text(question: Question, value: Any) -> str:
    """Show a text, integer or list default as the text a user would type."""
    if value is None:
        return ""
    if question.type == "list":
        return ", ".join(str(item) for item in value)
    return str(value)


def _ask_one(
    question: Question,
    prompt: Prompter,
    previous: Any,
    taken: frozenset[str],
    check: Check = _no_check,
) -> Any:
    def validate(raw: Any) -> str | None:
        return check_answer(question, raw, taken=taken) or check(question, raw)

    raw = prompt(question, default_for(question, previous), validate)
    problem = validate(raw)
    if problem:
        raise ValueError(f"the prompter returned an invalid answer to {question.key}")
    return parse_answer(question, raw)


def _wants_item(
    group: QuestionGroup, prompt: Prompter, count: int, previous: int
) -> bool:
    if count < group.min_items:
        return True
    more = Question(
        key=f"{group.key}.more",
        type="confirm",
        prompt=group.more if count else (group.start or group.more),
        help=group.help if not count else "",
    )
    return bool(_ask_one(more, prompt, previous > count, frozenset()))


def _collect_group(
    group: QuestionGroup,
    prompt: Prompter,
    items: list[dict[str, Any]],
    previous: Sequence[Mapping[str, Any]],
) -> None:
    while len(items) < group.max_items and _wants_item(
        group, prompt, len(items), len(previous)
    ):
        before = previous[len(items)] if len(previous) > len(items) else {}
        item: dict[str, Any] = {}
        items.append(item)
        _fill_item(group, prompt, item, before, len(items), items[:-1])


def _fill_item(
    group: QuestionGroup,
    prompt: Prompter,
    item: dict[str, Any],
    before: Mapping[str, Any],
    number: int,
    others: Sequence[Mapping[str, Any]],
) -> None:
    """Ask the questions of one item of a group that apply, in order."""
    for question in group.items:
        if not condition_holds(question.when, item):
            continue
        taken = frozenset(str(other.get(question.key)) for other in others)
        # The prompter sees the full key and a numbered prompt ("Field 2 type:").
        shown = question.model_copy(
            update={
                "key": f"{group.key}.{question.key}",
                "prompt": f"{group.label} {number} {question.prompt}",
            }
        )
        field_type = item.get(question.typed_by or "")

        def typed(asked: Question, raw: Any, kind: Any = field_type) -> str | None:
            return _check_typed(asked, raw, kind)

        answer = _ask_one(shown, prompt, before.get(question.key), taken, typed)
        if question.typed_by is not None and answer != "":
            answer = typed_value(answer, field_type)
        item[question.key] = answer


def narrow_choices(question: Question, answers: Mapping[str, Any]) -> Question:
    """Keep the choices whose `when` holds; the default falls back to the first."""
    if not any(choice.when for choice in question.choices):
        return question
    kept = tuple(c for c in question.choices if condition_holds(c.when, answers))
    values = [c.value for c in kept]
    default = question.default if question.default in values else values[0]
    return question.model_copy(update={"choices": kept, "default": default})


def collect_answers(
    question_set: QuestionSet,
    prompt: Prompter,
    *,
    previous: Mapping[str, Any] | None = None,
    check: Check = _no_check,
) -> Answers:
    """Ask every question that applies, in order, through `prompt`.

    Args:
        question_set: The questions.
        prompt: Asks one question; the terminal's, or a script in tests.
        previous: Earlier answers, offered as defaults when asking again.
        check: A further check of top-level answers (a plan name's clash).

    Raises:
        QuestionnaireInterrupted: `prompt` raised KeyboardInterrupt or EOFError;
            it carries the answers given so far.
    """
    before = previous or {}
    answers: Answers = {}
    try:
        for entry in question_set.questions:
            if not condition_holds(entry.when, answers):
                continue
            if isinstance(entry, QuestionGroup):
                items: list[dict[str, Any]] = []
                answers[entry.key] = items
                _collect_group(entry, prompt, items, before.get(entry.key) or ())
            else:
                answers[entry.key] = _ask_one(
                    narrow_choices(entry, answers),
                    prompt,
                    before.get(entry.key),
                    frozenset(),
                    check,
                )
    except (KeyboardInterrupt, EOFError) as err:
        raise QuestionnaireInterrupted(answers=answers) from err
    return answers


def _ask_item(
    group: QuestionGroup,
    prompt: Prompter,
    items: list[dict[str, Any]],
    index: int,
) -> None:
    """Ask one item of a group again, its answers offered as defaults."""
    before = items[index]
    item: dict[str, Any] = {}
    items[index] = item
    others = items[:index] + items[index + 1 :]
    _fill_item(group, prompt, item, before, index + 1, others)


def change_answer(
    question_set: QuestionSet,
    answers: Answers,
    prompt: Prompter,
    *,
    key: str,
    item: int | None = None,
    check: Check = _no_check,
) -> Answers:
    """Ask one question again (or one item of a group), then settle the rest.

    Questions that no longer apply are dropped; questions that now apply are
    asked; every other answer stays as it was.

    Raises:
        QuestionnaireInterrupted: Ctrl-C or Ctrl-D; carries the answers as
            they were before the change.
    """
    changed: Answers = {
        k: list(v) if isinstance(v, list) else v for k, v in answers.items()
    }
    entry = next(e for e in question_set.questions if e.key == key)
    try:
        if isinstance(entry, QuestionGroup):
            items = [dict(i) for i in changed.get(key) or []]
            changed[key] = items
            if item is None or item >= len(items):
                items.append({})
                item = len(items) - 1
            _ask_item(entry, prompt, items, item)
        else:
            question = narrow_choices(entry, changed)
            changed[key] = _ask_one(
                question, prompt, changed.get(key), frozenset(), check
            )
        return _settle(question_set, changed, prompt, check)
    except (KeyboardInterrupt, EOFError) as err:
        raise QuestionnaireInterrupted(answers=dict(answers)) from err


def remove_item(answers: Answers, *, key: str, item: int) -> Answers:
    """Return the answers without item `item` of group `key`."""
    changed = dict(answers)
    changed[key] = [x for n, x in enumerate(answers.get(key) or []) if n != item]
    return changed


def _settle(
    question_set: QuestionSet, answers: Answers, prompt: Prompter, check: Check
) -> Answers:
    settled: Answers = {}
    for entry in question_set.questions:
        if not condition_holds(entry.when, settled):
            continue
        if entry.key in answers:
            settled[entry.key] = answers[entry.key]
        elif isinstance(entry, QuestionGroup):
            items: list[dict[str, Any]] = []
            settled[entry.key] = items
            _collect_group(entry, prompt, items, ())
        else:
            settled[entry.key] = _ask_one(
                narrow_choices(entry, settled), prompt, None, frozenset(), check
            )
    return settled


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = list(value) if isinstance(value, tuple) else value


def _put_answer(data: dict[str, Any], key: str, value: Any) -> None:
    if value not in ("", None, ()):
        _put(data, key, value)


def _nest(questions: Sequence[Question], flat: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for question in questions:
        if question.key in flat and question.spec:
            _put_answer(data, question.key, flat[question.key])
    return data


def build_spec_data(
    question_set: QuestionSet, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Nest flat answers into spec data; empty optional answers are left out."""
    data: dict[str, Any] = {"kind": question_set.kind}
    for entry in question_set.questions:
        if entry.key not in answers:
            continue
        if isinstance(entry, QuestionGroup):
            items = [_nest(entry.items, item) for item in answers[entry.key]]
            if items or entry.min_items:
                _put(data, entry.key, items)
        elif entry.spec:
            _put_answer(data, entry.key, answers[entry.key])
    return data


def build_spec(question_set: QuestionSet, answers: Mapping[str, Any]) -> AnySpec:
    """Validate answers as a spec of the set's kind (SpecError if they cannot work)."""
    return validate_spec(build_spec_data(question_set, answers), source="answers")
