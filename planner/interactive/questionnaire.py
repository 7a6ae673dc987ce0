"""The interactive `planner new`: ask, validate, review and save the spec."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from planner.config import load_config
from planner.errors import OutputExistsError, QuestionnaireInterrupted, SpecError
from planner.interactive.answers import Answers, build_spec
from planner.interactive.ask import ask, confirm, require_terminal, show
from planner.interactive.questions import QuestionSet, load_question_set
from planner.spec import AnySpec
from planner.specfile import dump_spec, write_atomic

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

__all__ = ["run_questionnaire", "spec_path"]


def spec_path(project: Path, name: str) -> Path:
    """Return where the questionnaire saves the spec of plan `name` (specs_dir)."""
    return project / load_config(project).specs_dir / f"{name}.toml"


def run_questionnaire(
    kind: str,
    *,
    project: Path,
    force: bool,
    input: Input | None = None,
    output: Output | None = None,
    stream: TextIO | None = None,
) -> AnySpec:
    """Ask for a spec of `kind`, show it, and save it once the user agrees.

    Args:
        kind: The spec kind, e.g. "crud-resource".
        project: The project folder; the spec goes to `.planner/specs/`.
        force: Replace an existing spec of the same name.
        input: prompt_toolkit input (tests); the terminal by default.
        output: prompt_toolkit output (tests); the terminal by default.
        stream: Where the review is shown; stderr by default.

    Raises:
        NotInteractiveError: There is no terminal to ask on.
        QuestionnaireInterrupted: Ctrl-C or Ctrl-D, or the user declined to
            write; nothing was written.
        OutputExistsError: The spec exists and `force` is false; raised before
            anything is written.
    """
    require_terminal(input)
    question_set = load_question_set(kind)
    # `[tool.planner.defaults]` answers are offered first, as earlier answers are.
    defaults: Answers = dict(load_config(project).defaults)
    spec, answers = _ask_until_valid(
        question_set, input=input, output=output, stream=stream, defaults=defaults
    )
    target = spec_path(project, spec.plan_name)
    shown = _relative(target, project)
    if target.exists() and not force:
        raise OutputExistsError(
            "a spec of this name exists; refusing to overwrite it",
            where=shown,
            hint="pass --force to replace it, or answer again with another plan name",
        )
    text = dump_spec(spec)
    show(f"\n# {shown}\n{text}", stream=stream)
    if not confirm(
        "Write the plan?", default=True, answers=answers, input=input, output=output
    ):
        raise QuestionnaireInterrupted(
            "you chose not to write the plan; nothing was written", answers=answers
        )
    write_atomic(target, text, force=force)
    return spec


def _ask_until_valid(
    question_set: QuestionSet,
    *,
    input: Input | None,
    output: Output | None,
    stream: TextIO | None,
    defaults: Answers,
) -> tuple[AnySpec, Answers]:
    """Ask until the answers make a valid spec, or the user gives up."""
    previous: Answers | None = defaults or None
    while True:
        answers = ask(question_set, input=input, output=output, previous=previous)
        try:
            return build_spec(question_set, answers), answers
        except SpecError as err:
            hint = f"\nhint: {err.hint}" if err.hint else ""
            show(
                f"These answers do not work together:\n{err.message}{hint}",
                stream=stream,
            )
            again = confirm(
                "Answer again (your answers are the defaults)?",
                default=True,
                answers=answers,
                input=input,
                output=output,
            )
            if not again:
                raise
            previous = answers


def _relative(path: Path, project: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()
