"""A pack's questions: check stored answers, or ask them after planner's own."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from planner.errors import PackError
from planner.interactive.questions import Choice, Question, QuestionSet
from planner.packs.manifest import PackManifest, PackQuestion

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

__all__ = ["Answer", "ask_answers", "check_answers"]

Answer = str | int | float | bool | tuple[str, ...]
_ASKABLE = re.compile(r"^[a-z_][a-z0-9_]*$")
_EXPECTED: dict[str, tuple[type, ...]] = {
    "str": (str,), "path": (str,), "int": (int,), "float": (int, float),
    "bool": (bool,), "json": (str,), "yaml": (str, int, float, bool, tuple),
}  # fmt: skip


def check_answers(
    manifest: PackManifest, answers: Mapping[str, Answer], *, where: str
) -> None:
    """Refuse unknown or ill-typed answers, and missing answers copier needs."""
    by_name = {question.name: question for question in manifest.questions}
    table = f"[packs.{manifest.name}.answers]"
    for key, value in answers.items():
        question = by_name.get(key)
        if question is None:
            known = ", ".join(sorted(by_name)) or "none"
            raise PackError(
                f"{table} {key}: pack {manifest.name!r} asks no such question",
                where=where,
                hint=f"its questions: {known}",
            )
        problem = _problem(question, value)
        if problem:
            raise PackError(f"{table} {key}: {problem}", where=where)
    for question in manifest.questions:
        needed = not question.has_default and not question.conditional
        if needed and question.name not in answers:
            raise PackError(
                f"pack {manifest.name!r} asks {question.name!r}, which has no "
                "default, and the spec does not answer it",
                where=where,
                hint=f"add {question.name} = ... under {table} in the spec, or run "
                "`planner new` without --spec to be asked",
            )


def _problem(question: PackQuestion, value: Answer) -> str | None:
    if question.multiselect:
        if not isinstance(value, tuple):
            return "this question takes a list of choices"
        chosen: tuple[Any, ...] = value
    else:
        chosen = (value,)
        allowed = _EXPECTED.get(question.type or "yaml", (object,))
        # bool is an int in Python; an int question never takes true/false.
        wrong_bool = isinstance(value, bool) and bool not in allowed
        if wrong_bool or not isinstance(value, allowed):
            return f"{value!r} is not a {question.type} answer"
    if question.choices:
        for item in chosen:
            if item not in question.choices:
                listed = ", ".join(repr(choice) for choice in question.choices)
                return f"{item!r} is not a choice; one of {listed}"
    return None


def ask_answers(
    manifest: PackManifest,
    *,
    kind: str,
    previous: Mapping[str, Answer],
    input: Input | None = None,
    output: Output | None = None,
) -> dict[str, Answer]:
    """Ask a pack's questions on the terminal; empty answers leave the default.

    Questions with a `when` or a Jinja default are left to copier, which works
    them out from the other answers.
    """
    askable = [
        question
        for question in manifest.questions
        if not question.conditional and _ASKABLE.match(question.name)
    ]
    if not askable:
        return dict(previous)
    questions = tuple(_question(item, previous.get(item.name)) for item in askable)
    question_set = QuestionSet.model_validate(
        {
            "kind": kind,
            "title": f"Questions of pack {manifest.name}",
            "questions": questions,
        }
    )
    # Imported here: only the interactive path may load questionary.
    from planner.interactive.ask import ask

    raw = ask(question_set, input=input, output=output)
    answers = dict(previous)
    for item in askable:
        value = _parse(item, raw.get(item.name))
        if value is not None:
            answers[item.name] = value
    return answers


def _question(item: PackQuestion, previous: Answer | None) -> Question:
    default = previous if previous is not None else item.default
    if item.templated:
        default = None
    prompt = f"{item.name}:"
    help_text = item.help or ""
    required = not item.has_default
    values = tuple(str(choice) for choice in item.choices)
    if values and all(isinstance(choice, str) for choice in item.choices):
        if item.multiselect:
            given = default if isinstance(default, list | tuple) else ()
            chosen = tuple(str(v) for v in given if str(v) in values)
            return Question(
                key=item.name,
                type="checkbox",
                prompt=prompt,
                help=help_text,
                choices=tuple(Choice(value=v) for v in values),
                default=chosen,
            )
        start = default if default in values else values[0]
        return Question(
            key=item.name,
            type="select",
            prompt=prompt,
            help=help_text,
            choices=tuple(Choice(value=v) for v in values),
            default=start,
        )
    if item.type == "bool":
        return Question(
            key=item.name,
            type="confirm",
            prompt=prompt,
            help=help_text,
            default=default if isinstance(default, bool) else None,
        )
    if item.type == "int":
        number = default if type(default) is int else None
        return Question(
            key=item.name,
            type="integer",
            prompt=prompt,
            help=help_text,
            default=number,
            required=required,
        )
    shown = None if default is None or isinstance(default, bool) else str(default)
    return Question(
        key=item.name,
        type="text",
        prompt=prompt,
        help=help_text,
        default=shown,
        required=required,
    )


def _parse(item: PackQuestion, value: Any) -> Answer | None:
    """Turn a prompt's answer into the stored value; None keeps the default."""
    if value is None or value in ("", ()):
        return None
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    if item.type == "float" and isinstance(value, str):
        try:
            return float(value)
        except ValueError as err:
            raise PackError(f"{item.name}: {value!r} is not a number") from err
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)
