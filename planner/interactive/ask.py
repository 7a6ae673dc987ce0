"""The terminal: asks questions with questionary; the only module importing it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from planner.errors import NotInteractiveError, QuestionnaireInterrupted
from planner.interactive.answers import (
    Answers,
    Check,
    Prompter,
    Validator,
    collect_answers,
    default_text,
)
from planner.interactive.questions import Question, QuestionSet

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from questionary import Question as Prompt

__all__ = ["ask", "confirm", "require_terminal", "show", "terminal_prompter"]


def require_terminal(input: Input | None = None) -> None:
    """Refuse to prompt when nothing can answer: no injected input and no TTY."""
    if input is None and not sys.stdin.isatty():
        raise NotInteractiveError(
            "the questionnaire needs a terminal, and standard input is not one",
            hint="pass --spec FILE --no-input",
        )


def _streams(input: Input | None, output: Output | None) -> dict[str, Any]:
    if output is None and input is None and sys.stderr.isatty():
        from prompt_toolkit.output import create_output

        # Prompts go to stderr so that stdout carries only the plan's path.
        output = create_output(stdout=sys.stderr)
    return {"input": input, "output": output}


def _with_abort_keys(prompt: Prompt) -> Prompt:
    """Make Ctrl-D end any prompt with EOFError, like Ctrl-C with KeyboardInterrupt."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    keys = KeyBindings()

    @keys.add("c-d", eager=True)
    def _eof(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    app = prompt.application
    app.key_bindings = (
        merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
    )
    return prompt


def _note(question: Question) -> str | None:
    return f"({question.help})" if question.help else None


def _as_check(validate: Validator) -> Callable[[Any], bool | str]:
    return lambda raw: validate(raw) or True


def _text(question: Question, default: Any, validate: Validator, io: Any) -> Prompt:
    import questionary

    return questionary.text(
        question.prompt,
        default=default_text(question, default),
        validate=_as_check(validate),
        instruction=_note(question),
        **io,
    )


def _integer(question: Question, default: Any, validate: Validator, io: Any) -> Prompt:
    """A number starts empty, its default shown, so that typing replaces it."""
    import questionary

    shown = default_text(question, default)
    parts = [question.help] if question.help else []
    if shown:
        parts.append(f"empty: {shown}")
    return questionary.text(
        question.prompt,
        default="",
        validate=_as_check(lambda raw: validate(str(raw).strip() or shown)),
        instruction=f"({'; '.join(parts)})" if parts else None,
        **io,
    )


def _confirm(question: Question, default: Any, validate: Validator, io: Any) -> Prompt:
    import questionary

    del validate  # a yes/no answer is always valid
    # No `instruction`: questionary shows its own (Y/n) while asking and only
    # the answer afterwards; an instruction would stay, as in "(Y/n)Yes".
    message = question.prompt
    if question.help:
        message = f"{message} ({question.help})"
    return questionary.confirm(message, default=bool(default), **io)


def _select(question: Question, default: Any, validate: Validator, io: Any) -> Prompt:
    import questionary

    del validate  # only the listed choices can be picked
    choices = [questionary.Choice(c.label, value=c.value) for c in question.choices]
    return questionary.select(
        question.prompt,
        choices=choices,
        default=default if default in question.values else None,
        instruction=_note(question),
        **io,
    )


def _checkbox(question: Question, default: Any, validate: Validator, io: Any) -> Prompt:
    import questionary

    chosen = set(default or ())
    choices = [
        questionary.Choice(c.label, value=c.value, checked=c.value in chosen)
        for c in question.choices
    ]
    return questionary.checkbox(
        question.prompt,
        choices=choices,
        validate=_as_check(validate),
        instruction=_note(question),
        **io,
    )


_BUILDERS = {
    "text": _text,
    "integer": _integer,
    "list": _text,
    "confirm": _confirm,
    "select": _select,
    "checkbox": _checkbox,
}


def _prompter(input: Input | None, output: Output | None) -> Prompter:
    io = _streams(input, output)

    def prompt(question: Question, default: Any, validate: Validator) -> Any:
        built = _BUILDERS[question.type](question, default, validate, io)
        answer = _with_abort_keys(built).unsafe_ask()
        if question.type == "integer" and not str(answer).strip():
            return default_text(question, default)  # empty: the default shown
        return answer

    return prompt


def terminal_prompter(
    input: Input | None = None, output: Output | None = None
) -> Prompter:
    """Return the terminal's prompter (tests inject `input` and `output`)."""
    require_terminal(input)
    return _prompter(input, output)


def ask(
    question_set: QuestionSet,
    *,
    input: Input | None = None,
    output: Output | None = None,
    previous: Mapping[str, Any] | None = None,
    check: Check | None = None,
) -> Answers:
    """Ask a question set on the terminal and return the flat answers.

    Args:
        question_set: The questions to ask.
        input: prompt_toolkit input to read keys from (tests pass a pipe).
        output: prompt_toolkit output to draw on (tests pass DummyOutput).
        previous: Earlier answers, offered as defaults when asking again.
        check: A further check of top-level answers (a plan name's clash).

    Raises:
        NotInteractiveError: No input was given and stdin is not a terminal.
        QuestionnaireInterrupted: Ctrl-C or Ctrl-D; carries the partial answers.
    """
    require_terminal(input)
    prompter = _prompter(input, output)
    if check is None:
        return collect_answers(question_set, prompter, previous=previous)
    return collect_answers(question_set, prompter, previous=previous, check=check)


def confirm(
    message: str,
    *,
    default: bool,
    answers: Mapping[str, Any] | None = None,
    input: Input | None = None,
    output: Output | None = None,
) -> bool:
    """Ask one yes/no question; an interrupt carries `answers` along."""
    require_terminal(input)
    question = Question(key="confirm", type="confirm", prompt=message)
    try:
        return bool(_prompter(input, output)(question, default, lambda raw: None))
    except (KeyboardInterrupt, EOFError) as err:
        raise QuestionnaireInterrupted(answers=answers) from err


def show(text: str, *, stream: TextIO | None = None) -> None:
    """Show text for review (the spec before it is written) on stderr."""
    target = sys.stderr if stream is None else stream
    target.write(text if text.endswith("\n") else f"{text}\n")
    target.flush()
